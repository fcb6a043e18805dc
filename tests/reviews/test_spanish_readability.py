"""Spanish pages are scored for readability with a formula made for Spanish: the
Fernández-Huerta reading ease over syllables counted the Spanish way. It is stored with the
published page, shown to reviewers like the English grade, and a Spanish patient page below
``READABILITY_MIN_EASE_ES`` needs an override reason to be approved."""

import pytest
from django.utils import timezone

from reviews import workflow
from reviews.dashboard import metrics
from reviews.models import Review
from reviews.readability import analyse, count_syllables_es, fernandez_huerta
from tests.admin_client import AdminBrowser
from tests.reviews.editorial_client import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]

# Short words, short sentences: plain Spanish for the public.
EASY = (
    "## Qué es\n\nEl cáncer puede llegar a los huesos [@1]. A veces duele. "
    "Hay formas de tratar el dolor. Su equipo le puede ayudar. Pregunte lo que quiera."
)
# One long sentence of long words: hard to read in any language.
DENSE = (
    "La administración concomitante de inhibidores de ciclinas dependientes de quinasas "
    "con terapia endocrina incrementa significativamente la supervivencia libre de "
    "progresión en pacientes posmenopáusicas con enfermedad metastásica hormonosensible [@1]."
)


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("metástasis", 4),  # me-tás-ta-sis
        ("tratamiento", 4),  # tra-ta-mien-to: "ie" is one syllable
        ("quimioterapia", 5),  # qui-mio-te-ra-pia: the u of "qui" is silent
        ("día", 2),  # dí-a: a stressed í breaks the diphthong
        ("raíz", 2),
        ("leer", 2),  # two strong vowels: a hiatus
        ("aéreo", 4),
        ("huesos", 2),  # hue-sos
        ("guerra", 2),  # the u of "gue" is silent
        ("pingüino", 3),  # pin-güi-no: ü is heard
        ("averiguáis", 4),  # a-ve-ri-guáis: a triphthong
        ("hoy", 1),
        ("muy", 1),
        ("y", 1),
        ("ciudad", 2),
        ("Cáncer", 2),
        ("HER2", 1),
        ("2024", 2),
    ],
)
def test_spanish_syllables_follow_spanish_spelling(word, syllables):
    """Diphthongs, hiatus, silent u and final y are counted as Spanish is spoken."""
    assert count_syllables_es(word) == syllables


def test_fernandez_huerta_applies_its_formula():
    """206.84 − 0.60 × syllables per 100 words − 1.02 × words per sentence, to one
    decimal."""
    assert fernandez_huerta(100, 5, 200) == round(206.84 - 120 - 1.02 * 20, 1) == 66.4
    assert fernandez_huerta(0, 0, 0) == 0.0


def test_known_spanish_texts_score_as_expected():
    """A plain text reads easy (above 80), a dense clinical sentence very hard (below 30);
    Spanish text is scored on the Spanish scale, English on the grade."""
    easy, dense = analyse(EASY, "es"), analyse(DENSE, "es")
    assert easy.scale == dense.scale == "fernandez_huerta"
    assert easy.words == 27 and easy.sentences == 6
    assert easy.score == easy.fernandez_huerta > 80
    assert dense.score == dense.fernandez_huerta < 30
    assert easy.summary == f"Fernández-Huerta reading ease {easy.fernandez_huerta}"
    english = analyse("Bone pain is common. Ask your team.", "en")
    assert english.scale == "flesch_kincaid_grade"
    assert english.score == english.flesch_kincaid_grade


@pytest.fixture
def spanish_reviewer(reviewer):
    profile = reviewer.reviewer_profile
    profile.languages = ["en", "es"]
    profile.save()
    return reviewer


def submitted(make_article, writer, body):
    article = make_article(writer, title="Metástasis ósea", body=body, language="es")
    return workflow.submit(article=article, user=writer)


def test_a_hard_spanish_patient_page_needs_an_override(
    make_article, writer, spanish_reviewer, settings
):
    """Below READABILITY_MIN_EASE_ES, approval needs a reason; the warning names the Spanish
    scale and its target."""
    article = submitted(make_article, writer, DENSE)
    response = client_for(spanish_reviewer).act(article, "approve")
    assert response.status_code == 400
    assert "override reason" in response.json()["override_reason"][0]
    response = client_for(spanish_reviewer).act(
        article, "approve", {"override_reason": "Technical terms the patient needs."}
    )
    assert response.status_code == 200
    warnings = Review.objects.get(article=article).quality_warnings
    assert any("Fernández-Huerta reading ease" in w and "below the 60" in w for w in warnings)


def test_a_plain_spanish_page_is_not_held_to_the_english_grade(
    make_article, writer, spanish_reviewer, settings
):
    """A plain Spanish page passes although English syllable rules would grade it above the
    English target; raising the Spanish target holds it."""
    assert analyse(EASY, "en").flesch_kincaid_grade > 0
    settings.READABILITY_MAX_GRADE = 0  # the English target, which must not apply
    article = submitted(make_article, writer, EASY)
    settings.READABILITY_MIN_EASE_ES = 110  # above even this page
    assert client_for(spanish_reviewer).act(article, "approve").status_code == 400
    settings.READABILITY_MIN_EASE_ES = 60
    assert client_for(spanish_reviewer).act(article, "approve").status_code == 200


def test_the_published_page_stores_its_spanish_score(
    make_article, writer, spanish_reviewer, editor, live_article
):
    """A Spanish page's snapshot keeps its Fernández-Huerta ease in ``reading_grade``; the
    dashboard's grade chart, whose scale is the English grade, leaves it out."""
    article = submitted(make_article, writer, EASY)
    workflow.approve(article=article, user=spanish_reviewer)
    workflow.publish(article=article, user=editor)
    snapshot = workflow.live_snapshot(article)
    assert snapshot.reading_grade == analyse(EASY, "es").fernandez_huerta
    english = workflow.live_snapshot(live_article)
    distribution = metrics.readability_distribution(now=timezone.now())
    assert distribution.scored + distribution.unscored == 1  # the English page only
    assert english.language == "en"


def test_reviewers_see_the_spanish_scale(make_article, writer, spanish_reviewer, editor):
    """The review page and the article form show the Fernández-Huerta ease of a Spanish
    draft, as they show the grade of an English one."""
    article = submitted(make_article, writer, EASY)
    expected = f"Fernández-Huerta reading ease {analyse(EASY, 'es').fernandez_huerta}"
    assert expected in AdminBrowser(spanish_reviewer).page("review", article)
    assert expected in AdminBrowser(editor).page("change", article)
