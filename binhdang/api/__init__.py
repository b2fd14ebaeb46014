"""The REST API for other systems: the same selectors and services as the web pages."""
