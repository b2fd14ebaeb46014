"""Security headers Django does not set itself: Content-Security-Policy and Permissions-Policy.

Django's SecurityMiddleware already sends X-Content-Type-Options, Referrer-Policy, Cross-Origin-Opener-Policy
and HSTS; this middleware fills them in too when absent, so the headers do not depend on middleware order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Swagger UI and Redoc ship inline script and style, Redoc a blob: worker.
RELAXED: dict[str, str] = {
    "script-src": "'self' 'unsafe-inline'",
    "style-src": "'self' 'unsafe-inline'",
    "worker-src": "'self' blob:",
}
# Third-party pages that cannot work without inline code: the API's Swagger UI and Redoc (drf-spectacular).
DEFAULT_RELAXED_PATHS = ("/api/docs/", "/api/redoc/")
DEFAULT_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)


def csp_header(policy: Mapping[str, str]) -> str:
    return "; ".join(f"{name} {value}".strip() for name, value in policy.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        policy: dict[str, str] = dict(settings.BINHDANG_CSP)
        self.csp = csp_header(policy)
        self.relaxed_csp = csp_header({**policy, **RELAXED})
        self.relaxed_paths = tuple(getattr(settings, "BINHDANG_CSP_RELAXED_PATHS", DEFAULT_RELAXED_PATHS))
        self.csp_name = (
            "Content-Security-Policy-Report-Only"
            if getattr(settings, "BINHDANG_CSP_REPORT_ONLY", False)
            else "Content-Security-Policy"
        )
        self.permissions = str(getattr(settings, "BINHDANG_PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY))
        referrer = getattr(settings, "SECURE_REFERRER_POLICY", None) or "same-origin"
        self.referrer = referrer if isinstance(referrer, str) else ",".join(referrer)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        relaxed = bool(self.relaxed_paths) and request.path.startswith(self.relaxed_paths)
        response.headers.setdefault(self.csp_name, self.relaxed_csp if relaxed else self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        response.headers.setdefault("Referrer-Policy", self.referrer)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response
