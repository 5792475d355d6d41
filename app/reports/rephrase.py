"""Authored rephrasings: how a missed moment might have been said, in the turn's own context.

Used whenever no capable model is configured (and as the fallback when one fails). Each
template keeps the practitioner's own topic and words where it can, so the suggestion reads
as "your question, opened up", not a generic line.
"""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"(?<=[.!?])\s+")

# Closed question patterns -> an open question on the same topic.
_OPENERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^any (\w+)\?$", re.I), "What {0} do you have?"),
    (
        re.compile(r"^(?:how many times|how often) do you (.+?)\?$", re.I),
        "What is it like when you {0}?",
    ),
    (
        re.compile(r"^(is|are|was|were) (it|this|that|they|things) (.+?)\?$", re.I),
        "How {0} {1} {2}?",
    ),
    (
        re.compile(r"^(?:do|did|have) you (?:have|get|take|had|got) any (.+?)\?$", re.I),
        "Tell me about any {0} you have.",
    ),
    (
        re.compile(r"^(?:do|did|have) you (?:have|get|notice|feel|had|got) an? (.+?)\?$", re.I),
        "What is the {0} like for you?",
    ),
    (re.compile(r"^are you (?:on|taking) any (.+?)\?$", re.I), "Tell me about any {0} you take."),
    (re.compile(r"^any (.+?)\?$", re.I), "What have you noticed about {0}?"),
    (
        re.compile(r"^(?:do|did|would|will|can|could) you (.+?)\?$", re.I),
        "How do you feel about {0}?",
    ),
)


def sentences(text: str) -> list[str]:
    """The text split into sentences."""
    return [part.strip() for part in _SENTENCE.split(" ".join(text.split())) if part.strip()]


def last_question(text: str) -> str:
    """The last sentence ending in a question mark (or the last sentence)."""
    parts = sentences(text)
    questions = [part for part in parts if part.endswith("?")]
    return (questions or parts or [text])[-1]


def open_question(closed: str, person_before: str) -> str:
    """A closed question rewritten as an open one on the same topic."""
    question = last_question(closed)
    for pattern, template in _OPENERS:
        found = pattern.match(question)
        if found:
            groups = [group.lower() if i == 0 else group for i, group in enumerate(found.groups())]
            opened = template.format(*groups)
            return opened[:1].upper() + opened[1:]
    if person_before:
        return f"You mentioned \u201c{_last(person_before)}\u201d. What was that like for you?"
    return "What can you tell me about that?"


def ask_first(advice: str) -> str:
    """Advice that asks permission first and invites the person's view after."""
    first = lead(advice)
    return (
        "Would it be all right if I shared what I'd suggest, and then we think it through "
        f"together? \u2026 {first} How does that sound to you?"
    )


def check_after(information: str, jargon: str | None) -> str:
    """Information in a smaller chunk, followed by a check of understanding."""
    first = lead(information)
    plain = f" (and say {jargon} in everyday words)" if jargon else ""
    return (
        f"{first}{plain} Let me pause there: what do you make of that so far? "
        "It would help me to hear it back in your own words."
    )


def add_doing_nothing(option_talk: str) -> str:
    """Option talk that names doing nothing (watchful waiting) as an option too."""
    first = lead(option_talk)
    return (
        f"{first} Another option is to do nothing for now and keep an eye on things; "
        "we can weigh that up alongside the others."
    )


def reflect_instead(person_before: str) -> str:
    """A reflection of the person's last words and an open question, instead of a lecture."""
    if person_before:
        return (
            f"It sounds as if this is weighing on you: \u201c{_last(person_before)}\u201d. "
            "What worries you most about it?"
        )
    return "It sounds as if this really matters to you. What worries you most about it?"


def lead(text: str) -> str:
    """The first sentence with some substance (skips openers such as 'Right.')."""
    parts = sentences(text) or [text]
    return next((part for part in parts if len(part.split()) >= 4), parts[0])


def _last(text: str) -> str:
    """The person's last sentence, shortened, without its closing punctuation."""
    parts = sentences(text) or [text]
    return _short(parts[-1], 70)


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split()).rstrip(".!?")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"
