"""What an app developer does with a client generated from /api/schema/ by openapi-python-client.

Run by .ci/client-journey, with the generated package ``mbc_api_client`` on PYTHONPATH and a
seeded demo site at --base-url:

    python .ci/client_journey.py --base-url http://127.0.0.1:8000 --password mbc-demo-2026

Each step is printed; the first that fails stops the journey with exit status 1 and says what
it got. Everything goes through the generated code (models, operations, clients), except one
raw request that checks the server reads comma-separated ordering as the client's repeated
parameters.
"""

import argparse
import importlib
import pkgutil
import sys
import uuid

import httpx
import mbc_api_client
from mbc_api_client import AuthenticatedClient, Client
from mbc_api_client.api.auth import v1_auth_token_create
from mbc_api_client.api.editorial import (
    v1_editorial_articles_approve_create,
    v1_editorial_articles_create,
    v1_editorial_articles_partial_update,
    v1_editorial_articles_publish_create,
    v1_editorial_articles_retrieve,
    v1_editorial_articles_submit_create,
)
from mbc_api_client.api.public_articles import v1_articles_list, v1_articles_retrieve
from mbc_api_client.api.public_topics import v1_topics_list
from mbc_api_client.models import (
    ApproveRequest,
    Article,
    ArticleDetail,
    ArticleRequest,
    AudienceEnum,
    AuthTokenRequest,
    PaginatedArticleListList,
    PaginatedTopicList,
    PatchedArticleRequest,
    PublishRequest,
    ReferenceRequest,
    SubmitRequest,
    Token,
    V1ArticlesListAudience,
    V1ArticlesListOrderingItem,
)

PAGE_SIZE = 2


