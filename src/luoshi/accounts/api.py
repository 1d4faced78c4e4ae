"""API: obtain a token, and who am I."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from luoshi.orgs.serializers import UnitRefSerializer

from .models import User


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
    """POST username + password → {"token": …}; send it as `Authorization: Token …`."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class = AuthTokenSerializer

    @extend_schema(
        operation_id="auth_token_create",
        request=AuthTokenSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
        auth=[],
        tags=["auth"],
    )
    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})


class MeView(APIView):
    """The logged-in user, their role and unit."""

    @extend_schema(responses=MeSerializer, tags=["users"])
    def get(self, request):
        return Response(MeSerializer(request.user).data)
