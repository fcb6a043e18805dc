"""The API as generated clients see it: request bodies are JSON only (a form or multipart body
is a 415 naming the type to send, and changes nothing), and the schema says so; every
operation is tagged; public operations need no credentials; no description is a leftover
developer docstring."""

import inspect
import re
import sys

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import Article
from tests.conftest import PASSWORD
from tests.feedback_steps import stored_feedback
from tests.reviews.editorial_client import ARTICLES, client_for, etag

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]

TOKEN_URL = "/api/v1/auth/token/"
PUBLIC_PREFIXES = ("/api/v1/articles/", "/api/v1/topics/", "/api/v1/trials/", TOKEN_URL)


def api_schema() -> dict:
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def assert_refused_as_not_json(response) -> None:
    assert response.status_code == 415, response.content
    assert response["Content-Type"] == "application/json"
    detail = response.json()["detail"]
    assert "application/json" in detail and "Unsupported media type" in detail


@pytest.mark.parametrize("body_format", ["multipart", "form"])
def test_token_endpoint_takes_json_only(writer, body_format):
    """The token endpoint refuses form and multipart bodies, even with the right password."""
    api = APIClient()
    credentials = {"username": writer.username, "password": PASSWORD}
    if body_format == "form":
        response = api.generic(
            "POST",
            TOKEN_URL,
            f"username={writer.username}&password={PASSWORD}",
            content_type="application/x-www-form-urlencoded",
        )
    else:
        response = api.post(TOKEN_URL, credentials, format="multipart")
    assert_refused_as_not_json(response)
    assert not Token.objects.exists()
    answer = api.post(TOKEN_URL, credentials, format="json")
    assert answer.status_code == 200 and answer.json()["token"]


@pytest.fixture
def body_targets(make_article, live_article, writer, editor, topic, trial, make_image):
    """Something behind every editorial operation that takes a body, and its state now."""
    article = make_article(writer, title="Liver metastases")
    feedback = stored_feedback(live_article, helpful=False, comment="Unclear")
    return {
        "article": article,
        "feedback": feedback,
        "topics": topic,
        "trials": trial,
        "images": make_image(),
    }


def path_for(path: str, targets: dict) -> str:
    """The path of an operation with its parameters filled from ``targets``."""
    if path.startswith("/api/v1/editorial/feedback/"):
        return path.replace("{id}", str(targets["feedback"].pk))
    if path.startswith(ARTICLES):
        return path.replace("{id}", str(targets["article"].pk))
    for records in ("topics", "trials", "images"):
        if path.startswith(f"/api/v1/editorial/{records}/"):
            return path.replace("{id}", str(targets[records].pk))
    assert "{" not in path, f"name an object for the parameters of {path} in path_for()"
    return path


def test_every_operation_with_a_body_refuses_form_and_multipart(body_targets):
    """Every editorial operation that takes a body (read from the schema, so new ones are
    covered too) answers a form or multipart body with 415, and nothing changes."""
    superuser = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    client = client_for(superuser)
    article, feedback = body_targets["article"], body_targets["feedback"]
    before = (article.version, article.state, feedback.status, Article.objects.count())
    tried = []
    for path, method, operation in operations(api_schema()):
        if "requestBody" not in operation or path == TOKEN_URL:
            continue
        url = path_for(path, body_targets)
        headers = {"If-Match": etag(article)}
        for content_type, body in (
            ("application/x-www-form-urlencoded", "title=Changed&status=triaged&comment=x"),
            (
                "multipart/form-data; boundary=XyZ",
                "--XyZ\r\nContent-Disposition: form-data; "
                'name="title"\r\n\r\nChanged\r\n--XyZ--\r\n',
            ),
        ):
            response = client.generic(
                method.upper(), url, body, content_type=content_type, headers=headers
            )
            assert_refused_as_not_json(response)
        tried.append(f"{method.upper()} {path}")
    assert {
        f"POST {ARTICLES}",
        f"PATCH {ARTICLES}{{id}}/",
        f"POST {ARTICLES}{{id}}/submit/",
        f"POST {ARTICLES}{{id}}/publish/",
        "PATCH /api/v1/editorial/feedback/{id}/",
    } <= set(tried)
    article.refresh_from_db()
    feedback.refresh_from_db()
    assert (article.version, article.state, feedback.status, Article.objects.count()) == before


