from django.contrib.auth.signals import user_logged_in
from django.core.signals import setting_changed
from django.utils import translation
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView
from rest_framework import generics, serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core import access, api_tokens
from core.api_throttling import AnonRateThrottle, TokenRateThrottle
from core.authentication import TokenAuthentication

REVOKED = OpenApiResponse(description="Revoked: the token no longer signs anything in.")


class TokenRequestSerializer(AuthTokenSerializer):
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="The 6-digit code from your authenticator app, when two-factor sign-in is on.",
    )


class ObtainTokenView(APIView):
    """Exchange a username and password (and, with two-factor sign-in on, a code) for a new
    API token (one per sign-in).

    The key is shown only here; the server keeps its digest. It expires at ``expiry``.
    ``second_factor`` is where the sign-in policy (the accounts app) asks for the code.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, TokenRateThrottle]
    serializer_class = AuthTokenSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer(
                "Token", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()}
            )
        },
        auth=[],
    )
    def post(self, request):
        # authenticate(request=..., username=..., password=...): sign-in lockout applies.
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        self.second_factor(request, user)
        token, key = api_tokens.token_issue(user=user)
        user_logged_in.send(sender=type(user), request=request, user=user)
        return Response({"token": key, "expiry": token.expiry})

    def second_factor(self, request, user) -> None:
        """Refuse (raise a ``DomainError``) when the password alone is not enough."""


class ApiTokenSerializer(serializers.Serializer):
    id = serializers.SerializerMethodField()
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField()
    starts_with = serializers.SerializerMethodField(
        help_text="The key's first 8 characters, to tell which client holds which token."
    )
    current = serializers.SerializerMethodField(
        help_text="Whether this request was signed in with this token."
    )

    def get_id(self, token) -> str:
        return api_tokens.token_id(token)

    def get_starts_with(self, token) -> str:
        return token.token_key[:8]

    def get_current(self, token) -> bool:
        return token.pk == getattr(self.context["request"].auth, "pk", None)


class TokenListView(generics.ListAPIView):
    """Your API tokens that still work, newest first (never their keys)."""

    serializer_class = ApiTokenSerializer
    filter_backends: list = []

    def get_queryset(self):
        return api_tokens.tokens_of(self.request.user)


class TokenDetailView(APIView):
    """Revoke one of your API tokens; any other id (someone else's included) is a 404."""

    @extend_schema(responses={204: REVOKED})
    def delete(self, request, token_id: str):
        api_tokens.token_revoke(user=request.user, token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutView(APIView):
    """Revoke the token this request is signed in with."""

    authentication_classes = [TokenAuthentication]

    @extend_schema(request=None, responses={204: REVOKED})
    def post(self, request):
        api_tokens.token_revoke(user=request.user, token_id=api_tokens.token_id(request.auth))
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    """Revoke every one of your API tokens (every client signs in again)."""

    @extend_schema(request=None, responses={204: REVOKED})
    def post(self, request):
        api_tokens.tokens_revoke_all(user=request.user, reason="logout from every client")
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """Who the credentials belong to: lets an API client check its token."""

    @extend_schema(
        responses={
            200: inline_serializer(
                "Me",
                {
                    "username": serializers.CharField(),
                    "groups": serializers.ListField(child=serializers.CharField()),
                    "is_compensation_admin": serializers.BooleanField(),
                },
            )
        }
    )
    def get(self, request):
        user = request.user
        return Response(
            {
                "username": user.get_username(),
                "groups": sorted(access.group_names(user)),
                "is_compensation_admin": access.is_compensation_admin(user),
            }
        )


#: The generated OpenAPI schema by (API version, language), for this process's life.
_SCHEMAS: dict[tuple, dict] = {}


class SchemaView(SpectacularAPIView):
    """``/api/schema/``: drf-spectacular's view, generating the schema once per process.

    The schema is a function of the code (and of the settings), not of the request: it is
    public (``SERVE_PUBLIC``) and the same for every caller, so it is generated without the
    caller (``request=None``) and kept. Generating it walks every endpoint's serializers,
    about 0.8 s of CPU, which each request, a bot's included, paid before; answering from
    the kept schema costs its rendering only. A change to a setting it is generated from
    (``SCHEMA_SETTINGS``; a test's override) forgets it.
    """

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (version, translation.get_language())
        schema = _SCHEMAS.get(key)
        if schema is None:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            schema = _SCHEMAS[key] = generator.get_schema(request=None, public=self.serve_public)
        filename = self._get_filename(request, version)
        return Response(
            data=schema, headers={"Content-Disposition": f'inline; filename="{filename}"'}
        )


#: The settings the schema is generated from, beside the code: a change to one forgets it.
SCHEMA_SETTINGS = {
    "SPECTACULAR_SETTINGS",
    "REST_FRAMEWORK",
    "ROOT_URLCONF",
    "INSTALLED_APPS",
    "USE_I18N",
    "LANGUAGE_CODE",
    "LANGUAGES",
}


def _forget_schemas(*, setting: str, **kwargs) -> None:
    if setting in SCHEMA_SETTINGS:
        _SCHEMAS.clear()


setting_changed.connect(_forget_schemas, dispatch_uid="core.api_views.schemas")
