"""Views: parse input, call a selector or service, render. No business logic here."""
