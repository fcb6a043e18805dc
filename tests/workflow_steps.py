"""Taking a test article through review and publication again with the real workflow services."""

from reviews import workflow


def approve_new_version(article, writer, reviewer, **changes):
    """``writer`` saves ``changes`` as a new version and submits it; ``reviewer`` approves it."""
    article.refresh_from_db()
    for name, value in changes.items():
        setattr(article, name, value)
    workflow.save_working_copy(article=article, user=writer)
    workflow.submit(article=article, user=writer)
    return workflow.approve(article=article, user=reviewer)


def publish_new_version(article, writer, reviewer, editor, note="Updated.", **changes):
    """As ``approve_new_version``, then ``editor`` publishes it with the change note ``note``."""
    approve_new_version(article, writer, reviewer, **changes)
    workflow.publish(article=article, user=editor, change_note=note)
    article.refresh_from_db()
    return article
