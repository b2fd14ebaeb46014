"""WSGI entry point for gunicorn: `gunicorn binhdang.wsgi`."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "binhdang.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    """Import every view (the URL conf) and load the interface's catalogues now, while the gunicorn worker boots:
    otherwise the first request each worker serves pays about 1.3 s of CPU for it, and on a deadline morning
    that request is someone's sign-in. Nothing here touches the database."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 - the attribute access imports the URL conf
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Đăng nhập")


_warm_up()
