"""The media library in the editorial API: find and read images (every editorial user), upload
and describe them (writers and editors), delete unused ones (editors), with the admin's model
permissions. Every save goes through ``articles.images.renditions.store_image``, as in the
admin: the file is checked by ``uploads.clean_upload`` (type from the bytes, size, pixels,
bombs; metadata stripped), and articles showing an image whose alt text, caption, credit,
licence or file changed get a new version to review.

The file travels base64-encoded in the JSON body (``file``), because request bodies of the
editorial API are JSON only: one request carries the picture with the alt text and rights it
must have, and any generated client sends it as a plain string. The body's size is checked
before it is read (an image of ``IMAGE_MAX_BYTES`` at most, base64-encoded, and its
details: ``ImageJSONParser``), the string's before it is decoded.
"""

import base64
import binascii
import io
import math
import re

import django_filters
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, serializers
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from articles.images import rights, uploads
from articles.images.delivery import file_url, main_url
from articles.images.renditions import delete_image, store_image
from articles.models import Image, ImageLicense

from .versioned import RecordInputMixin, VersionedRecordViewSet, record_schemas

#: The image's details besides its file: a JSON body may be this much larger than the file.
DETAILS_MAX_BYTES = 64 * 1024
DATA_URL_PREFIX = re.compile(r"\Adata:image/[a-z0-9.+-]+;base64,", re.IGNORECASE)


def encoded_max_length() -> int:
    """The longest base64 text of an image of ``IMAGE_MAX_BYTES``."""
    return 4 * math.ceil(settings.IMAGE_MAX_BYTES / 3)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _too_large_message() -> str:
    return (
        f"This file is too large: images may be at most "
        f"{_megabytes(settings.IMAGE_MAX_BYTES)} (about "
        f"{_megabytes(encoded_max_length())} once base64-encoded)."
    )


