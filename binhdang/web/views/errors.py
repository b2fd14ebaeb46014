"""The 500 page in the product's layout (403 and 404 use Django's views with templates/403.html, 404.html)."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error

logger = logging.getLogger(__name__)


@requires_csrf_token
def server_error_page(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """Django's own 500 view renders without the request, so the page would lose its menu and language switch.

    This one renders with it; if that fails too (the database is down, so the user cannot be read), it falls
    back to Django's view, which needs nothing but the template.
    """
    try:
        return HttpResponseServerError(loader.get_template(template_name).render({}, request))
    except Exception:  # any failure here must still give the user a page
        logger.exception("The 500 page could not be rendered with the request; using the plain one")
        return server_error(request, template_name="500_plain.html")
