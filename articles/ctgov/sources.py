"""Where studies to sync come from: files (offline) or the registry (one request at a time).

Both yield ``StudyInput`` lazily, so a failure stays with its study and the next one is
still read. A file holds one v2 study record or a page of them (``{"studies": [...]}``, as
the v2 ``/studies`` endpoint answers); a directory is read file by file (``*.json``, sorted
by name).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from .client import MAX_RESPONSE_BYTES, CtgovClient
from .errors import MalformedStudy, SyncError
from .sync import StudyInput

# A study file is read whole, so it gets the same cap as an answer from the registry.
MAX_FILE_BYTES = MAX_RESPONSE_BYTES


class NoStudyFiles(ValueError):
    """The path names no file and no directory holding ``*.json`` files."""


def study_files(path: Path) -> list[Path]:
    """The file itself, or a directory's ``*.json`` files sorted by name."""
    if path.is_file():
        return [path]
    if path.is_dir():
        files = sorted(item for item in path.glob("*.json") if item.is_file())
        if not files:
            raise NoStudyFiles(f"{path} holds no .json files.")
        return files
    raise NoStudyFiles(f"{path} is neither a file nor a directory.")


def studies_from_path(path: Path) -> Iterator[StudyInput]:
    """Every study in a file or a directory of files; a file that cannot be read or parsed
    is one failed study named after the file. Raises ``NoStudyFiles`` at once (not when
    iterated) when there is nothing to read."""
    files = study_files(path)
    return (study for file in files for study in studies_from_file(file))


def studies_from_file(file: Path) -> Iterator[StudyInput]:
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            yield _failed(
                file, f"the file is larger than {MAX_FILE_BYTES // 2**20} MB; nothing read."
            )
            return
        document = json.loads(file.read_bytes())
    except OSError as error:
        yield _failed(file, f"cannot read the file ({error.strerror or error}).")
        return
    except UnicodeDecodeError as error:
        yield _failed(file, f"the file is not UTF-8 text ({error.reason}).")
        return
    except json.JSONDecodeError as error:
        yield _failed(
            file, f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})."
        )
        return
    except RecursionError:
        yield _failed(file, "not valid JSON: nested too deeply.")
        return
    if isinstance(document, dict) and "studies" in document:
        studies = document["studies"]
        if not isinstance(studies, list):
            yield _failed(file, "“studies” is not a list of study records.")
            return
        for position, study in enumerate(studies, start=1):
            yield StudyInput(source=f"{file.name} study {position}", data=study)
        return
    yield StudyInput(source=file.name, data=document)


def _failed(file: Path, message: str) -> StudyInput:
    return StudyInput(source=file.name, error=MalformedStudy(message, study=str(file)))


def studies_from_registry(
    nct_ids: Iterable[str], *, client: CtgovClient | None = None
) -> Iterator[StudyInput]:
    """Each study fetched from ClinicalTrials.gov when its turn comes."""
    client = client or CtgovClient()
    for nct_id in nct_ids:
        try:
            data = client.fetch_study(nct_id)
        except SyncError as error:
            yield StudyInput(source=nct_id, error=error, expected_nct_id=nct_id)
            continue
        yield StudyInput(source=nct_id, data=data, expected_nct_id=nct_id)
