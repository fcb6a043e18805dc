"""Fixtures of the workflow tests."""

import pytest

from reviews import signoff


@pytest.fixture
def signoff_holds(db):
    """After the test, whatever it did through the workflow, every live and scheduled snapshot
    still verifies against the sign-off ledger (``manage.py verify_signoff``)."""
    yield
    assert signoff.verify().violations == []