class JourneyFailed(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise JourneyFailed(message)


def expect(response, status: int, parsed_type, what: str):
    """The parsed body of ``response``, which must have ``status`` and parse as ``parsed_type``."""
    check(
        response.status_code == status and isinstance(response.parsed, parsed_type),
        f"{what}: expected {status} with {parsed_type.__name__}, got {int(response.status_code)}: "
        f"{response.content[:800]!r}",
    )
    return response.parsed


def step(text: str) -> None:
    print(f"client-journey: {text}", flush=True)


def import_every_module() -> int:
    modules = list(pkgutil.walk_packages(mbc_api_client.__path__, "mbc_api_client."))
    for module in modules:
        importlib.import_module(module.name)
    return len(modules)


def get_token(base_url: str, username: str, password: str) -> str:
    with Client(base_url=base_url) as client:
        response = v1_auth_token_create.sync_detailed(
            client=client, body=AuthTokenRequest(username=username, password=password)
        )
    return expect(response, 200, Token, f"token for {username}").token


def whole_list(client, **query) -> list:
    """Every page of the public article list for ``query``, in order."""
    results, page = [], 1
    while True:
        response = v1_articles_list.sync_detailed(
            client=client, page=page, page_size=PAGE_SIZE, **query
        )
        listing = expect(response, 200, PaginatedArticleListList, f"article list, page {page}")
        check(len(listing.results) <= PAGE_SIZE, f"page {page} holds more than page_size")
        results += listing.results
        if not listing.next_:
            check(len(results) == listing.count, f"{len(results)} articles, count {listing.count}")
            return results
        page += 1


def journey(base_url: str, password: str) -> None:
    step(f"imported all {import_every_module()} modules of the generated client")

    users = ("writer", "reviewer", "editor")
    tokens = {name: get_token(base_url, name, password) for name in users}
    step("tokens from POST /api/v1/auth/token/ for writer, reviewer and editor")

    def as_user(name: str) -> AuthenticatedClient:
        return AuthenticatedClient(base_url=base_url, token=tokens[name], prefix="Token")

    public = Client(base_url=base_url)
    # Public operations need no token, and a header without one is no header: an
    # AuthenticatedClient with no token sends an empty Authorization, and "Token " arrives as
    # "Token" (whitespace around a header value is dropped; httpx refuses to send it).
    no_tokens = {
        "an empty Authorization header": AuthenticatedClient(
            base_url=base_url, token="", prefix=""
        ),
        '"Authorization: Token" with no token': Client(
            base_url=base_url, headers={"Authorization": "Token"}
        ),
    }

    # -- The public list: a filter, two sort keys, pages of two -----------------------------
    ordering = [V1ArticlesListOrderingItem.UPDATED_AT_DESC, V1ArticlesListOrderingItem.TITLE]
    query = {"audience": V1ArticlesListAudience.PATIENT, "ordering": ordering}
    articles = whole_list(public, **query)
    check(len(articles) > PAGE_SIZE, f"only {len(articles)} live patient articles: no 2nd page")
    check(all(a.audience == AudienceEnum.PATIENT for a in articles), "the filter was ignored")
    slugs = [a.slug for a in articles]
    check(len(set(slugs)) == len(slugs), f"an article came on two pages: {slugs}")
    expected = sorted(articles, key=lambda a: (-a.updated_at.timestamp(), a.title))
    check(slugs == [a.slug for a in expected], f"not ordered by -updated_at, title: {slugs}")
    step(
        f"public list: audience=patient, ordering=-updated_at&ordering=title, {len(articles)} "
        f"articles over {-(-len(articles) // PAGE_SIZE)} pages of {PAGE_SIZE}, in order"
    )

    raw = httpx.get(
        f"{base_url}/api/v1/articles/",
        params={"audience": "patient", "ordering": "-updated_at,title", "page_size": 100},
    )
    check(raw.status_code == 200, f"comma-separated ordering: {raw.status_code} {raw.text[:300]}")
    check(
        [a["slug"] for a in raw.json()["results"]] == slugs,
        "ordering=-updated_at,title gives another order than the repeated parameter",
    )
    step("the same order with ordering=-updated_at,title")

    for header, client in no_tokens.items():
        again = whole_list(client, **query)
        check([a.slug for a in again] == slugs, f"{header} changes the public list")
        step(f"the same list with {header} (anonymous)")

    detail = expect(
        v1_articles_retrieve.sync_detailed(slugs[0], client=public),
        200,
        ArticleDetail,
        f"public article {slugs[0]}",
    )
    check(detail.slug == slugs[0] and detail.signoff.digest, "the detail lacks its sign-off")
    step(f"public detail of {detail.slug}: version {detail.version}, signed off")

    # -- A new article, from draft to live --------------------------------------------------
    topics = expect(
        v1_topics_list.sync_detailed(client=public), 200, PaginatedTopicList, "topic list"
    )
    check(bool(topics.results), "no topics")
    title = f"Generated-client journey {uuid.uuid4().hex[:8]}"
    draft = ArticleRequest(
        title=title,
        summary="A page written, reviewed and published through a generated API client.",
        body="## What the page says\n\nThe evidence for this treatment is described here [@1].\n",
        topics=[topics.results[0].slug],
        audience=AudienceEnum.PROFESSIONAL,
        references=[
            ReferenceRequest(
                title="Trastuzumab deruxtecan in previously treated HER2-low advanced breast "
                "cancer",
                authors="Modi S, Jacot W, Yamashita T, et al.",
                journal="N Engl J Med",
                year=2022,
                pmid="35665782",
                doi="https://doi.org/10.1056/NEJMoa2203690",
            )
        ],
        counterpart=None,
        comment="Created by the generated-client journey.",
    )
    writer = as_user("writer")
    response = v1_editorial_articles_create.sync_detailed(client=writer, body=draft)
    article = expect(response, 201, Article, "create a draft")
    check(article.state.value == "draft" and article.version == 1, f"created: {article.state}")
    check(article.counterpart is None, f"counterpart {article.counterpart!r}, not null")
    check(
        [r.doi for r in article.references] == ["10.1056/NEJMoa2203690"],
        f"references as stored: {[r.to_dict() for r in article.references]}",
    )
    etag = response.headers["ETag"]
    step(f"writer created draft {article.id} ({article.slug}) with 1 reference, no counterpart")

    response = v1_editorial_articles_partial_update.sync_detailed(
        article.id,
        client=writer,
        body=PatchedArticleRequest(
            summary="A page written, checked and published through a generated API client.",
            comment="Clearer summary.",
        ),
        if_match=etag,
    )
    article = expect(response, 200, Article, "edit with If-Match")
    check(article.version == 2 and article.state.value == "draft", f"edited: v{article.version}")
    stale = v1_editorial_articles_partial_update.sync_detailed(
        article.id, client=writer, body=PatchedArticleRequest(title="Lost update"), if_match=etag
    )
    check(stale.status_code == 412, f"a stale If-Match answered {int(stale.status_code)}")
    etag = response.headers["ETag"]
    step("writer edited it with If-Match (version 2); the old ETag is refused with 412")

    response = v1_editorial_articles_submit_create.sync_detailed(
        article.id, client=writer, body=SubmitRequest(comment="Ready for review."), if_match=etag
    )
    article = expect(response, 200, Article, "submit")
    check(article.state.value == "in_review", f"after submit: {article.state}")
    step("writer submitted it for clinical review")

    reviewer = as_user("reviewer")
    response = v1_editorial_articles_retrieve.sync_detailed(article.id, client=reviewer)
    expect(response, 200, Article, "reviewer reads the article")
    response = v1_editorial_articles_approve_create.sync_detailed(
        article.id,
        client=reviewer,
        body=ApproveRequest(comment="Accurate."),
        if_match=response.headers["ETag"],
    )
    article = expect(response, 200, Article, "approve")
    check(article.state.value == "approved", f"after approve: {article.state}")
    step("reviewer read it and approved it")

    editor = as_user("editor")
    response = v1_editorial_articles_retrieve.sync_detailed(article.id, client=editor)
    expect(response, 200, Article, "editor reads the article")
    response = v1_editorial_articles_publish_create.sync_detailed(
        article.id, client=editor, body=PublishRequest(), if_match=response.headers["ETag"]
    )
    article = expect(response, 200, Article, "publish")
    check(article.live_version == 2, f"after publish: live version {article.live_version}")
    step("editor read it and published it")

    # -- Readers see it ---------------------------------------------------------------------
    live = expect(
        v1_articles_retrieve.sync_detailed(article.slug, client=public),
        200,
        ArticleDetail,
        "the new article on the public API",
    )
    check(live.title == title and live.version == 2, f"public: {live.title!r} v{live.version}")
    check(live.counterpart is None and len(live.references) == 1, "public references/counterpart")
    check(live.signoff.version == 2, f"public sign-off of version {live.signoff.version}")
    newest = whole_list(public, ordering=[V1ArticlesListOrderingItem.UPDATED_AT_DESC])
    check(newest[0].slug == article.slug, f"newest live article: {newest[0].slug}")
    step(f"public API: {live.slug} live, version 2, signed off, the newest in the list")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--password", required=True)
    arguments = parser.parse_args()
    try:
        journey(arguments.base_url.rstrip("/"), arguments.password)
    except (JourneyFailed, httpx.HTTPError) as error:
        print(f"client-journey: FAILED: {error}", file=sys.stderr, flush=True)
        return 1
    step("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
