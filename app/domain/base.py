"""Building blocks shared by every trainer-authored file: strict models and checked strings.

Models forbid unknown keys so a trainer's typo (``opening_lien``) is an error with a line
number, not a silently ignored field. Code names are checked against the code book for the
same reason: a misspelt code would make a release rule or a trust effect silently dead.
"""

from __future__ import annotations

from difflib import get_close_matches
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.domain.coding import CODE_BOOK, ENGINE_SIGNALS

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
SeedRef = Annotated[str, StringConstraints(pattern=r"^\d{3}:\d+(-\d+)?$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
Share = Annotated[float, Field(ge=0, le=1)]


class Strict(BaseModel):
    """Base for trainer-authored YAML: unknown keys are mistakes."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _known_code(name: str) -> str:
    if name not in CODE_BOOK:
        raise ValueError(
            f"'{name}' is not a code in the code book{_did_you_mean(name, CODE_BOOK)}. "
            f"Codes: {', '.join(CODE_BOOK)} (scenarios/README.md)."
        )
    return name


def _known_signal(name: str) -> str:
    if name not in CODE_BOOK and name not in ENGINE_SIGNALS:
        names = (*CODE_BOOK, *ENGINE_SIGNALS)
        raise ValueError(
            f"'{name}' is not a code or an engine signal{_did_you_mean(name, names)}. "
            f"Codes: {', '.join(CODE_BOOK)}; engine signals: {', '.join(ENGINE_SIGNALS)} "
            "(scenarios/README.md)."
        )
    return name


def _did_you_mean(name: str, names: tuple[str, ...]) -> str:
    close = get_close_matches(name, names, n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


CodeName = Annotated[
    str,
    AfterValidator(_known_code),
    Field(json_schema_extra={"enum": list(CODE_BOOK)}),
]
"""A fine code of DESIGN.md section 5, e.g. ``open_question``."""

SignalName = Annotated[
    str,
    AfterValidator(_known_signal),
    Field(json_schema_extra={"enum": [*CODE_BOOK, *ENGINE_SIGNALS]}),
]
"""A code, or a signal the persona engine derives (``role_break``, ``lecture``, ...)."""
