"""Placeholder: being written; every view answers 404 until then."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def report_list(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

def report_detail(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

def report_submit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

def report_return(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

def report_accept(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

def report_reopen(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

def plan_periods(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

def periods_generate(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

def plan_completeness(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

def period_detail(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

def period_compiled(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

def notice_list(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