def refuse_oversized_body(request: Request) -> None:
    """A 400 naming ``file`` for a body larger than any image and its details, before the
    body is read (a body with no stated length is not read at all)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > encoded_max_length() + DETAILS_MAX_BYTES:
        raise exceptions.ValidationError({"file": [_too_large_message()]})


class ImageJSONParser(BaseParser):
    """JSON bodies of the image operations, read as ``JSONParser`` reads them, up to the size
    of the largest image and its details: DRF applies Django's
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB) to JSON bodies, far below an image, and raising
    it would raise it for every endpoint. The views refuse a longer body before it is read
    (``refuse_oversized_body``); the stream is limited to the stated length by Django."""

    media_type = "application/json"
    renderer_class = JSONParser.renderer_class

    def parse(self, stream, media_type=None, parser_context=None):
        limit = encoded_max_length() + DETAILS_MAX_BYTES
        content = stream.read(limit + 1) if stream is not None else b""
        if len(content) > limit:
            raise exceptions.ValidationError({"file": [_too_large_message()]})
        return JSONParser().parse(io.BytesIO(content), media_type, parser_context)


@extend_schema_field(OpenApiTypes.BYTE)
class Base64ImageField(serializers.Field):
    """An image file, base64-encoded (a ``data:image/…;base64,`` prefix and line breaks are
    allowed), checked and re-encoded by ``uploads.clean_upload``: the value is a
    ``CleanImage``."""

    default_error_messages = {
        "invalid": "Send the image file base64-encoded, as a string.",
        "base64": "This is not valid base64: send the file's bytes base64-encoded "
        "(RFC 4648, with padding).",
    }

    def to_internal_value(self, data) -> uploads.CleanImage:
        if not isinstance(data, str):
            self.fail("invalid")
        if len(data) > encoded_max_length() + DETAILS_MAX_BYTES:
            raise serializers.ValidationError(_too_large_message())
        # Line breaks (as MIME encoders write them) are not part of the data.
        text = "".join(DATA_URL_PREFIX.sub("", data.strip(), count=1).split())
        if len(text) > encoded_max_length():
            raise serializers.ValidationError(_too_large_message())
        try:
            content = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            self.fail("base64")
        try:
            return uploads.clean_upload(io.BytesIO(content))
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error

    def to_representation(self, value):  # write-only
        raise NotImplementedError


class RenditionSerializer(serializers.Serializer):
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    format = serializers.CharField(help_text="WEBP, JPEG or PNG.")
    url = serializers.SerializerMethodField()

    def get_url(self, item: dict) -> str:
        return _absolute(self.context, file_url(item["name"]))


def _absolute(context: dict, url: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


class EditorialImageSerializer(RecordInputMixin, serializers.ModelSerializer):
    """An image of the media library: its file, what readers are told about it, its rights."""

    file = Base64ImageField(
        write_only=True,
        help_text="The image file (JPEG, PNG or WebP, at most 20 MB and 40 megapixels), "
        "base64-encoded. Required to upload; to replace the file, send a new one (articles "
        "showing the image then get a new version to review). Location and camera details "
        "are removed.",
    )
    source_url = serializers.URLField(
        required=False, allow_blank=True, max_length=500, help_text="Where the image was found."
    )
    uploaded_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    url = serializers.SerializerMethodField(
        help_text="The largest rendition in the image's own format."
    )
    renditions = serializers.SerializerMethodField()
    rights_expired = serializers.SerializerMethodField(
        help_text="Its rights ended: public pages no longer show it."
    )

    class Meta:
        model = Image
        fields = [
            "id",
            "file",
            "title",
            "alt_text",
            "decorative",
            "caption",
            "credit",
            "license",
            "license_text",
            "source_url",
            "rights_holder",
            "rights_expire_on",
            "rights_expired",
            "uploaded_by",
            "digest",
            "format",
            "width",
            "height",
            "url",
            "renditions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "digest",
            "format",
            "width",
            "height",
            "created_at",
            "updated_at",
        ]

    def get_url(self, image: Image) -> str:
        data = {"digest": image.digest, "format": image.format, "renditions": image.renditions}
        return _absolute(self.context, main_url(data))

    @extend_schema_field(RenditionSerializer(many=True))
    def get_renditions(self, image: Image) -> list[dict]:
        return RenditionSerializer(image.renditions or [], many=True, context=self.context).data

    def get_rights_expired(self, image: Image) -> bool:
        return image.rights_expire_on is not None and image.rights_expire_on < timezone.localdate()

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        if self.instance is None and "file" not in attrs:
            raise serializers.ValidationError({"file": ["Send the image file to upload."]})
        return attrs


class UsageSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The article's id.")
    title = serializers.CharField()


class EditorialImageDetailSerializer(EditorialImageSerializer):
    """An image, with the articles in use that show it."""

    used_in = serializers.SerializerMethodField(
        help_text="The articles in use showing it (working copy, live or scheduled page, or "
        "as lead image): while there are any it cannot be deleted."
    )

    class Meta(EditorialImageSerializer.Meta):
        fields = [*EditorialImageSerializer.Meta.fields, "used_in"]

    @extend_schema_field(UsageSerializer(many=True))
    def get_used_in(self, image: Image) -> list[dict]:
        return [
            {"id": pk, "title": title}
            for pk, title in rights.articles_showing(image).values_list("pk", "title")
        ]


class ImageFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search",
        help_text="Part of the title, alt text, caption, credit or rights holder.",
    )
    license = django_filters.ChoiceFilter(choices=ImageLicense.choices, help_text="Licence.")

    class Meta:
        model = Image
        fields = ["search", "license"]

    def filter_search(self, queryset, name: str, value: str):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(alt_text__icontains=value)
            | Q(caption__icontains=value)
            | Q(credit__icontains=value)
            | Q(rights_holder__icontains=value)
        )


@extend_schema_view(
    **record_schemas(
        name="image",
        plural="images",
        serializer=EditorialImageSerializer,
        detail_serializer=EditorialImageDetailSerializer,
        who_writes="writers and editors upload and change them; only editors delete them",
        delete_refused="An image that an article in use shows (its working copy, live or "
        "scheduled page, or as lead image) is not deleted.",
        create_summary="Upload an image",
        create_description="A JSON object with the image's details and `file`, the image "
        "file base64-encoded. The file is checked as in the admin: JPEG, PNG or WebP "
        "recognised from its bytes, at most 20 MB and 40 megapixels, complete; a refusal is "
        "a 400 on `file` naming the problem. The stored file is re-encoded from its pixels "
        "(no location, camera details or other metadata). Alt text is required unless "
        "`decorative` is true.",
        update_description="A change to what readers are shown (alt text, decorative, "
        "caption, credit, licence, or a new `file`) saves a new version, to be reviewed, of "
        "every article in use showing the image; their live pages keep the approved image "
        "until then.",
    )
)
@extend_schema(tags=["editorial"])
class EditorialImageViewSet(VersionedRecordViewSet):
    """The media library: list, search, read, upload, describe, replace the file, delete."""

    filterset_class = ImageFilter
    parser_classes = [ImageJSONParser]
    record_argument = "image"
    delete_service = staticmethod(delete_image)

    def get_queryset(self):
        return Image.objects.select_related("uploaded_by").order_by("-created_at", "-pk")

    def get_serializer_class(self):
        if self.action == "list":
            return EditorialImageSerializer
        return EditorialImageDetailSerializer

    def save(self, record: Image, data: dict, *, comment: str, expected_updated_at=None) -> Image:
        """Through ``store_image``, with the checked file (``CleanImage``) if one was sent."""
        details = dict(data)
        upload = details.pop("file", None)
        for name, value in details.items():
            setattr(record, name, value)
        return store_image(
            image=record,
            user=self.request.user,
            upload=upload,
            comment=comment,
            expected_updated_at=expected_updated_at,
        )

    def create(self, request: Request) -> Response:
        refuse_oversized_body(request)
        return super().create(request)

    def partial_update(self, request: Request, pk=None) -> Response:
        refuse_oversized_body(request)
        return super().partial_update(request, pk)
