"""The media library: upload, describe and credit images; find those missing alt text or whose
rights end. Every save goes through ``images.renditions.store_image`` (checks the file, stores
it and its renditions, records a version, tells the articles using the image)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.contrib import admin
from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

from mbc_cms.version_admin import SafeVersionAdmin

from .. import image_usage
from ..images import rights, uploads
from ..images.renditions import PreparedImage, prepare_files, store_image
from ..models import Article, Image


class ImageAdminForm(forms.ModelForm):
    """The record's fields, and a new file: required for a new image, optional later (a new
    file replaces the image everywhere it is used, after review of those articles)."""

    upload = forms.FileField(
        label="Image file",
        required=False,
        help_text="JPEG, PNG or WebP, at most 20 MB, 40 megapixels and 16383 pixels a side. "
        "Location and camera details are removed from the file.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    source_url = forms.URLField(
        label="Source URL",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Where the image was found, if not our own work.",
    )

    class Meta:
        model = Image
        fields = ["upload", *Image.RECORD_FIELDS]
        widgets = {"alt_text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.prepared_image: PreparedImage | None = None
        if self.instance.pk is None:
            self.fields["upload"].required = True
        else:
            self.fields["upload"].label = "Replace the file"
            self.fields["upload"].help_text += (
                " Articles showing this image get a new version that needs review; their live "
                "pages keep the approved image meanwhile."
            )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            # Checked, cleaned and its renditions encoded now, so that any refusal is an
            # error on this field; the files are written when the record is saved.
            self.prepared_image = prepare_files(uploads.clean_upload(upload))
        return upload


class MissingAltTextFilter(admin.SimpleListFilter):
    title = "alt text"
    parameter_name = "alt_text"

    def lookups(self, request, model_admin):
        return [("missing", "Missing alt text"), ("decorative", "Decorative")]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(decorative=False, alt_text="")
        if self.value() == "decorative":
            return queryset.filter(decorative=True)
        return queryset


class RightsFilter(admin.SimpleListFilter):
    title = "rights"
    parameter_name = "rights"

    def lookups(self, request, model_admin):
        return [
            ("expired", "Expired"),
            ("expiring", f"Expiring within {rights.EXPIRING_DAYS} days"),
            ("none", "No expiry date"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "expired":
            return queryset.rights_expired()
        if self.value() == "expiring":
            return queryset.filter(pk__in=rights.expiring_images())
        if self.value() == "none":
            return queryset.filter(rights_expire_on__isnull=True)
        return queryset


class ImageRightsExpiredFilter(admin.SimpleListFilter):
    """On the article list: the articles showing an image whose rights have expired."""

    title = "image rights"
    parameter_name = "image_rights"

    def lookups(self, request, model_admin):
        return [("expired", "Shows an image whose rights expired")]

    def queryset(self, request, queryset):
        if self.value() == "expired":
            return queryset.filter(pk__in=rights.articles_with_expired_images().values("pk"))
        return queryset


def _smallest_webp(image: Image) -> dict | None:
    webp = [item for item in image.renditions if item.get("format") == "WEBP"]
    return min(webp, key=lambda item: item["width"]) if webp else None


@admin.register(Image)
class ImageAdmin(SafeVersionAdmin):
    form = ImageAdminForm
    list_display = [
        "thumbnail",
        "title",
        "license",
        "alt_status",
        "rights_status",
        "uploaded_by",
        "created_at",
    ]
    list_display_links = ["title"]
    list_filter = ["license", MissingAltTextFilter, RightsFilter]
    search_fields = ["title", "alt_text", "caption", "credit", "rights_holder"]
    list_select_related = ["uploaded_by"]
    list_per_page = 50
    readonly_fields = [
        "preview",
        "used_in",
        "uploaded_by",
        "digest",
        "format",
        "width",
        "height",
        "rendition_list",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["upload", "preview", "title"]}),
        (
            "For readers",
            {
                "fields": ["alt_text", "decorative", "caption", "credit"],
                "description": "Alt text, caption and credit are part of the approved content "
                "of every article showing the image: changing them sends those articles for "
                "review again.",
            },
        ),
        (
            "Rights",
            {
                "fields": [
                    "license",
                    "license_text",
                    "source_url",
                    "rights_holder",
                    "rights_expire_on",
                ],
                "description": "The licence, its terms, the source and the rights holder are "
                "part of the approved content too (credited under the image and in the page's "
                "structured data); the expiry date is not: from the day after it, readers are "
                "no longer shown the image.",
            },
        ),
        (
            "File",
            {
                "fields": [
                    "used_in",
                    "uploaded_by",
                    "digest",
                    "format",
                    "width",
                    "height",
                    "rendition_list",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    class Media:
        css = {"all": ["admin/image_admin.css"]}

    @admin.display(description="image")
    def thumbnail(self, obj: Image) -> str:
        rendition = _smallest_webp(obj)
        if rendition is None:
            return "—"
        width = min(rendition["width"], 96)
        height = max(1, round(rendition["height"] * width / rendition["width"]))
        # Beside its title, the thumbnail needs no alt text of its own.
        return format_html(
            '<img src="{}" alt="" width="{}" height="{}" loading="lazy" decoding="async" '
            'class="image-thumbnail">',
            default_storage.url(rendition["name"]),
            width,
            height,
        )

    @admin.display(description="alt text", ordering="alt_text")
    def alt_status(self, obj: Image) -> str:
        if obj.decorative:
            return "Decorative"
        return obj.alt_text or format_html('<strong class="image-warning">{}</strong>', "Missing")

    @admin.display(description="rights expire", ordering="rights_expire_on")
    def rights_status(self, obj: Image) -> str:
        expires = obj.rights_expire_on
        if expires is None:
            return "No expiry"
        today = timezone.localdate()
        if expires < today:
            return format_html(
                '<strong class="image-warning">Expired {}</strong> (not shown)',
                f"{expires:%d %b %Y}",
            )
        if expires <= today + datetime.timedelta(days=rights.EXPIRING_DAYS):
            return format_html('<strong class="image-warning">{}</strong>', f"{expires:%d %b %Y}")
        return f"{expires:%d %b %Y}"

    @admin.display(description="current file")
    def preview(self, obj: Image) -> str:
        medium = [item for item in obj.renditions if item.get("format") == "WEBP"]
        medium = [item for item in medium if item["width"] <= 640] or medium
        if not medium:
            return "Shown after the upload."
        rendition = max(medium, key=lambda item: item["width"])
        return format_html(
            '<img src="{}" alt="{}" width="{}" height="{}" class="image-preview">',
            default_storage.url(rendition["name"]),
            "" if obj.decorative else obj.alt_text,
            rendition["width"],
            rendition["height"],
        )

    @admin.display(description="used in")
    def used_in(self, obj: Image) -> str:
        if obj.pk is None:
            return "—"
        articles = list(rights.articles_showing(obj))
        if not articles:
            return "No article."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a></li>',
                (
                    (reverse("admin:articles_article_change", args=[article.pk]), article.title)
                    for article in articles
                ),
            ),
        )

    @admin.display(description="renditions")
    def rendition_list(self, obj: Image) -> str:
        if not obj.renditions:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{} × {} {}</a></li>',
                (
                    (
                        default_storage.url(item["name"]),
                        item["width"],
                        item["height"],
                        item["format"],
                    )
                    for item in obj.renditions
                ),
            ),
        )

    def has_revert_permission(self, request: HttpRequest, obj: Image) -> bool:
        # An old version is shown, never written back: a change to what articles show goes
        # through store_image (a new file is uploaded again; identical files reuse their names).
        return False

    @contextmanager
    def create_revision(self, request: HttpRequest) -> Iterator[None]:
        """No revision around the whole view: ``store_image`` records the image's own, and
        each article a change sends back for review gets a revision of its own (inside one
        shared revision, two articles showing the image would be one "version" of both)."""
        yield

    def save_model(self, request: HttpRequest, obj: Image, form, change: bool) -> None:
        store_image(
            image=obj,
            user=request.user,
            upload=form.prepared_image,
            comment="Changed in the admin." if change else "Uploaded in the admin.",
        )

    def get_deleted_objects(self, objs, request: HttpRequest):
        """Django's list of what a deletion takes, with the articles showing any of the
        images (``image_usage.articles_referencing``: archived ones, and any page that went
        live, included) as protected: an image an article shows is never deleted."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected)
        images = list(objs)
        # Django lists the articles with one of them as lead image already (PROTECT).
        listed = {image.pk for image in images}
        seen: set[int] = set()
        for image in images:
            for article in image_usage.articles_referencing(image).order_by("title", "pk"):
                if article.pk in seen or article.lead_image_id in listed:
                    continue
                seen.add(article.pk)
                protected.append(
                    format_html(
                        '{}: <a href="{}">{}</a> (shows “{}”)',
                        capfirst(Article._meta.verbose_name),
                        reverse("admin:articles_article_change", args=[article.pk]),
                        article.title,
                        image.title,
                    )
                )
        # Django also names the articles' missing delete permission (nobody deletes an
        # article): beside the protected list that is noise, and the deletion is refused.
        return deleted, counts, set() if protected else perms_needed, protected
