"""Placeholder: being written; every view answers 404 until then."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def report_xlsx(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

def report_xlsx_upload(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

def report_csv_upload(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

def period_xlsx(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

def period_xlsx_upload(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
