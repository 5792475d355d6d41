"""Missed moments: turns where a better move was available, each with a suggested rephrasing.

Found from the codes alone, so each is traceable to its turn: a run of closed questions (or
a closed question right after the person opened up), advice nobody asked for, information
with no check after it, options without doing nothing, and lecturing. Suggestions come from
authored templates (``rephrase.py``); ``narrative.py`` may replace them with a model's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from app.domain.conversation import Speaker
from app.domain.scorecard import CodedTurn
from app.reports import rephrase
from app.reports.model import MissedMoment

MAX_MOMENTS = 10
_OPENED_UP_WORDS = 12  # a person turn this long offered something worth exploring
_ASK_WINDOW = 2  # turns before advice in which permission (or a question) counts
_QUOTE = 140

_BARE = frozenset({"closed_question", "jargon"})

Finder = Callable[[Sequence[CodedTurn]], list[MissedMoment]]


def missed_moments(turns: Sequence[CodedTurn]) -> list[MissedMoment]:
    """Every missed moment, at most one per turn, in turn order (capped at MAX_MOMENTS)."""
    found: dict[int, MissedMoment] = {}
    for finder in FINDERS:
        for moment in finder(turns):
            found.setdefault(moment.turn, moment)
    return [found[turn] for turn in sorted(found)][:MAX_MOMENTS]


def _practitioner(turns: Sequence[CodedTurn]) -> list[CodedTurn]:
    return [t for t in turns if t.speaker is Speaker.PRACTITIONER]


def _person_before(turns: Sequence[CodedTurn], index: int) -> str:
    for turn in reversed(turns[:index]):
        if turn.speaker is Speaker.PERSON:
            return turn.text
    return ""


def _closed_only(turn: CodedTurn) -> bool:
    """A bare closed question: no other skill (a summary's 'anything else?' is not a miss)."""
    return "closed_question" in turn.codes and set(turn.codes) <= _BARE


def closed_questions(turns: Sequence[CodedTurn]) -> list[MissedMoment]:
    """The first of each run of closed-only turns, or one right after the person opened up."""
    said = _practitioner(turns)
    moments: list[MissedMoment] = []
    for position, turn in enumerate(said):
        if not _closed_only(turn) or (position and _closed_only(said[position - 1])):
            continue
        run = 1
        while position + run < len(said) and _closed_only(said[position + run]):
            run += 1
        before = _person_before(turns, turn.index)
        if run < 2 and len(before.split()) < _OPENED_UP_WORDS:
            continue
        why = (
            f"This began a run of {run} closed questions, so the person could only answer "
            "yes, no or a fact."
            if run >= 2
            else "The person had just opened up; a closed question narrowed what they could say."
        )
        moments.append(
            _moment(
                turn,
                "closed_question",
                "A closed question where an open one would have opened things up",
                why,
                rephrase.open_question(turn.text, before),
            )
        )
    return moments


def unasked_advice(turns: Sequence[CodedTurn]) -> list[MissedMoment]:
    """Advice with no permission asked (and no question from the person) just before."""
    moments: list[MissedMoment] = []
    for turn in _practitioner(turns):
        if "advice" not in turn.codes or "ask_permission" in turn.codes:
            continue
        window = turns[max(0, turn.index - _ASK_WINDOW) : turn.index]
        asked = any(
            "ask_permission" in t.codes or (t.speaker is Speaker.PERSON and "?" in t.text)
            for t in window
        )
        if not asked:
            why = "You advised without first asking whether the person wanted advice."
            moments.append(
                _moment(
                    turn,
                    "advice_unasked",
                    "Advice without asking",
                    why,
                    rephrase.ask_first(turn.text),
                )
            )
    return moments


def unchecked_information(turns: Sequence[CodedTurn]) -> list[MissedMoment]:
    """Information not followed, on that turn or the next of yours, by a check."""
    said = _practitioner(turns)
    checks = {"chunk_check", "teach_back"}
    moments: list[MissedMoment] = []
    for position, turn in enumerate(said):
        if "giving_information" not in turn.codes:
            continue
        following = said[position : position + 2]
        if any(checks & set(t.codes) for t in following):
            continue
        jargon = turn.evidence.get("jargon")
        why = "You gave information without checking how it was landing"
        why += f", and used {jargon} without saying what it means." if jargon else "."
        suggestion = rephrase.check_after(turn.text, jargon)
        moments.append(
            _moment(turn, "information_unchecked", "Information without a check", why, suggestion)
        )
    return moments


def options_without_nothing(turns: Sequence[CodedTurn]) -> list[MissedMoment]:
    """The first option talk, when doing nothing never came up as an option."""
    said = _practitioner(turns)
    if any("do_nothing" in t.codes for t in said):
        return []
    first = next((t for t in said if "option_talk" in t.codes), None)
    if first is None:
        return []
    why = "You set out options, but doing nothing (watchful waiting) never came up as one."
    return [
        _moment(
            first,
            "options_without_nothing",
            "Options without doing nothing",
            why,
            rephrase.add_doing_nothing(first.text),
        )
    ]


def lecturing(turns: Sequence[CodedTurn]) -> list[MissedMoment]:
    """Turns that lectured, warned or judged."""
    moments: list[MissedMoment] = []
    for turn in _practitioner(turns):
        if not {"persuade", "judgement"} & set(turn.codes):
            continue
        why = "This told the person what to do or think; it tends to make people dig in."
        suggestion = rephrase.reflect_instead(_person_before(turns, turn.index))
        moments.append(_moment(turn, "lecturing", "Lecturing or judging", why, suggestion))
    return moments


def _moment(turn: CodedTurn, kind: str, title: str, why: str, suggestion: str) -> MissedMoment:
    said = " ".join(turn.text.split())
    if len(said) > _QUOTE:
        said = said[: _QUOTE - 1].rstrip() + "\u2026"
    return MissedMoment(
        turn=turn.index, kind=kind, title=title, said=said, why=why, suggestion=suggestion
    )


# Order matters: the first finder to claim a turn names its moment.
FINDERS: tuple[Finder, ...] = (
    closed_questions,
    lecturing,
    unasked_advice,
    unchecked_information,
    options_without_nothing,
)
