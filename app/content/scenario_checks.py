"""Checks a scenario needs beyond its schema: references between parts, and partitioning.

Each check returns ``Problem``s; the loader turns a problem's ``loc`` into a file line (the
line holding ``word`` when one is given). The checks read a ``ScenarioParts``: built from a
valid scenario, or, when the file has schema errors too, from whatever parts of it parsed,
so one run of ``rehearse validate`` reports every mistake it can find.

Partitioning matters most: a hidden fact's keyword in text every prompt contains (person,
setting, opening line, open facts) would be in every prompt, and one in a line the person
can say before that fact is released (another fact's release line, a cued scripted line)
would give it away in the person's own words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError

from app.domain.decision import Decision
from app.domain.facts import HiddenFact
from app.domain.persona_state import StateSettings
from app.domain.scenario import Scenario
from app.sim.text import first_mention

Loc = tuple[str | int, ...]
ModelT = TypeVar("ModelT", bound=BaseModel)


class Problem(NamedTuple):
    """A mistake at ``loc``; ``word`` narrows the line to the one containing that word."""

    loc: Loc
    message: str
    word: str | None = None


@dataclass
class ScenarioParts:
    """The parts of a scenario the checks read, each with its location in the file."""

    facts: list[tuple[int, HiddenFact]] = field(default_factory=list)
    fact_ids: list[tuple[int, str]] = field(default_factory=list)
    decision: Decision | None = None
    state: StateSettings | None = None
    visible: list[tuple[Loc, str]] = field(default_factory=list)
    cued: list[tuple[Loc, str]] = field(default_factory=list)

    @classmethod
    def of(cls, scenario: Scenario) -> ScenarioParts:
        """The parts of a valid scenario."""
        return cls.from_data(scenario.model_dump(mode="json", exclude_none=True))

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ScenarioParts:
        """The parts of parsed YAML that are valid on their own (best effort)."""
        raw_facts = _list(data.get("hidden_facts"))
        ids = [(i, item["id"]) for i, item in enumerate(raw_facts) if _str_at(item, "id")]
        facts = [
            (i, fact) for i, item in enumerate(raw_facts) if (fact := _valid(HiddenFact, item))
        ]
        lines = _list(_dict(data.get("scripted")).get("lines"))
        return cls(
            facts=facts,
            fact_ids=ids,
            decision=_valid(Decision, data.get("decision")),
            state=_valid(StateSettings, data.get("state", {})),
            visible=list(_visible(data)),
            cued=[
                (("scripted", "lines", i, "say"), line["say"])
                for i, line in enumerate(lines)
                if _str_at(line, "say")
            ],
        )


def scenario_problems(parts: ScenarioParts | Scenario) -> list[Problem]:
    """Every cross-reference or partitioning mistake that can be found."""
    if isinstance(parts, Scenario):
        parts = ScenarioParts.of(parts)
    return [
        *_duplicate_fact_ids(parts),
        *_unknown_fact_references(parts),
        *_keywords_in_prompt_text(parts),
        *_keywords_said_too_early(parts),
        *_decision_problems(parts.decision),
        *_state_problems(parts.state),
    ]


def _duplicate_fact_ids(parts: ScenarioParts) -> Iterator[Problem]:
    counts = Counter(fact_id for _, fact_id in parts.fact_ids)
    seen: set[str] = set()
    for index, fact_id in parts.fact_ids:
        if counts[fact_id] > 1 and fact_id in seen:
            yield Problem(
                ("hidden_facts", index, "id"), f"'{fact_id}' is used by another hidden fact"
            )
        seen.add(fact_id)


def _unknown_fact_references(parts: ScenarioParts) -> Iterator[Problem]:
    ids = {fact_id for _, fact_id in parts.fact_ids}
    for index, fact in parts.facts:
        for number, condition in enumerate(fact.release):
            for ref_index, ref in enumerate(condition.after_facts):
                loc: Loc = ("hidden_facts", index, "release", number, "after_facts", ref_index)
                if ref == fact.id:
                    yield Problem(loc, f"'{ref}' cannot wait for itself")
                elif ref not in ids:
                    known = ", ".join(sorted(ids)) or "none"
                    yield Problem(loc, f"there is no hidden fact '{ref}' (hidden facts: {known})")


def _keywords_in_prompt_text(parts: ScenarioParts) -> Iterator[Problem]:
    for _, fact in parts.facts:
        for keyword in fact.keywords:
            for loc, text in parts.visible:
                if first_mention(text, [keyword]) is not None:
                    yield Problem(
                        loc,
                        f"'{keyword}', a keyword of hidden fact '{fact.id}', is in this line, "
                        "which every prompt contains (person, setting, opening line or open "
                        "facts), so the fact could never be kept back; reword this line or "
                        "choose another keyword",
                        keyword,
                    )


def _keywords_said_too_early(parts: ScenarioParts) -> Iterator[Problem]:
    """A line said before a fact is released must not name that fact's keywords.

    A hidden fact's ``say`` line is said when that fact is released, which is safe only if
    the other fact must be released first (``after_facts``, on every release condition). A
    cued scripted line has no release condition at all.
    """
    facts = {fact.id: fact for _, fact in parts.facts}
    for index, fact in parts.facts:
        before = _released_before(fact.id, facts)
        for other in facts.values():
            keyword = first_mention(fact.say, other.keywords)
            if other.id != fact.id and other.id not in before and keyword is not None:
                yield Problem(
                    ("hidden_facts", index, "say"),
                    f"'{keyword}' is a keyword of hidden fact '{other.id}', and '{fact.id}' can "
                    f"be released before '{other.id}', so this line would give it away; reword "
                    f"the line, or add after_facts: [{other.id}] to every release condition "
                    f"of '{fact.id}'",
                    keyword,
                )
    for loc, text in parts.cued:
        for other in facts.values():
            keyword = first_mention(text, other.keywords)
            if keyword is not None:
                yield Problem(
                    loc,
                    f"'{keyword}' is a keyword of hidden fact '{other.id}', and a cued line can "
                    "be said before that fact is released (it would never be chosen until "
                    "then); reword the line, or let the fact's own say line carry it",
                    keyword,
                )


def _released_before(fact_id: str, facts: Mapping[str, HiddenFact]) -> set[str]:
    """The facts that are always released before ``fact_id`` (through ``after_facts``)."""
    seen: set[str] = set()

    def needed(current: str) -> set[str]:
        fact = facts.get(current)
        if fact is None or current in seen or not fact.release:
            return set()
        seen.add(current)
        each = [
            set(condition.after_facts).union(*(needed(ref) for ref in condition.after_facts))
            for condition in fact.release
        ]
        return set.intersection(*each)

    return needed(fact_id) - {fact_id}


def _decision_problems(decision: Decision | None) -> Iterator[Problem]:
    if decision is None:
        return
    ids = [option.id for option in decision.options]
    for index, option in enumerate(decision.options):
        if ids.index(option.id) != index:
            yield Problem(("decision", "options", index, "id"), f"'{option.id}' is used twice")
    if not any(option.do_nothing for option in decision.options):
        yield Problem(
            ("decision", "options"),
            "no option has do_nothing: true (shared decisions include doing nothing); add an "
            "option such as 'wait and review' with do_nothing: true",
        )
    for key in ("leaning", "informed_preference"):
        preference = getattr(decision, key)
        if preference is not None and preference.option not in ids:
            yield Problem(
                ("decision", key, "option"),
                f"there is no option '{preference.option}' (options: {', '.join(ids)})",
            )


def _state_problems(state: StateSettings | None) -> Iterator[Problem]:
    if state is None or state.guarded_below is None or state.open_from is None:
        return
    if state.guarded_below >= state.open_from:
        yield Problem(("state", "guarded_below"), "must be less than state.open_from")


def _visible(data: Mapping[str, Any]) -> Iterator[tuple[Loc, str]]:
    """Every text of the file that goes into every prompt, with its location."""
    for key in ("setting", "opening_line"):
        if isinstance(data.get(key), str):
            yield (key,), data[key]
    person = _dict(data.get("person"))
    for key in ("about", "situation", "speaking_style", "cares_for"):
        if isinstance(person.get(key), str):
            yield ("person", key), person[key]
    for key in ("knows", "communication_needs"):
        for i, text in enumerate(_list(person.get(key))):
            if isinstance(text, str):
                yield ("person", key, i), text
    second = _dict(person.get("second_party"))
    for key in ("about", "relation"):
        if isinstance(second.get(key), str):
            yield ("person", "second_party", key), second[key]
    for i, text in enumerate(_list(data.get("open_facts"))):
        if isinstance(text, str):
            yield ("open_facts", i), text


def _valid(model: type[ModelT], value: object) -> ModelT | None:
    if value is None:
        return None
    try:
        return model.model_validate(value)
    except ValidationError:
        return None


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str_at(item: object, key: str) -> bool:
    return isinstance(item, dict) and isinstance(item.get(key), str)
