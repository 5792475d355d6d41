"""Checks a scenario needs beyond its schema: references between parts, and partitioning.

Each check returns ``(loc, message)`` pairs; the loader turns ``loc`` into a file line.
The partitioning check matters most: a hidden fact's keyword that also appears in the
persona text would be in every prompt, so the fact could never be kept back.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from app.domain.scenario import Scenario

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str]


def scenario_problems(scenario: Scenario) -> list[Problem]:
    """Every cross-reference or partitioning mistake in ``scenario``."""
    return [
        *_duplicate_fact_ids(scenario),
        *_unknown_fact_references(scenario),
        *_keywords_in_prompt_text(scenario),
        *_decision_problems(scenario),
        *_state_problems(scenario),
    ]


def _duplicate_fact_ids(scenario: Scenario) -> Iterator[Problem]:
    counts = Counter(fact.id for fact in scenario.hidden_facts)
    seen: set[str] = set()
    for index, fact in enumerate(scenario.hidden_facts):
        if counts[fact.id] > 1 and fact.id in seen:
            yield ("hidden_facts", index, "id"), f"'{fact.id}' is used by another hidden fact"
        seen.add(fact.id)


def _unknown_fact_references(scenario: Scenario) -> Iterator[Problem]:
    ids = {fact.id for fact in scenario.hidden_facts}
    for index, fact in enumerate(scenario.hidden_facts):
        for number, condition in enumerate(fact.release):
            for ref_index, ref in enumerate(condition.after_facts):
                loc: Loc = ("hidden_facts", index, "release", number, "after_facts", ref_index)
                if ref == fact.id:
                    yield loc, f"'{ref}' cannot wait for itself"
                elif ref not in ids:
                    yield loc, f"there is no hidden fact '{ref}'"


def _keywords_in_prompt_text(scenario: Scenario) -> Iterator[Problem]:
    visible = scenario.prompt_text().lower()
    for index, fact in enumerate(scenario.hidden_facts):
        for number, keyword in enumerate(fact.keywords):
            if re.search(rf"\b{re.escape(keyword.lower())}\b", visible):
                yield (
                    ("hidden_facts", index, "keywords", number),
                    f"'{keyword}' also appears in the text every prompt contains (person, "
                    "setting, opening line or open facts), so it cannot mark this fact as "
                    "kept back; reword one or choose another keyword",
                )


def _decision_problems(scenario: Scenario) -> Iterator[Problem]:
    decision = scenario.decision
    if decision is None:
        return
    ids = [option.id for option in decision.options]
    for index, option in enumerate(decision.options):
        if ids.index(option.id) != index:
            yield ("decision", "options", index, "id"), f"'{option.id}' is used twice"
    if not any(option.do_nothing for option in decision.options):
        yield ("decision", "options"), "no option has do_nothing: true (SDM includes doing nothing)"
    for key in ("leaning", "informed_preference"):
        preference = getattr(decision, key)
        if preference is not None and preference.option not in ids:
            yield (
                ("decision", key, "option"),
                f"there is no option '{preference.option}'",
            )


def _state_problems(scenario: Scenario) -> Iterator[Problem]:
    state = scenario.state
    if state.guarded_below is not None and state.open_from is not None:
        if state.guarded_below >= state.open_from:
            yield ("state", "guarded_below"), "must be less than state.open_from"
