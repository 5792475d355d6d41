"""CSV and JSON exports of the coded transcript and the scores, and reading them back.

CSV: one row per turn (``index, speaker, text, codes, evidence`` and any further fields of
a coded turn), codes ``;``-joined and evidence as a JSON object, so a spreadsheet opens it
and ``read_csv`` gets the same turns back. JSON: the versioned score card itself, which
``read_json`` validates.
"""

from __future__ import annotations

import csv
import io
import json

from app.domain.scorecard import CodedTurn, ScoreCard

LIST_FIELDS = ("codes",)
DICT_FIELDS = ("evidence",)


def csv_columns() -> list[str]:
    """Every field of a coded turn, the core five first (new score-card fields follow)."""
    core = ["index", "speaker", "text", "codes", "evidence"]
    return core + [name for name in CodedTurn.model_fields if name not in core]


def _cell(name: str, value: object) -> str:
    if name in LIST_FIELDS:
        return ";".join(str(item) for item in value)  # type: ignore[attr-defined]
    if name in DICT_FIELDS:
        return json.dumps(value, ensure_ascii=False) if value else ""
    return "" if value is None else str(getattr(value, "value", value))


def to_csv(card: ScoreCard) -> str:
    """The coded transcript as CSV text."""
    columns = csv_columns()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for turn in card.turns:
        data = turn.model_dump()
        writer.writerow([_cell(name, data[name]) for name in columns])
    return out.getvalue()


def read_csv(text: str) -> list[CodedTurn]:
    """The turns of a CSV written by ``to_csv``."""
    rows = csv.DictReader(io.StringIO(text))
    if not {"index", "speaker", "text", "codes"} <= set(rows.fieldnames or ()):
        raise ValueError(f"not a Rehearse coded transcript: columns {rows.fieldnames}")
    return [CodedTurn.model_validate(_parsed(row)) for row in rows]


def _parsed(row: dict[str, str]) -> dict[str, object]:
    parsed: dict[str, object] = {}
    for name, cell in row.items():
        if name in LIST_FIELDS:
            parsed[name] = [item for item in cell.split(";") if item]
        elif name in DICT_FIELDS:
            parsed[name] = json.loads(cell) if cell else {}
        elif cell != "" or name == "text":
            parsed[name] = cell
    return parsed


def to_json(card: ScoreCard) -> str:
    """The whole score card (turns, criteria with quotes, summary, bands) as JSON text."""
    return card.model_dump_json(indent=2)


def read_json(text: str) -> ScoreCard:
    """The score card of a JSON export."""
    return ScoreCard.model_validate_json(text)
