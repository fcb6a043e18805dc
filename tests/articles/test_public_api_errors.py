"""A refused query parameter is named in the 400 with a short echo of what was sent: a huge
value is never sent back whole."""

import pytest

pytestmark = pytest.mark.django_db

HUGE = "x" * 5000


@pytest.mark.parametrize(
    "url, field",
    [
        ("/api/v1/articles/?language=", "language"),
        ("/api/v1/articles/?audience=", "audience"),
        ("/api/v1/articles/?ordering=", "ordering"),
        ("/api/v1/trials/?status=", "status"),
        ("/api/v1/trials/?phase=", "phase"),
    ],
)
def test_a_huge_bad_value_is_echoed_truncated(client, url, field):
    """The error names the field and shows the value's first 49 characters and an ellipsis."""
    response = client.get(url + HUGE)
    assert response.status_code == 400
    (message,) = response.json()[field]
    message = message.lower()  # registry codes are read in capitals
    assert "x" * 49 + "…" in message
    assert "x" * 50 not in message
    assert len(response.content) < 400


def test_a_short_bad_value_is_echoed_whole(client):
    """A value of 50 characters or fewer is shown as sent."""
    response = client.get("/api/v1/articles/?language=klingon")
    assert response.status_code == 400
    assert "klingon" in response.json()["language"][0]
    assert "…" not in response.json()["language"][0]


def test_the_trials_page_echoes_a_huge_status_truncated(client):
    """The reader's /trials/ filter form shows the same short echo."""
    response = client.get("/trials/?status=" + HUGE)
    page = response.content.decode()
    assert "X" * 49 + "…" in page
    assert "X" * 50 not in page
