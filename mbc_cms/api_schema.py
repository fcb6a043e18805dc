"""The OpenAPI schema of the API says what a generated client needs, and nothing meant for
developers: descriptions come only from ``extend_schema``, ``extend_schema_serializer`` and
``help_text``, never from docstrings (``DISABLE_DOCSTRING_DESCRIPTIONS``); operations open to
anyone carry ``security: []``; tags are only those given, never made up from the path."""

from drf_spectacular import openapi
from rest_framework.permissions import AllowAny


class AutoSchema(openapi.AutoSchema):
    def get_auth(self) -> list[dict]:
        """No security requirement where anyone may call the operation (partners may still send
        a token there: their requests count against their own rate limit)."""
        if all(isinstance(permission, AllowAny) for permission in self.view.get_permissions()):
            return []
        return super().get_auth()

    def get_tags(self) -> list[str]:
        """Only the tags the view gives (``extend_schema(tags=…)``)."""
        return []

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is not None and "security" not in operation:
            # Said explicitly, so that no client takes the operation as needing credentials.
            operation["security"] = []
        return operation
