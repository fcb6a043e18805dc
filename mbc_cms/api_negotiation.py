"""Request bodies of the API are JSON only (``DEFAULT_PARSER_CLASSES``); any other body is a
415 that names the type to send. (Kept apart from the schema class: drf-spectacular reads DRF's
settings on import, this module among them.)"""

from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation


class JSONOnlyNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, with a 415 that says which media types the endpoint accepts."""

    def select_parser(self, request, parsers):
        parser = super().select_parser(request, parsers)
        if parser is None:
            sent = (request.content_type or "").split(";")[0].strip()[:100]
            accepted = " or ".join(dict.fromkeys(parser.media_type for parser in parsers))
            advice = (
                f"send the request body as {accepted} (Content-Type: {accepted})"
                if accepted
                else "this endpoint takes no request body"
            )
            raise exceptions.UnsupportedMediaType(
                sent, detail=f'Unsupported media type "{sent}": {advice}.'
            )
        return parser
