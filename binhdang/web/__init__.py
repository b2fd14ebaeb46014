"""The web interface: thin views over the selectors and services of the other apps."""
