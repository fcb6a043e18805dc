"""Images of the media library in articles: the Markdown syntax, the figure and its sanitiser,
the images each version records, and what public pages, the API and structured data show."""

import datetime
import json
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from articles import caching
from articles.images.delivery import image_data
from articles.images.manifest import build_manifest
from articles.models import Article, Image
from articles.previews import preview_url
from articles.rendering import render_markdown, sanitise_figure
from articles.selectors import compare_versions
from articles.snapshots import reader_content
from reviews import workflow
from tests.articles.test_public_site import json_ld
from tests.articles.test_sanitisation import executable_parts

pytestmark = pytest.mark.django_db

MEDIA_PREFIX = "/media/images/"


def figures(html: str) -> list[str]:
    return re.findall(r'<figure class="article-image".*?</figure>', html, re.S)


def media_urls(html: str) -> list[str]:
    """Every address an <img> or <source> of ``html`` would load."""
    urls = re.findall(r'<(?:img|source)[^>]*?\ssrc="([^"]*)"', html)
    for srcset in re.findall(r'\ssrcset="([^"]*)"', html):
        urls += [candidate.strip().split(" ")[0] for candidate in srcset.split(",")]
    return urls


@pytest.fixture
def image(make_image):
    return make_image()


@pytest.fixture
def publish_with(make_article, writer, reviewer, editor):
    """Write, approve and publish an article with ``body`` (and ``lead_image``)."""

    def publish(body: str, lead_image=None, title="Where cancer spreads") -> Article:
        article = make_article(writer, title=title, body=body, lead_image=lead_image)
        workflow.submit(article=article, user=writer)
        workflow.approve(article=article, user=reviewer)
        workflow.publish(article=article, user=editor)
        article.refresh_from_db()
        return article

    return publish


def fresh_page(path: str) -> str:
    """The page as a reader gets it now, not from the cache of an earlier request."""
    cache.clear()
    caching.forget_state()
    response = Client().get(path)
    assert response.status_code == 200
    return response.text


# The figure -----------------------------------------------------------------------------------


def test_an_image_on_its_own_line_is_a_figure_never_inside_a_paragraph(image):
    """``![](image:N)`` becomes a figure with a WebP source, an img with its size, srcset,
    sizes, lazy loading and alt text, and the caption with credit and licence."""
    body = f"Before the image.\n\n![](image:{image.pk})\n\nAfter it, ![](image:{image.pk}) inline."
    html = render_markdown(body, images={image.pk: image_data(image)}).html
    assert len(figures(html)) == 2
    assert "<p><figure" not in html and "</figure></p>" not in html
    assert "<p>After it, </p>" in html and "<p> inline.</p>" in html
    figure = figures(html)[0]
    assert f'data-image="{image.pk}"' in figure
    assert '<source type="image/webp" srcset="' in figure
    assert ' width="800" height="600" loading="lazy" decoding="async"' in figure
    assert f'alt="{image.alt_text}"' in figure
    assert f'src="{MEDIA_PREFIX}{image.digest}/800.png"' in figure
    assert f"{MEDIA_PREFIX}{image.digest}/320.webp 320w" in figure
    assert 'sizes="(min-width: 50rem) 48rem, calc(100vw - 2rem)"' in figure
    assert (
        "<figcaption>The places breast cancer most often spreads to. · MBC Info (CC BY 4.0)"
        "</figcaption>" in figure
    )


def test_the_writer_overrides_alt_text_and_caption_for_one_use(image):
    """The alt part and the title of the Markdown replace the library's for that figure only."""
    body = f'![A body outline, bones marked](image:{image.pk} "Bone is the most common site")'
    rendered = render_markdown(body, images={image.pk: image_data(image)})
    assert 'alt="A body outline, bones marked"' in rendered.html
    assert "<figcaption>Bone is the most common site · MBC Info (CC BY 4.0)" in rendered.html
    assert rendered.images[0]["alt"] == "A body outline, bones marked"
    assert rendered.images[0]["caption"] == "Bone is the most common site"


def test_a_decorative_image_has_an_empty_alt(make_image):
    """A decorative image is announced as nothing: ``alt=""``."""
    image = make_image(alt_text="", decorative=True, caption="", credit="", license="own-work")
    html = render_markdown(f"![](image:{image.pk})", images={image.pk: image_data(image)}).html
    assert 'alt=""' in html
    assert "<figcaption>" not in html


