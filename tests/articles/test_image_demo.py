"""seed_demo's diagrams: drawn by our code, stored as uploads are, shown in demo articles,
added once."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from PIL import Image as PillowImage

from articles.models import Article, Image, PublishedArticle

pytestmark = pytest.mark.django_db


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def test_seed_demo_adds_its_diagrams_once_and_uses_them():
    """Four credited own-work diagrams with alt text and renditions; three demo bodies and a
    lead image name them, in the published versions too; a second run adds nothing."""
    call_command("seed_demo", stdout=io.StringIO())
    images = list(Image.objects.order_by("pk"))
    assert len(images) == 4
    for image in images:
        assert image.credit == "MBC Info demo" and image.license == "own-work"
        assert image.alt_text and image.caption and not image.decorative
        assert image.uploaded_by.username == "editor"
        assert (image.format, image.width, image.height) == ("PNG", 1200, 800)
        with PillowImage.open(Path(settings.MEDIA_ROOT) / image.file.name) as original:
            assert original.size == (1200, 800)
        assert {r["width"] for r in image.renditions} == {320, 640, 1024, 1200}
    ids = {image.pk for image in images}
    bodies = {
        article.slug: {int(n) for n in re.findall(r"\(image:(\d+)\)", article.body)}
        for article in Article.objects.all()
    }
    shown = {slug: found for slug, found in bodies.items() if found}
    assert len(shown) >= 3 and set().union(*shown.values()) <= ids
    assert "image:{" not in "".join(a.body for a in Article.objects.all())
    lead = Article.objects.get(slug="what-is-metastatic-breast-cancer")
    assert lead.lead_image_id in ids
    for slug in [*shown, lead.slug]:
        assert PublishedArticle.objects.live().filter(article__slug=slug).exists(), slug
    files = stored_files()
    call_command("seed_demo", stdout=io.StringIO())
    assert Image.objects.count() == 4
    assert stored_files() == files
