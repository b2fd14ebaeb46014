"""/api/token/: a token for a user name and password, checked through the sign-in throttle."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.decorators import api_view, authentication_classes, parser_classes, permission_classes
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from .tokens import token_issue


@extend_schema(
    request=AuthTokenSerializer,
    responses={
        200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
        400: OpenApiResponse(description="Missing or wrong username or password."),
        429: OpenApiResponse(description="Too many failed sign-ins for this account or address; try again later."),
    },
    description="A token for a username and password (expires after BINHDANG_API_TOKEN_DAYS days). Failed "
    "attempts count toward the same sign-in throttle as the web and admin sign-in pages.",
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([])
@parser_classes([JSONParser, FormParser, MultiPartParser])
def token_obtain(request: Request) -> Response:
    """POST username and password; answers {"token": ...}. Locked-out callers get 429 from the throttle."""
    username = request.data.get("username")
    password = request.data.get("password")
    if not isinstance(username, str) or not isinstance(password, str) or not username or not password:
        return Response(
            {"detail": "Send both 'username' and 'password'.", "code": "invalid"}, status=status.HTTP_400_BAD_REQUEST
        )
    # The plain Django request: the throttle marks it, and its middleware answers 429 for a locked caller.
    http_request: HttpRequest = request._request
    user = authenticate(http_request, username=username, password=password)
    if getattr(http_request, "axes_locked_out", False):
        from binhdang.ops.throttle import lockout_response

        return lockout_response(http_request)
    if user is None or not user.is_active:
        return Response(
            {"detail": "Unable to sign in with the given username and password.", "code": "authorization"},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return Response({"token": token_issue(user=user).key})
