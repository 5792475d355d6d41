"""Who the person is, as a reply must not contradict it: their name, age, and voice.

Small models drift into someone else ("My name is Karen, the receptionist", "I'm a
44-year-old woman"), or talk about the person from outside ("Graham is worried"). The reply
checks refuse such a sentence; ``rehearse bench`` also counts drafts in the first person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.scenario import Scenario
from app.sim.cache import PerScenario
from app.sim.novelty import vocabulary_of
from app.sim.text import STOP_WORDS, normalise, words

# Up to this many words, a reply needs no "I" to be in the person's voice ("Yes.").
SHORT_ANSWER_WORDS = 3

_FIRST_PERSON = frozenset("i i'm i've i'd i'll me my mine myself we we're we've our us".split())
_THIRD_PERSON_VERBS = r"(?:is|was|has|had|feels|felt|says|said|thinks|wants|does|'s)"
_NAME_CLAIM = re.compile(
    r"\b(?i:my name(?:'s| is)|(?:i'm|i am|it's|this is) called|call me)\s+([A-Z][a-z]+)"
    r"|\b(?:I'm|I am)\s+([A-Z][a-z]+)\b(?!')"
)
_AGE_CLAIM = re.compile(
    r"\b(?:i'm|i am|i turned|i'll be)\s+(\d{1,3})\b(?!\s*(?:%|percent|minutes?|hours?|"
    r"days?|weeks?|months?|times?|mg|pounds?|quid|stone|kilos?|miles?))"
    r"|\b(?:i'm|i am) an? (\d{1,3})[- ]years?[- ]old\b",
    re.IGNORECASE,
)
# Capitalised words that follow "I'm" at a sentence start without being a name.
_NOT_NAMES = frozenset(
    "sorry fine afraid scared worried tired okay alright glad happy sure not just still "
    "really here there going trying doing having being getting telling saying thinking "
    "looking feeling coping managing frightened embarrassed ashamed honest".split()
)
# Numbers below this after "I'm" read as counts ("I'm 6 weeks in"), not ages.
_ADULT_AGE = 16


@dataclass(frozen=True)
class Identity:
    """The facts about the person a reply must keep to."""

    first_name: str
    names: frozenset[str]
    age: int
    numbers: frozenset[str]


def _identity(scenario: Scenario) -> Identity:
    person = scenario.person
    names = [person.name, person.cares_for or ""]
    if person.second_party is not None:
        names.append(person.second_party.name)
    return Identity(
        first_name=person.name.split()[0],
        names=frozenset(words(" ".join(names))),
        age=person.age,
        numbers=vocabulary_of(scenario).numbers,
    )


identity_of = PerScenario(_identity)
"""The identity of a scenario's person, built once per scenario."""


def contradiction(text: str, scenario: Scenario | Identity) -> str:
    """How ``text`` contradicts who the person is: another name or another age ("" if not).

    Names count when introduced ("my name is Karen", "I'm Karen"); a capitalised word that
    is an everyday word ("I'm Sorry") or part of any name in the scenario does not.
    """
    who = scenario if isinstance(scenario, Identity) else identity_of(scenario)
    text = text.replace("\u2019", "'")
    for match in _NAME_CLAIM.finditer(text):
        name = normalise(match.group(1) or match.group(2))
        if name not in who.names and name not in STOP_WORDS | _NOT_NAMES:
            return f"calls themself {match.group(1) or match.group(2)}"
    for match in _AGE_CLAIM.finditer(text):
        age = int(next(group for group in match.groups() if group))
        if age >= _ADULT_AGE and abs(age - who.age) > 1 and str(age) not in who.numbers:
            return f"gives their age as {age}"
    return ""


def third_person_self(text: str, scenario: Scenario | Identity) -> bool:
    """``text`` talks about the person from outside ("Graham is worried")."""
    who = scenario if isinstance(scenario, Identity) else identity_of(scenario)
    pattern = rf"\b{re.escape(who.first_name)}\s+{_THIRD_PERSON_VERBS}\b"
    return re.search(pattern, text.replace("\u2019", "'")) is not None


def speaks_as_person(draft: str, scenario: Scenario | Identity) -> bool:
    """The draft is in the first person and never talks about the person from outside.

    A short answer ("Yes.", "Not really, no.") needs no pronoun to be the person's own.
    """
    tokens = words(draft)
    if len(tokens) > SHORT_ANSWER_WORDS and not _FIRST_PERSON & set(tokens):
        return False
    return not third_person_self(draft, scenario)
