"""E-mails sent after workflow transitions and reader feedback commit (console backend unless
configured). They are plain text; subjects are one line whatever a title or a reader holds."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.urls import reverse

from .roles import language_name, reviews_in_language, verified_reviewers
from .selectors import reviewer_of_record


def _admin_link(article) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "admin:articles_article_change", args=[article.pk]
    )


def _addresses(users) -> list[str]:
    return sorted({user.email for user in users if user.email and user.is_active})


def _one_line(text: str, limit: int = 150) -> str:
    """``text`` with every run of whitespace (newlines included) as one space: a header
    cannot be split, nor another one injected, by what a writer or reader typed."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _send(subject: str, body: str, recipients: list[str]) -> None:
    subject = _one_line(subject)
    if recipients:
        send_mass_mail(
            [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in recipients],
            fail_silently=True,
        )


def _editors():
    User = get_user_model()
    return User.objects.filter(
        Q(groups__name=settings.EDITORS_GROUP) | Q(is_superuser=True)
    ).distinct()


def review_requested(article, ineligible: set[int]) -> None:
    """Tell the clinical reviewers who may review this version: verified, reviewing in its
    language, not its writers. (Review languages are a JSON list, read here rather than in
    SQL: SQLite has no JSON containment lookup, and reviewers are few.)"""
    User = get_user_model()
    verified = verified_reviewers(User.objects.all()).exclude(pk__in=ineligible)
    reviewers = [
        user
        for user in verified.select_related("reviewer_profile")
        if reviews_in_language(user, article.language)
    ]
    if not _addresses(reviewers):
        nobody_can_review(article)
        return
    _send(
        f"Review requested: {article.title} (version {article.version})",
        f"Version {article.version} of “{article.title}” was submitted for clinical review."
        f"\n\nReview it at {_admin_link(article)}",
        _addresses(reviewers),
    )


def nobody_can_review(article) -> None:
    """Tell the editors that a version waits for a review nobody can give: no verified
    clinical reviewer (with an address) lists its language, or only its own writers do."""
    language = language_name(article.language)
    _send(
        f"No reviewer for: {article.title} (version {article.version})",
        f"Version {article.version} of “{article.title}” ({language}) was submitted for "
        f"clinical review, but no verified clinical reviewer who did not write it reviews in "
        f"{language}, so nobody was asked to review it.\n\nAdd {language} to a verified "
        "reviewer's profile (an editor sets the languages on the reviewer profile); they are "
        "then shown it under “Needs my review”."
        f"\n\n{_admin_link(article)}",
        editor_addresses(),
    )


def review_decided(article, review) -> None:
    """Tell the authors the outcome; on approval, tell the editors it can be published."""
    outcome = review.get_status_display().lower()
    comment = f"\n\nComment from the reviewer:\n{review.comment}" if review.comment else ""
    _send(
        f"{review.get_status_display()}: {article.title} (version {review.version})",
        f"{review.reviewer_byline.get('name', 'A reviewer')} {outcome} version {review.version} "
        f"of “{article.title}”.{comment}\n\n{_admin_link(article)}",
        _addresses(article.authors.all()),
    )
    if review.status == review.Status.APPROVED:
        _send(
            f"Ready to publish: {article.title} (version {review.version})",
            f"Version {review.version} of “{article.title}” was clinically approved and can be "
            f"published.\n\n{_admin_link(article)}",
            _addresses(_editors()),
        )


def review_due_reminder(person, articles) -> int:
    """Remind one author or reviewer which of their articles need a clinical review."""
    if not person.email:
        return 0
    lines = [
        f"- {article.title}: review due {article.next_review_due:%d %b %Y} ({_admin_link(article)})"
        for article in articles
    ]
    _send(
        f"Clinical review due: {len(articles)} article(s)",
        "These articles are due for clinical review:\n\n" + "\n".join(lines),
        [person.email],
    )
    return 1


def overdue_unpublished(article, *, due, days_overdue: int, reviewer) -> None:
    """Tell the editors, the authors and the reviewer of record that a page past its clinical
    review date was taken down, and how to bring it back."""
    people = [*_editors(), *article.authors.all(), *([reviewer] if reviewer else [])]
    _send(
        f"Unpublished: {article.title} is past its clinical review date",
        f"“{article.title}” was due for its clinical review on {due:%d %b %Y}. It is now "
        f"{days_overdue} days overdue, so it was unpublished automatically: readers no longer "
        "see it on the site, in search, in feeds or in the API, and partners were notified."
        "\n\nTo bring it back: save the article as a new version (with any updates it needs), "
        "submit it for clinical review, and publish it again once a clinical reviewer has "
        f"approved it. Its history is kept.\n\n{_admin_link(article)}",
        _addresses(people),
    )


def evidence_changed(person, trial, articles, changes: list[str]) -> None:
    """Tell one author or reviewer that a trial their articles cite changed on
    ClinicalTrials.gov (``changes``: one line each, "overall status Recruiting → Completed"),
    and which of their articles are flagged for clinical re-review."""
    site = settings.SITE_URL.rstrip("/")
    change_lines = "\n".join(f"- {change}" for change in changes)
    article_lines = "\n".join(
        f"- {article.title}\n  {_admin_link(article)}\n  Review page: "
        + site
        + reverse("admin:articles_article_review", args=[article.pk])
        for article in articles
    )
    _send(
        f"Evidence changed: {trial.nct_id} is cited by {len(articles)} of your article(s)",
        f"ClinicalTrials.gov reports changes to trial {trial.nct_id} ({trial.brief_title}), "
        f"{trial.registry_url}:\n\n{change_lines}\n\n"
        f"These articles you wrote or reviewed cite it and are flagged “evidence changed”:"
        f"\n\n{article_lines}\n\n"
        "The flag clears when a clinical reviewer approves a new version of the article, or "
        "confirms that it is still accurate, having considered the change. Every flagged "
        f"article: {site}{reverse('admin:articles_article_evidence')}",
        _addresses([person]),
    )


