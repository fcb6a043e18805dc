"""A client of the editorial REST API, its addresses, ETags and a valid new article."""

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

ARTICLES = "/api/v1/editorial/articles/"


class EditorialClient(APIClient):
    def act(self, article, name: str, data: dict | None = None, *, if_match: str | None = ""):
        """POST workflow action ``name``, by default with the article's current ETag, as a
        client that just read it would (``if_match=None`` sends no If-Match)."""
        headers = {}
        if if_match is not None:
            headers["If-Match"] = if_match or etag(article)
        return self.post(action_url(article, name), data or {}, format="json", headers=headers)


def client_for(user) -> EditorialClient:
    client = EditorialClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def detail_url(article) -> str:
    return f"{ARTICLES}{article.pk}/"


def action_url(article, name: str) -> str:
    return f"{ARTICLES}{article.pk}/{name}/"


def etag(article) -> str:
    article.refresh_from_db()
    return f'"{article.pk}-{article.version}-{article.state}"'


def patch(client, article, data, *, if_match: str | None = None):
    headers = {} if if_match is None else {"If-Match": if_match}
    return client.patch(detail_url(article), data, format="json", headers=headers)


def new_article_data(**overrides) -> dict:
    data = {
        "title": "Liver metastases",
        "summary": "What happens when breast cancer spreads to the liver.",
        "body": "## Symptoms\n\nSome people have no symptoms [@1].",
        "topics": ["bone-metastases"],
        "audience": "patient",
        "references": [
            {
                "title": "Trastuzumab deruxtecan in HER2-low breast cancer",
                "journal": "N Engl J Med",
                "year": 2022,
                "pmid": "35665782",
                "doi": "10.1056/NEJMoa2203690",
            }
        ],
    }
    data.update(overrides)
    return data
