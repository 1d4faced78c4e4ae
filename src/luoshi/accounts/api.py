"""API: obtain a token, and who am I."""
from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from luoshi.core.errors import LuoshiError
from luoshi.core.lockout import LOCKED_EN, locked_message_zh, lockout_minutes
from luoshi.orgs.serializers import UnitRefSerializer

from .models import User
from .tokens import do_issue_token


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


class TokenAuthScheme(OpenApiAuthenticationExtension):
    target_class = "luoshi.accounts.tokens.ExpiringTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token <key>` from POST /api/auth/token/; expires after LUOSHI_TOKEN_TTL_HOURS"}


class MeSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(allow_null=True, read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    sees_everything = serializers.BooleanField(read_only=True)
    full_name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "display_name", "role", "role_display", "unit", "sees_everything"]
        read_only_fields = fields


class ObtainTokenView(APIView):
    """POST username + password → {"token": …}; send it as `Authorization: Token …`.

    Every call issues a new token valid for LUOSHI_TOKEN_TTL_HOURS (only its hash is kept).
    Wrong passwords count towards the login lockout (django-axes: 429 once locked) and the
    endpoint is throttled per address (LUOSHI_TOKEN_RATE, 429 with Retry-After)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth_token"
    serializer_class = CredentialsSerializer

    @extend_schema(
        operation_id="auth_token_create",
        request=CredentialsSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
        auth=[],
        tags=["auth"],
    )
    def post(self, request):
        serializer = CredentialsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        http_request = request._request  # django-axes marks the plain HttpRequest
        user = authenticate(http_request, username=serializer.validated_data["username"],
                            password=serializer.validated_data["password"])
        if user is None:
            if getattr(http_request, "axes_locked_out", False):
                return Response({"detail": LOCKED_EN.format(minutes=lockout_minutes()), "detail_zh": locked_message_zh(),
                                 "field": None}, status=429)
            raise LuoshiError("Unable to log in with provided credentials.", "用户名或密码错误")
        key, _ = do_issue_token(user)
        return Response({"token": key})


class MeView(APIView):
    """The logged-in user, their role and unit."""

    @extend_schema(responses=MeSerializer, tags=["users"])
    def get(self, request):
        return Response(MeSerializer(request.user).data)