@pytest.mark.parametrize(
    "markdown",
    [
        "![x](https://evil.example/x.png)",
        "![x](http://evil.example/x.png)",
        "![x](javascript:alert(1))",
        "![x](data:image/png;base64,iVBORw0KGgo=)",
        "![x](/media/images/../../secrets.txt)",
        "![x](//evil.example/x.png)",
        "![x][ref]\n\n[ref]: https://evil.example/x.png",
        "![x](image:42x)",
        "![x](image:-1)",
        "![x](image:1e3)",
        "![x](image: 1)",
    ],
)
def test_images_from_anywhere_else_are_removed(image, markdown):
    """External, script, data, traversal and malformed addresses show no image at all."""
    html = render_markdown(f"Text.\n\n{markdown}\n\nEnd.", images={image.pk: image_data(image)})
    assert "<img" not in html.html and "<figure" not in html.html
    assert not executable_parts(html.html)


def test_an_image_id_not_in_the_manifest_shows_nothing(image):
    """``image:N`` of an image the version does not record renders nothing, not a broken
    image; a huge id is no image either, and looking it up does not fail."""
    body = "![](image:99999)\n\n![](image:9223372036854775807)\n\n![](image:99999999999999999999)"
    rendered = render_markdown(body, images={image.pk: image_data(image)})
    assert "<img" not in rendered.html
    assert [ref.image_id for ref in rendered.image_refs] == [99999, 2**63 - 1, 10**20 - 1]
    assert build_manifest(body, None) == []


def test_srcset_and_attributes_cannot_be_injected_through_the_markdown(image):
    """Quotes in the caption, attribute lists and lookalike tokens never reach an attribute:
    every address loaded is a file of the media library."""
    body = (
        f'![a" onerror="alert(1)](image:{image.pk} "t\\" srcset=\\"https://evil.example/x 1w")\n\n'
        f'![b](image:{image.pk}){{: srcset="https://evil.example/y 1w" onerror="alert(1)" '
        'loading="eager"}\n\n'
        f'![c](image:{image.pk}){{: src="https://evil.example/z.png"}}\n\n'
        "mbcfigure0n0x and <figure><img src=https://evil.example/w.png></figure>"
    )
    html = render_markdown(body, images={image.pk: image_data(image)}).html
    assert len(figures(html)) == 2
    assert "evil.example" not in "".join(re.findall(r"<(?:img|source)[^>]*>", html))
    assert media_urls(html) and all(url.startswith(MEDIA_PREFIX) for url in media_urls(html))
    assert not executable_parts(html.replace("<img", "<x-img").replace("<source", "<x-source"))
    assert 'loading="lazy"' in figures(html)[1]


@pytest.mark.parametrize(
    ("attribute", "value"),
    [
        ("src", "https://evil.example/x.png"),
        ("src", "javascript:alert(1)"),
        ("src", "data:image/png;base64,AAAA"),
        ("src", "/media/images/../../settings.py"),
        ("srcset", "/media/images/a/320.webp 320w, https://evil.example/x 640w"),
        ("srcset", "javascript:alert(1) 1w"),
        ("srcset", "/media/images/a/320.webp 320w, /media/images/a/640.webp"),
    ],
)
def test_the_figure_sanitiser_keeps_only_media_addresses(media_storage, attribute, value):
    """The figure's allow-list drops any src or srcset that is not a file under the media
    URL, and any element or attribute the figure does not have."""
    markup = (
        f'<figure class="article-image" data-image="1" onclick="x"><picture>'
        f'<img {attribute}="{value}" width="10" height="10" alt="x" style="x"></picture>'
        "<script>alert(1)</script><figcaption>c</figcaption></figure>"
    )
    clean = sanitise_figure(markup)
    assert f'{attribute}="' not in clean
    assert "onclick" not in clean and "style" not in clean and "<script" not in clean
    ok = sanitise_figure('<img src="/media/images/a/1.png" srcset="/media/images/a/1.png 1w">')
    assert 'src="/media/images/a/1.png"' in ok and 'srcset="/media/images/a/1.png 1w"' in ok


def test_an_image_in_a_heading_or_link_is_not_shown_and_is_a_quality_problem(
    make_article, writer, image
):
    """Where no figure can stand, the image is left out and submitting says so."""
    article = make_article(writer, body=f"## Sites ![](image:{image.pk})\n\nText [@1].")
    assert "<img" not in reader_content(article)["body_html"]
    with pytest.raises(workflow.InvalidInput, match="heading or a link") as refused:
        workflow.submit(article=article, user=writer)
    assert refused.value.field == "body"


