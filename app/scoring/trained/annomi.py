"""Reading AnnoMI-format CSV files (``../shared/data/annomi/README.md``) for training and eval.

Only the columns the coder uses are required; a missing one is an error that names the file
and the column, so a wrong file fails at once instead of training on blanks.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

REQUIRED = (
    "transcript_id",
    "utterance_text",
    "main_therapist_behaviour",
    "question_subtype",
    "reflection_subtype",
    "prev_client_text",
)
BEHAVIOURS = ("question", "reflection", "therapist_input", "other")
QUESTION_TYPES = ("open", "closed")
REFLECTION_TYPES = ("simple", "complex")


class DataError(Exception):
    """The file cannot be used; the message says which file, line and column."""


@dataclass(frozen=True)
class Utterance:
    """One coded counsellor utterance; a subtype is "" where the gold has none."""

    transcript: str
    text: str
    prev_text: str
    behaviour: str
    question_type: str
    reflection_type: str


def check_columns(path: Path, found: list[str] | None, required: tuple[str, ...]) -> None:
    """DataError naming ``path`` and every required column its header lacks."""
    missing = [name for name in required if name not in (found or [])]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise DataError(
            f"{path}: missing column{plural} {', '.join(missing)} "
            f"(the header has: {', '.join(found or []) or 'nothing'})"
        )


def read_annomi(path: Path) -> list[Utterance]:
    """Every utterance in an AnnoMI-format CSV file, labels checked against the code book."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            check_columns(path, list(reader.fieldnames or []), REQUIRED)
            return [_utterance(path, reader.line_num, row) for row in reader]
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise DataError(f"{path}: cannot read: {reason}") from exc


def _utterance(path: Path, line: int, row: dict[str, str]) -> Utterance:
    behaviour = (row["main_therapist_behaviour"] or "").strip()
    if behaviour not in BEHAVIOURS:
        raise DataError(
            f"{path}:{line}: main_therapist_behaviour {behaviour!r} is not one of "
            f"{', '.join(BEHAVIOURS)}"
        )
    return Utterance(
        transcript=(row["transcript_id"] or "").strip(),
        text=row["utterance_text"] or "",
        prev_text=row["prev_client_text"] or "",
        behaviour=behaviour,
        question_type=_subtype(row["question_subtype"], QUESTION_TYPES),
        reflection_type=_subtype(row["reflection_subtype"], REFLECTION_TYPES),
    )


def _subtype(value: str | None, allowed: tuple[str, ...]) -> str:
    """The subtype, or "" for n/a, blank or anything outside ``allowed``."""
    value = (value or "").strip().lower()
    return value if value in allowed else ""
