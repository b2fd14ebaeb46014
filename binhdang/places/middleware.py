"""One memo per request for the permission selectors (binhdang.places.selectors.remembered)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from .selectors import user_memo_start


class ScopeMemoMiddleware:
    """Give the request's signed-in user an empty memo, so the agency, unit scope and visible plans are computed
    once per request however many permission checks a page makes. Anonymous requests are left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user_memo_start(user)
        return self.get_response(request)
