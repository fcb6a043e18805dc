"""One exception family for everything that can go wrong with one study, each with a
message an operator can act on."""


class SyncError(Exception):
    """A study could not be fetched, read or stored; ``study`` names it (an NCT number or a
    file), ``message`` says why."""

    def __init__(self, message: str, *, study: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.study = study

    def __str__(self) -> str:
        return self.message


class StudyNotFound(SyncError):
    """ClinicalTrials.gov has no study with this NCT number (HTTP 404)."""


class RegistryUnavailable(SyncError):
    """The registry did not answer usefully after the retries (5xx, network errors,
    timeouts, rate limiting)."""


class MalformedStudy(SyncError):
    """What came back is not a v2 study: not JSON, or JSON of another shape."""


class InvalidStudy(SyncError):
    """A v2 study whose values cannot be stored: a bad or unexpected NCT number, or values
    that fail validation."""
