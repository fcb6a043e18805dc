"""Images in a real browser: a writer inserts a library image into the body with the Insert
image picker (keyboard only), and a public page with images passes axe-core."""

import importlib

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import clear_url_caches

from articles import caching
from articles.models import Article, Image, Topic
from reviews import workflow
from tests.browser.conftest import log_in, serious_violations
from tests.images import make_image

User = get_user_model()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _reload_urls() -> None:
    import mbc_cms.urls

    clear_url_caches()
    importlib.reload(mbc_cms.urls)


@pytest.fixture
def image_admin():
    """The media library's admin list (the media helper's ``ImageAdmin`` when it is there;
    else a bare list, for this test only), which the picker opens."""
    if admin.site.is_registered(Image):
        yield
        return

    class BareImageAdmin(admin.ModelAdmin):
        list_display = ["title"]

        def has_view_permission(self, request, obj=None) -> bool:
            return request.user.is_staff

    admin.site.register(Image, BareImageAdmin)
    _reload_urls()
    yield
    admin.site.unregister(Image)
    _reload_urls()


@pytest.fixture
def library(demo_site, settings, tmp_path):
    """Two images of the library, stored in this test's own media directory."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MEDIA_URL = "/media/"
    return [
        make_image(title="Where breast cancer can spread"),
        make_image(title="Lines of treatment", color=(10, 120, 60), width=1200, height=400),
    ]


@pytest.fixture
def draft(demo_site):
    writer = User.objects.get(username="writer")
    article = Article(
        title="Scans and what they show",
        summary="How scans help.",
        body="## Scans\n\nA scan shows where the cancer is.",
    )
    return workflow.save_working_copy(
        article=article,
        user=writer,
        comment="Draft.",
        save_related=lambda saved: saved.topics.set(Topic.objects.all()[:1]),
    )


def test_a_writer_inserts_an_image_with_the_picker(demo_site, image_admin, library, draft, page):
    """Keyboard only: Tab to Insert image, Enter opens the library as a popup, choosing an
    image puts ``![](image:<id>)`` at the cursor on a line of its own; saving records it."""
    chosen = library[1]
    log_in(page, demo_site.url, "writer")
    page.goto(f"{demo_site.url}/admin/articles/article/{draft.pk}/change/")
    body = page.locator("#id_body")
    body.focus()
    page.keyboard.press("Control+End")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "lookup_insert_image"
    assert page.locator("#lookup_insert_image").inner_text() == "Insert image"
    with page.expect_popup() as opened:
        page.keyboard.press("Enter")
    popup = opened.value
    popup.wait_for_load_state()
    assert "_popup=1" in popup.url and "_to_field=id" in popup.url
    popup.locator(f'a[data-popup-opener="{chosen.pk}"]').click()
    page.wait_for_function(
        f"document.getElementById('id_body').value.includes('![](image:{chosen.pk})')"
    )
    assert body.input_value() == (
        f"## Scans\n\nA scan shows where the cancer is.\n\n![](image:{chosen.pk})"
    )
    with page.expect_navigation():
        page.click("input[name=_continue]")
    saved = Article.objects.get(pk=draft.pk)
    assert saved.version == 2
    assert [entry["id"] for entry in saved.images] == [chosen.pk]
    assert page.locator(".field-images_shown").inner_text().count(f"Image {chosen.pk}:") == 1
    assert page.locator(f'.article-preview figure[data-image="{chosen.pk}"]').count() == 1


@pytest.fixture
def illustrated(demo_site, library):
    """A live page with a lead image and an image in its body (written, approved and
    published through the workflow by the demo's writer, reviewer and editor)."""
    writer, reviewer, editor = (
        User.objects.get(username=name) for name in ("writer", "reviewer", "editor")
    )
    article = Article(
        title="Where breast cancer spreads",
        summary="The places it most often goes, with a diagram.",
        body=(
            "## Where it goes\n\nBreast cancer most often spreads to the bones, lungs, liver "
            f'and brain.\n\n![](image:{library[0].pk} "The four most common places")\n\n'
            "Your team will tell you which scans you need."
        ),
        lead_image=library[1],
    )
    article = workflow.save_working_copy(article=article, user=writer, comment="Draft.")
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer)
    workflow.publish(article=article, user=editor)
    caching.invalidate()
    article.refresh_from_db()
    return article


def test_a_page_with_images_passes_axe(demo_site, illustrated, page):
    """A public page with a lead image and a figure in its body: no serious or critical
    WCAG 2.2 AA violation; every image has its size and alt text."""
    response = page.goto(f"{demo_site.url}/articles/{illustrated.slug}/")
    assert response.status == 200
    assert page.locator("figure.article-image").count() == 2
    for image in page.locator("figure.article-image img").all():
        assert image.get_attribute("width") and image.get_attribute("height")
        assert image.get_attribute("alt")
    problems = serious_violations(page, "article with images")
    assert not problems, "\n".join(problems)
