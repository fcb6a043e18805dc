"""Clinical trials from the ClinicalTrials.gov API v2.

``client`` fetches one study at a time over HTTP, ``mapping`` turns a v2 study record into
the values of a ``ClinicalTrial`` (with warnings for what it could not map as expected),
``sync`` writes them, one transaction and one version per study, recording the changes that
matter to the articles citing the trial, and ``sources`` reads studies from files or the
registry for ``manage.py sync_trials``. Every failure is a ``SyncError`` naming the study.
"""
