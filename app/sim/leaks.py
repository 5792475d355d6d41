"""Does a reply give away a hidden fact that has not been released? Checked by content.

Exact strings are not enough: a model paraphrases ("she's been having panic attacks" for
"a panic attack in the car park"). Each hidden fact is recognised by its authored keywords
and by its *distinctive* content words: the words of the fact and its release line that
the person's everyday prompt text does not already contain. Two or three of those in one
reply (depending on how many the fact has) count as giving it away.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from app.domain.facts import HiddenFact
from app.domain.scenario import Scenario
from app.sim.cache import PerScenario
from app.sim.text import content_stems, first_mention


@dataclass(frozen=True)
class FactDetector:
    """Recognises one hidden fact in a text."""

    fact_id: str
    keywords: tuple[str, ...]
    stems: frozenset[str]

    @property
    def threshold(self) -> int:
        """How many distinctive words make a leak: 2 for a short fact, else 3."""
        return 2 if len(self.stems) <= 6 else 3

    def evidence(self, text: str, allowed: frozenset[str] = frozenset()) -> str:
        """The words of ``text`` that give the fact away, or "" when none do.

        ``allowed`` are stems the person may now use (those of released facts). A keyword
        made only of such stems no longer marks this fact: a released line that names it
        (a late wife's name in the line about her dog) has already said it.
        """
        keywords = [k for k in self.keywords if not _said(k, allowed)]
        keyword = first_mention(text, keywords)
        if keyword is not None:
            return f"'{keyword}'"
        hits = (content_stems(text) & self.stems) - allowed
        return ", ".join(sorted(hits)) if len(hits) >= self.threshold else ""


@lru_cache(maxsize=4096)
def _keyword_stems(keyword: str) -> frozenset[str]:
    return content_stems(keyword)


def _said(keyword: str, allowed: frozenset[str]) -> bool:
    stems = _keyword_stems(keyword)
    return bool(allowed) and bool(stems) and stems <= allowed


def _detectors(scenario: Scenario) -> dict[str, FactDetector]:
    public = content_stems(scenario.prompt_text())
    return {fact.id: _detector(fact, public) for fact in scenario.hidden_facts}


def _detector(fact: HiddenFact, public: frozenset[str]) -> FactDetector:
    stems = content_stems(f"{fact.fact} {fact.say}") - public
    return FactDetector(fact_id=fact.id, keywords=tuple(fact.keywords), stems=stems)


detectors_for = PerScenario(_detectors)
"""Every hidden fact's detector, by fact id, built once per scenario."""


def released_stems(scenario: Scenario, released: set[str] | frozenset[str]) -> frozenset[str]:
    """Stems the person may use now that these facts are released."""
    detectors = detectors_for(scenario)
    return frozenset().union(*(detectors[i].stems for i in released if i in detectors))


def leaked_facts(scenario: Scenario, text: str, released: set[str] | frozenset[str]) -> list[str]:
    """Ids of the unreleased hidden facts ``text`` gives away."""
    allowed = released_stems(scenario, released)
    return [
        fact_id
        for fact_id, detector in detectors_for(scenario).items()
        if fact_id not in released and detector.evidence(text, allowed)
    ]
