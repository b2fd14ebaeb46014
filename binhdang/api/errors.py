"""Every API error is JSON: DRF's own errors, Django's 404 and 403, and the reporting cycle's named errors.

Named errors (reporting/errors.py) carry a stable `code` beside the translated `detail`, so a machine client
can branch on the code and show the detail to a person.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from binhdang.reporting.errors import (
    InvalidValues,
    Issue,
    ReportingError,
)

# The HTTP status of each rule that is not a conflict with the report's state (409).
STATUS_BY_CODE: dict[str, int] = {
    "not_allowed": status.HTTP_403_FORBIDDEN,
    "invalid_values": status.HTTP_400_BAD_REQUEST,
}


def issue_json(issue: Issue, fields: dict[str, str] | None = None) -> dict[str, Any]:
    """One issue, with `field` naming the request field it is about when the request sent that cell."""
    return {
        "level": issue.level,
        "where": issue.where,
        "field": (fields or {}).get(f"{issue.code}@{issue.where}") or (fields or {}).get(issue.where),
        "message": str(issue.message),
    }


def reporting_error_response(exc: ReportingError, fields: dict[str, str] | None = None) -> Response:
    status_code = STATUS_BY_CODE.get(exc.code, status.HTTP_409_CONFLICT)
    body: dict[str, Any] = {"code": exc.code, "detail": str(exc.message)}
    if isinstance(exc, InvalidValues):
        body["issues"] = [issue_json(issue, fields) for issue in exc.issues]
    return Response(body, status=status_code)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ReportingError):
        return reporting_error_response(exc)
    return drf_exception_handler(exc, context)


@csrf_exempt  # a POST to a wrong address is a 404 like any other, not a CSRF failure page
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any /api/ address that names nothing: JSON like every other API answer, not the HTML 404 page."""
    return JsonResponse({"detail": _("Không tìm thấy.")}, status=404)