def _feedback_link(feedback) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "admin:articles_feedback_change", args=[feedback.pk]
    )


def _feedback_body(feedback, opening: str) -> str:
    article = feedback.article
    comment = feedback.comment or "(no comment)"
    concern = (
        "\nThe reader thinks something on the page is medically wrong or out of date."
        if feedback.clinical_concern
        else ""
    )
    return (
        f"{opening}\n\n"
        f"Article: {article.title} (version {feedback.version})\n"
        f"Helpful: {'yes' if feedback.helpful else 'no'}{concern}\n\n"
        f"What the reader wrote:\n{comment}\n\n"
        f"Handle it at {_feedback_link(feedback)}"
    )


def feedback_received(feedback) -> None:
    """Tell the editors of new reader feedback; for a clinical concern, the article's
    reviewer of record too (``clinical_concern_raised``)."""
    flag = "Clinical concern" if feedback.clinical_concern else "Reader feedback"
    _send(
        f"{flag}: {feedback.article.title}",
        _feedback_body(feedback, "A reader sent feedback on a published page."),
        _addresses(_editors()),
    )
    if feedback.clinical_concern:
        clinical_concern_raised(feedback)


def clinical_concern_raised(feedback) -> None:
    """Tell the clinician who signed off the live content that a reader or an editor thinks
    something on it may be medically wrong or out of date."""
    reviewer = reviewer_of_record(feedback.article)
    if reviewer is None:
        return
    _send(
        f"Clinical concern about a page you reviewed: {feedback.article.title}",
        _feedback_body(
            feedback,
            "Feedback on a page you signed off was flagged as a clinical concern. Please check "
            "the page and tell the editors what, if anything, needs to change.",
        ),
        _addresses([reviewer]),
    )


def editor_addresses() -> list[str]:
    """The e-mail addresses of the active editors (and superusers)."""
    return _addresses(_editors())


def image_rights(notices: list[tuple[str, list]]) -> None:
    """Tell the editors which images' rights expire soon or have expired (``notices``: one
    line per image, and the articles using it), in one message each."""
    if not notices:
        return
    site = settings.SITE_URL.rstrip("/")
    blocks = []
    for line, articles in notices:
        used = "".join(
            f"\n  used in: {article.title} {_admin_link(article)}" for article in articles
        )
        blocks.append(f"- {line}{used or chr(10) + '  not used in any article'}")
    _send(
        f"Image rights: {len(notices)} image(s) expiring or expired",
        "An image whose rights have expired is taken off public pages (its caption, or nothing, "
        "is shown in its place). Renew the rights and change the expiry date, or replace the "
        "image in the articles using it.\n\n"
        + "\n".join(blocks)
        + f"\n\nEvery image with expired rights: {site}"
        + reverse("admin:articles_image_changelist")
        + "?rights=expired",
        editor_addresses(),
    )


def translation_source_withdrawn(translation, *, source, source_version: int) -> None:
    """Tell the authors of a live translation and the editors that its source was taken off
    the site, and that the translation stays live until an editor decides."""
    site = settings.SITE_URL.rstrip("/")
    _send(
        f"Source withdrawn: {translation.title}",
        f"The source of the translation “{translation.title}” ({translation.language}), "
        f"“{source.title}” ({source.language}), was taken off the site (unpublished, "
        f"archived or overdue for review; its last live version was {source_version}). The "
        "translation stays live: readers are told it may not match its source, but nothing "
        "else changes until an editor decides.\n\n"
        "Editors: read why the source was withdrawn (its history), and if the reason applies "
        "to the translation too, unpublish it on its page.\n\n"
        f"The source: {_admin_link(source)}\nThe translation: {_admin_link(translation)}\n\n"
        f"Every translation to update: {site}" + reverse("admin:articles_article_translations"),
        sorted(set(_addresses(translation.authors.all())) | set(editor_addresses())),
    )


def translation_outdated(translation, *, source, source_version: int, translated_from) -> None:
    """Tell the authors of a live translation that its source has a newer live version, and
    how to bring the translation up to date."""
    site = settings.SITE_URL.rstrip("/")
    compare = reverse("admin:articles_article_compare", args=[source.pk])
    since = f"?from={translated_from}&to={source_version}" if translated_from else ""
    _send(
        f"Translation out of date: {translation.title}",
        f"The source of your translation “{translation.title}” ({translation.language}), "
        f"“{source.title}” ({source.language}), has a new version live: version "
        f"{source_version}. The translation readers see matches source version "
        f"{translated_from or '(none recorded)'}, so it is shown as out of date.\n\n"
        f"What changed in the source: {site}{compare}{since}\n\n"
        "To update it: bring the translation in line with the source, mark it as updated to "
        f"source version {source_version} on its page, send it for clinical review and publish "
        f"it again.\n\n{_admin_link(translation)}\n\nEvery translation to update: {site}"
        + reverse("admin:articles_article_translations"),
        _addresses(translation.authors.all()),
    )