# Versions -------------------------------------------------------------------------------------


def test_each_version_records_the_images_it_shows_and_renders_from_that_record(
    make_article, writer, image
):
    """The manifest is read from the library at the save; a later change of the library
    reaches the page only through a new version."""
    article = make_article(writer, body=f"Text [@1].\n\n![](image:{image.pk})")
    assert [entry["id"] for entry in article.images] == [image.pk]
    assert article.images[0]["alt"] == image.alt_text
    Image.objects.filter(pk=image.pk).update(alt_text="Changed without a new version.")
    article.refresh_from_db()
    assert f'alt="{image.alt_text}"' in reader_content(article)["body_html"]
    workflow.save_working_copy(article=article, user=writer)
    assert 'alt="Changed without a new version."' in reader_content(article)["body_html"]


def test_the_comparison_shows_the_images_and_lead_image_in_words(make_article, writer, make_image):
    """Comparing two versions names each image shown, its alt text, caption, credit and
    file digest, and the lead image by its title."""
    image = make_image()
    article = make_article(writer, body=f"Text [@1].\n\n![](image:{image.pk})")
    lead = make_image(title="Treatment timeline", color=(10, 120, 60))
    Image.objects.filter(pk=image.pk).update(alt_text="Bones, lungs, liver and brain.")
    article.lead_image = lead
    workflow.save_working_copy(article=article, user=writer)
    changes = {change.name: change for change in compare_versions(article, 1, 2)}
    images = changes["images"]
    assert images.changed
    assert f"Image {image.pk}: alt “{image.alt_text}”" in images.old
    assert f"Image {image.pk}: alt “Bones, lungs, liver and brain.”" in images.new
    assert f"file sha256 {image.digest[:12]}" in images.new
    assert "credit MBC Info (CC BY 4.0)" in images.new
    assert changes["lead_image"].new == f"Image {lead.pk}: Treatment timeline"
    assert changes["lead_image"].old == ""


def test_the_comparison_names_a_change_of_rights_holder_or_source(make_article, writer, make_image):
    """The rights holder and source are in the image's data (and its digest): comparing the
    versions says what changed in them."""
    image = make_image(source_url="https://example.org/diagram")
    article = make_article(writer, body=f"Text [@1].\n\n![](image:{image.pk})")
    Image.objects.filter(pk=image.pk).update(
        rights_holder="Corrected Holder Ltd", source_url="https://example.org/corrected"
    )
    workflow.save_working_copy(article=article, user=writer)
    images = {change.name: change for change in compare_versions(article, 1, 2)}["images"]
    assert images.changed
    assert "rights holder MBC Info charity" in images.old
    assert "source https://example.org/diagram" in images.old
    assert "rights holder Corrected Holder Ltd" in images.new
    assert "source https://example.org/corrected" in images.new


def test_a_restore_reads_the_images_from_the_library_as_it_now_stands(
    make_article, writer, editor, image
):
    """Restoring an old version brings back its body, whose images are read again."""
    article = make_article(writer, body=f"Text [@1].\n\n![](image:{image.pk})")
    article.body = "Text without the image [@1]."
    workflow.save_working_copy(article=article, user=writer)
    assert Article.objects.get(pk=article.pk).images == []
    Image.objects.filter(pk=image.pk).update(caption="A newer caption.")
    restored = workflow.restore_version(article=article, number=1, user=editor)
    assert restored.version == 3
    assert [entry["caption"] for entry in restored.images] == ["A newer caption."]


