"""Placeholder: being written; every view answers 404 until then."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def inspection_list(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

def inspection_create(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

def inspection_detail(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

def finding_close(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404

def review_summary(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
