"""Plain words for code names and levels, so feedback never shows ``what_matters``."""

from __future__ import annotations

from collections.abc import Sequence

from app.domain.rubric_rules import LevelName

CODE_LABELS: dict[str, str] = {
    "introduction": "an introduction",
    "agenda_setting": "agenda setting",
    "open_question": "an open question",
    "closed_question": "a closed question",
    "screening": "an 'anything else?' check",
    "simple_reflection": "a simple reflection",
    "complex_reflection": "a complex reflection",
    "empathy": "empathy",
    "affirmation": "an affirmation",
    "normalisation": "normalising",
    "summary": "a summary",
    "clarification": "a clarifying check",
    "signposting": "signposting",
    "ask_permission": "asking permission (or what they know)",
    "giving_information": "information",
    "advice": "advice",
    "chunk_check": "a check of understanding",
    "teach_back": "teach-back",
    "option_talk": "talk about options",
    "benefits": "benefits",
    "risks": "risks",
    "alternatives": "alternatives",
    "do_nothing": "the option of doing nothing",
    "what_matters": "asking what matters",
    "strengths": "a question about strengths",
    "involvement": "talk about how they want to decide",
    "goal_setting": "goal setting",
    "persuade": "lecturing",
    "judgement": "judging",
    "jargon": "unexplained jargon",
    "person_asks": "a question from the person",
}

LEVEL_LABELS: dict[LevelName, str] = {
    LevelName.NOT_YET: "Not yet seen",
    LevelName.EMERGING: "Emerging",
    LevelName.ESTABLISHED: "Established",
    LevelName.EXEMPLARY: "Exemplary",
}


def label(code: str) -> str:
    """The plain words for a code."""
    return CODE_LABELS.get(code, code.replace("_", " "))


def join(codes: Sequence[str], word: str = "or") -> str:
    """ "a, b or c" in plain words."""
    words = [label(code) for code in dict.fromkeys(codes)]
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {word} {words[-1]}"


def first_upper(text: str) -> str:
    """The text with its first letter in capitals (``str.capitalize`` lowers the rest)."""
    return text[:1].upper() + text[1:]