def test_json_bodies_still_work_and_an_empty_body_is_no_body(body_targets, writer):
    """The same operations take JSON; an action without a body needs none."""
    article = body_targets["article"]
    client = client_for(writer)
    response = client.patch(
        f"{ARTICLES}{article.pk}/",
        {"summary": "What happens when it spreads to the liver."},
        format="json",
        headers={"If-Match": etag(article)},
    )
    assert response.status_code == 200, response.content
    response = client.post(f"{ARTICLES}{article.pk}/submit/", headers={"If-Match": etag(article)})
    assert response.status_code == 200 and response.json()["state"] == "in_review"


def test_schema_request_bodies_are_json_only():
    """Only application/json is documented for any request body (the token endpoint too)."""
    bodies = {
        f"{method.upper()} {path}": sorted(operation["requestBody"]["content"])
        for path, method, operation in operations(api_schema())
        if "requestBody" in operation
    }
    assert f"POST {TOKEN_URL}" in bodies and f"POST {ARTICLES}" in bodies
    assert {key: media for key, media in bodies.items() if media != ["application/json"]} == {}


def test_every_operation_has_a_tag_of_its_own():
    """Every operation is tagged by its view (topics and trials too), never by the path."""
    tags = {
        f"{method.upper()} {path}": operation.get("tags")
        for path, method, operation in operations(api_schema())
    }
    assert {key: value for key, value in tags.items() if not value or value == ["v1"]} == {}
    assert tags["GET /api/v1/topics/"] == ["public: topics"]
    assert tags["GET /api/v1/trials/{nct_id}/"] == ["public: trials"]


def test_public_operations_need_no_credentials_and_editorial_ones_do():
    """Public operations (and the token endpoint) carry `security: []`, so that generated
    clients call them with a plain client; editorial ones require a token or a session."""
    for path, method, operation in operations(api_schema()):
        if path.startswith(PUBLIC_PREFIXES):
            assert operation["security"] == [], (method, path)
        else:
            assert {"tokenAuth": []} in operation["security"], (method, path)
            assert {} not in operation["security"], (method, path)


# Text written for developers: reStructuredText roles and literals, template names, code.
DEVELOPER_TEXT = re.compile(
    r"``|:(?:class|func|meth|mod|attr):`|\bTemplate\b|\.html\b|\bself\.|\bTODO\b|\bXXX\b"
)


def descriptions(node, where=""):
    """Every description in the schema, with where it is."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                yield where, value
            else:
                yield from descriptions(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from descriptions(value, f"{where}[{index}]")


def project_docstrings() -> set[str]:
    """The docstrings of the project's modules, classes and functions loaded so far (every view
    and serializer is, once the schema is built)."""
    found = set()
    for name, module in list(sys.modules.items()):
        if not name.startswith(("articles", "reviews", "mbc_cms")) or module is None:
            continue
        objects = [module, *vars(module).values()]
        for value in list(objects):
            if inspect.isclass(value):
                objects += [v for v in vars(value).values() if inspect.isfunction(v)]
        for value in objects:
            doc = getattr(value, "__doc__", None)
            if isinstance(doc, str) and getattr(value, "__module__", name) == name:
                found.add(inspect.cleandoc(doc))
    return {doc for doc in found if len(doc) > 20}


def test_schema_descriptions_are_written_for_api_users():
    """No description in the schema is a docstring or reads like one."""
    schema = api_schema()
    texts = list(descriptions(schema))
    assert len(texts) > 200  # the operations, parameters and fields are described
    assert [(where, text) for where, text in texts if DEVELOPER_TEXT.search(text)] == []
    docstrings = project_docstrings()
    assert len(docstrings) > 100
    leftovers = [(where, text) for where, text in texts if text.strip() in docstrings]
    assert leftovers == [], "\n".join(f"{w}: {t}" for w, t in leftovers)
    operation_texts = [op.get("description", "") for _, _, op in operations(schema)]
    assert "Open to everyone, read-only, throttled, and friendly to HTTP caches." not in (
        operation_texts
    )
