"""Evidence tracking: articles citing a trial that changed are flagged "evidence changed"
until a clinical reviewer approves a new version or confirms they are still accurate.

``flag_citing_articles`` is what a trial sync calls with the changes it recorded.
"""

from __future__ import annotations

from articles.models import Article, ClinicalTrial, TrialChange


def flag_citing_articles(trial: ClinicalTrial, changes: list[TrialChange]) -> list[Article]:
    """Flag every article citing ``trial`` with each of ``changes``; returns the articles.

    (The issue-14 evidence helper implements this; until then nothing is flagged.)
    """
    return []
