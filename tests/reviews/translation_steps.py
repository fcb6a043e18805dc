"""Translations taken through the real workflow: a reviewer who reviews in Spanish, a
Spanish translation started from a live article, translated, approved and published."""

from articles.models import Article
from reviews import workflow
from tests.conftest import make_reviewer

SPANISH_TITLE = "Metástasis óseas"
SPANISH_BODY = "## Síntomas\n\nEl dolor de huesos es frecuente [@1]."


def spanish_reviewer(username: str = "revisora", languages=("es",)):
    """A verified clinical reviewer whose profile lists Spanish (and ``languages``)."""
    user = make_reviewer(username)
    user.reviewer_profile.languages = list(languages)
    user.reviewer_profile.save()
    return user


def start_spanish(source: Article, writer) -> Article:
    """``writer`` starts the Spanish translation of ``source`` and translates its text."""
    translation = workflow.start_translation(source=source, language="es", user=writer)
    translation.title, translation.body = SPANISH_TITLE, SPANISH_BODY
    translation.summary = "Qué ocurre cuando el cáncer de mama se extiende a los huesos."
    return workflow.save_working_copy(article=translation, user=writer, comment="Traducido.")


def publish(article: Article, writer, reviewer, editor, note: str = "") -> Article:
    """Submit, approve and publish the working copy as it stands."""
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer, comment="Correcto.")
    workflow.publish(article=article, user=editor, change_note=note)
    article.refresh_from_db()
    return article


def live_spanish(source: Article, writer, reviewer, editor) -> Article:
    """The Spanish translation of ``source``, started by ``writer``, approved by the Spanish
    ``reviewer`` and published by ``editor``."""
    return publish(start_spanish(source, writer), writer, reviewer, editor)