def test_the_editorial_api_sets_the_lead_image_and_shows_the_images(make_article, writer, image):
    """The API writes ``lead_image`` by id and reports the images shown; they are never
    written by hand."""
    from tests.reviews.editorial_client import client_for, detail_url

    article = make_article(writer)
    client = client_for(writer)
    etag = client.get(detail_url(article))["ETag"]
    response = client.patch(
        detail_url(article), {"lead_image": image.pk}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.json()
    assert [entry["id"] for entry in response.json()["images"]] == [image.pk]
    etag = response["ETag"]
    for data, field in (({"images": []}, "images"), ({"lead_image": 10**9}, "lead_image")):
        refused = client.patch(detail_url(article), data, format="json", HTTP_IF_MATCH=etag)
        assert refused.status_code == 400 and field in refused.json()
    assert Article.objects.get(pk=article.pk).version == 2


# Public pages and the API ---------------------------------------------------------------------


def test_the_live_page_shows_the_lead_image_first_and_the_figures_of_the_body(
    publish_with, make_image
):
    """The lead image at the top (eager, high priority), the body's figures lazy, sharing
    tags and JSON-LD ImageObjects with licence, credit and rights holder."""
    image = make_image()
    lead = make_image(title="Timeline", color=(10, 120, 60), width=1200, height=630)
    article = publish_with(f"Text [@1].\n\n![](image:{image.pk})", lead_image=lead)
    page = fresh_page(f"/articles/{article.slug}/")
    top, body = page.split('<div class="article-body">', 1)
    assert len(figures(top)) == 1 and f'data-image="{lead.pk}"' in figures(top)[0]
    assert 'loading="eager" fetchpriority="high"' in figures(top)[0]
    assert len(figures(body)) == 1 and 'loading="lazy"' in figures(body)[0]
    lead_url = f"http://testserver/media/images/{lead.digest}/1200.png"
    assert f'<meta property="og:image" content="{lead_url}">' in page
    assert f'<meta property="og:image:alt" content="{lead.alt_text}">' in page
    assert '<meta property="og:image:width" content="1200">' in page
    assert '<meta property="og:image:height" content="630">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert f'<meta name="twitter:image" content="{lead_url}">' in page
    data = json_ld(page)
    assert [item["contentUrl"] for item in data["image"]] == [
        lead_url,
        f"http://testserver/media/images/{image.digest}/800.png",
    ]
    assert data["image"][0] == {
        "@type": "ImageObject",
        "contentUrl": lead_url,
        "width": 1200,
        "height": 630,
        "caption": lead.caption,
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "creditText": "MBC Info",
        "copyrightNotice": "MBC Info charity",
    }


def test_a_page_without_a_lead_image_shares_its_first_image(publish_with, image):
    """With no lead image, the first image of the body is the one shared."""
    article = publish_with(f"Text [@1].\n\n![](image:{image.pk})")
    page = fresh_page(f"/articles/{article.slug}/")
    assert f"/media/images/{image.digest}/800.png" in page.split('property="og:image"')[1]
    assert 'class="article-lead-image"' not in page


def test_a_page_without_images_has_no_image_tags(live_article):
    """No image, no sharing image tags and no ``image`` in the JSON-LD."""
    page = fresh_page(f"/articles/{live_article.slug}/")
    assert "og:image" not in page and "twitter:card" not in page
    assert "image" not in json_ld(page)


def test_the_api_detail_carries_images_and_lead_image(publish_with, make_image):
    """``images`` and ``lead_image`` give url, size, alt, caption, credit, licence and srcset,
    with absolute addresses."""
    image = make_image(image_format="JPEG", width=1700, height=1000)
    lead = make_image(title="Timeline", color=(10, 120, 60), license="cc0-1.0", credit="")
    article = publish_with(
        f'Text [@1].\n\n![Bones marked](image:{image.pk} "Bone")', lead_image=lead
    )
    data = APIClient().get(f"/api/v1/articles/{article.slug}/").json()
    base = f"http://testserver/media/images/{image.digest}"
    assert data["images"] == [
        {
            "url": f"{base}/1700.jpg",
            "width": 1700,
            "height": 1000,
            "alt": "Bones marked",
            "caption": "Bone",
            "credit": "MBC Info",
            "license": "cc-by-4.0",
            "srcset": f"{base}/320.jpg 320w, {base}/640.jpg 640w, {base}/1024.jpg 1024w, "
            f"{base}/1600.jpg 1600w, {base}/1700.jpg 1700w",
        }
    ]
    assert data["lead_image"]["url"] == f"http://testserver/media/images/{lead.digest}/800.png"
    assert data["lead_image"]["license"] == "cc0-1.0" and data["lead_image"]["credit"] == ""
    assert figures(data["body_html"])


def test_expired_rights_take_the_image_off_the_page_api_json_ld_and_sharing_tags(
    publish_with, make_image
):
    """From the day after its rights end, the image is not shown anywhere public: its figure
    becomes its caption as text, and the lead image, API entries, JSON-LD and tags go."""
    image = make_image()
    lead = make_image(title="Timeline", color=(10, 120, 60))
    kept = make_image(title="Kept", color=(0, 0, 0), caption="Still shown.")
    article = publish_with(
        f"Text [@1].\n\n![](image:{image.pk})\n\n![](image:{kept.pk})", lead_image=lead
    )
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Image.objects.filter(pk__in=[image.pk, lead.pk]).update(rights_expire_on=yesterday)
    page = fresh_page(f"/articles/{article.slug}/")
    assert [re.search(r'data-image="(\d+)"', f).group(1) for f in figures(page)] == [str(kept.pk)]
    assert f"/media/images/{image.digest}/" not in page
    assert f"/media/images/{lead.digest}/" not in page
    assert (
        '<p class="article-image-withdrawn">The places breast cancer most often spreads to.</p>'
        in page
    )
    assert f"/media/images/{kept.digest}/800.png" in page.split('property="og:image"')[1]
    assert [item["caption"] for item in json_ld(page)["image"]] == ["Still shown."]
    cache.clear()
    caching.forget_state()
    data = APIClient().get(f"/api/v1/articles/{article.slug}/").json()
    assert data["lead_image"] is None
    assert [entry["caption"] for entry in data["images"]] == ["Still shown."]
    assert image.digest not in json.dumps(data)


def test_an_image_gone_from_the_library_leaves_the_page_and_the_api(publish_with, make_image):
    """An image whose library row is gone (deleted before deletion checked every page) has
    nobody to vouch for its rights: it leaves the page and the API like an expired one."""
    image = make_image()
    kept = make_image(title="Kept", color=(0, 0, 0), caption="Still shown.")
    article = publish_with(f"Text [@1].\n\n![](image:{image.pk})\n\n![](image:{kept.pk})")
    Image.objects.filter(pk=image.pk).delete()
    page = fresh_page(f"/articles/{article.slug}/")
    assert [re.search(r'data-image="(\d+)"', f).group(1) for f in figures(page)] == [str(kept.pk)]
    assert f"/media/images/{image.digest}/" not in page
    cache.clear()
    caching.forget_state()
    data = APIClient().get(f"/api/v1/articles/{article.slug}/").json()
    assert [entry["caption"] for entry in data["images"]] == ["Still shown."]
    assert image.digest not in json.dumps(data)


def test_a_shared_preview_withdraws_images_like_public_pages(make_article, writer, make_image):
    """A signed preview link shows the version's images, less those whose rights expired
    (their caption left as text) or that left the library, as public pages do."""
    image = make_image()
    gone = make_image(title="Gone", color=(0, 0, 0), caption="No longer in the library.")
    kept = make_image(title="Kept", color=(9, 9, 9), caption="Still shown.")
    article = make_article(
        writer,
        body=f"Text [@1].\n\n![](image:{image.pk})\n\n![](image:{gone.pk})\n\n![](image:{kept.pk})",
    )
    url = preview_url(article.pk, article.version)
    assert len(figures(Client().get(url).text)) == 3
    Image.objects.filter(pk=image.pk).update(
        rights_expire_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    Image.objects.filter(pk=gone.pk).delete()
    page = Client().get(url).text
    assert [re.search(r'data-image="(\d+)"', f).group(1) for f in figures(page)] == [str(kept.pk)]
    assert image.digest not in page and gone.digest not in page
    assert (
        '<p class="article-image-withdrawn">The places breast cancer most often spreads to.</p>'
        in page
    )


def test_rights_ending_today_still_show_the_image_today(publish_with, image):
    """Rights that end today still cover today (``Image.objects.rights_expired``)."""
    article = publish_with(f"Text [@1].\n\n![](image:{image.pk})")
    Image.objects.filter(pk=image.pk).update(rights_expire_on=timezone.localdate())
    assert figures(fresh_page(f"/articles/{article.slug}/"))


def test_the_page_checks_its_images_in_one_query_whatever_their_number(publish_with, make_image):
    """The page and the API read the rights of the images shown in one query, for one image
    as for five."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    images = [make_image(color=(index * 40, 0, 0)) for index in range(5)]
    one = publish_with(f"Text [@1].\n\n![](image:{images[0].pk})", title="One image")
    body = "Text [@1].\n\n" + "\n\n".join(f"![](image:{image.pk})" for image in images)
    five = publish_with(body, lead_image=images[1], title="Five images")
    counts = {}
    for article in (one, five):
        for path in (f"/articles/{article.slug}/", f"/api/v1/articles/{article.slug}/"):
            cache.clear()
            caching.forget_state()
            client = Client()
            client.get("/robots.txt")  # works out the cache generation
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            counts[(article.title, path.startswith("/api"))] = len(queries)
    assert counts[("One image", False)] == counts[("Five images", False)]
    assert counts[("One image", True)] == counts[("Five images", True)]
