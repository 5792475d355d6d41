"""xAPI 1.0.3 statements for assignment attempts: attempted, completed, scored.

Built as plain JSON-ready dicts in the shape of the xAPI 1.0.3 specification (Data,
section 2.4), so a learning record store can ingest the export as it is: the actor is an
account on this install (``homePage`` + username, no email leaves the app), the object is
the assignment as an activity, and the three statements of one attempt share a
``registration`` derived from the conversation, so an LRS can group them.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

XAPI_VERSION = "1.0.3"
LANGUAGE = "en-GB"
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"


class Verb(StrEnum):
    """The three verbs Rehearse reports, from the ADL vocabulary."""

    ATTEMPTED = "attempted"
    COMPLETED = "completed"
    SCORED = "scored"

    @property
    def iri(self) -> str:
        return f"http://adlnet.gov/expapi/verbs/{self.value}"


def registration(home_page: str, conversation_id: int) -> str:
    """The same UUID for every statement about one attempt (UUID5 of its address)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{home_page}/conversations/{conversation_id}"))


def score(raw: float, minimum: float, maximum: float) -> dict[str, float]:
    """An xAPI score: ``scaled`` is raw's place between min and max, in [0, 1]."""
    if not minimum < maximum or not minimum <= raw <= maximum:
        raise ValueError(f"score {raw} must lie within min {minimum} < max {maximum}")
    return {
        "scaled": round((raw - minimum) / (maximum - minimum), 4),
        "raw": raw,
        "min": minimum,
        "max": maximum,
    }


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds, as LRSs store it."""
    if moment.tzinfo is None:
        raise ValueError("xAPI timestamps need a timezone")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def statement(
    *,
    statement_id: str,
    verb: Verb,
    home_page: str,
    username: str,
    display_name: str,
    assignment_id: int,
    activity_name: str,
    conversation_id: int,
    at: datetime,
    result: dict[str, Any] | None = None,
    extensions: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One statement; ``result`` as xAPI's Result object, where the verb carries one."""
    home = home_page.rstrip("/")
    built: dict[str, Any] = {
        "id": str(uuid.UUID(statement_id)),
        "actor": {
            "objectType": "Agent",
            "name": display_name,
            "account": {"homePage": home, "name": username},
        },
        "verb": {"id": verb.iri, "display": {LANGUAGE: verb.value}},
        "object": {
            "objectType": "Activity",
            "id": f"{home}/assignments/{assignment_id}",
            "definition": {"name": {LANGUAGE: activity_name}, "type": SIMULATION},
        },
        "context": {
            "registration": registration(home, conversation_id),
            "platform": "Rehearse",
            "language": LANGUAGE,
            "extensions": {
                f"{home}/xapi/conversation": conversation_id,
                **{f"{home}/xapi/{key}": value for key, value in (extensions or {}).items()},
            },
        },
        "timestamp": timestamp(at),
        "version": XAPI_VERSION,
    }
    if result is not None:
        built["result"] = result
    return built
