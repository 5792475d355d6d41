"""Signals the persona engine adds to a turn's codes, from the turn and the talk so far.

The coder codes one turn at a time; how a person reacts also depends on the pattern: the
third closed question in a row, advice before anyone asked what matters, a long lecture,
or an attempt to take the person out of their part (a role break).
"""

from __future__ import annotations

import re

from app.domain.conversation import Speaker, Turn
from app.domain.persona_state import StateDefaults

_ROLES = (
    r"(?:doctor|dr|nurse|clinician|assistant|ai|a\.i\.|chatbot|bot|robot|language model|"
    r"gp|consultant|surgeon|urologist|social worker|therapist|practitioner|narrator|system)"
)
_ROLE_BREAK = re.compile(
    r"\bignore (?:all |any |your |the |my |these |those |previous |prior |earlier |above )*"
    r"(?:instructions|prompts?|rules|directions|guidelines|programming)\b|"
    r"\b(?:forget|disregard|override) (?:all |any |your |the |previous |prior )*"
    r"(?:instructions|prompts?|rules|programming|character|role)\b|"
    r"\b(?:print|show|reveal|repeat|output|display|recite|paste|share|list|dump|read out|"
    r"tell me|give me|what (?:is|are|were)) (?:me )?(?:(?:your|the) (?:full |exact |whole |"
    r"original |hidden |secret )*(?:system )?(?:prompt|instructions|hidden facts|"
    r"character sheet|scenario file)|your (?:full |exact |whole |original |hidden |secret )*"
    r"(?:rules|brief|script|secrets?|persona))\b|"
    r"\bsystem (?:prompt|message)\b|"
    r"\byou(?: are|'re) (?:now |actually |really )?(?:the|a|an|my) " + _ROLES + r"\b|"
    r"\b(?:pretend|act|behave) (?:to be|as if you(?: are|'re| were)|as|like) (?:the |a |an )?"
    + _ROLES
    + r"\b|"
    r"\b(?:are you|you're|you are) (?:an? |just an? )?(?:ai|a\.i\.|bot|robot|chatbot|"
    r"language model|llm|computer|program|real person)\b|"
    r"\b(?:stop|quit) (?:playing|role-?playing|pretending|acting)\b|"
    r"\b(?:break|drop|leave|step out of) (?:the |your )?(?:character|role)\b|"
    r"\bout of character\b|\bdeveloper mode\b|\bjailbreak|\bdan mode\b|"
    r"\bwhat (?:are|were) you (?:told|instructed|programmed) to\b|"
    # Extraction: the hidden part of the brief, or the text before the conversation.
    r"\byour (?:hidden|secret|concealed|undisclosed) (?:\w+ )?(?:concerns?|worr(?:y|ies)|"
    r"facts?|agenda|information|details?|backstory|story|fears?|problems?|issues?|things?)\b|"
    r"\bwhat(?:'s| is) your secret\b|\bsecrets? (?:are |you(?:'re| are) )?(?:you )?(?:keeping|"
    r"hiding)\b|"
    r"\b(?:text|words|messages?|instructions|lines?|everything|all) (?:written )?above\b|"
    r"\b(?:not supposed|told not|instructed not|programmed not) to (?:say|tell|mention|"
    r"reveal|share|talk about)\b",
    re.IGNORECASE,
)
_OPENING_CODES = frozenset({"open_question", "simple_reflection", "complex_reflection", "empathy"})
# A closed question that asks permission ("Would it be okay if I...?"), checks that the
# person followed ("Does that make sense?") or checks a summary or reflection ("Is that
# right?", "Have I got that right?") hands the person control: it is not interrogation.
_CHECKING_CODES = frozenset(
    {"ask_permission", "chunk_check", "teach_back", "summary", "clarification", "what_matters"}
)
_PERMISSION_CODES = frozenset({"ask_permission", "what_matters"})


def is_role_break(text: str) -> bool:
    """The words ask the person to leave their part, reveal a prompt or be someone else."""
    return _ROLE_BREAK.search(text.replace("\u2019", "'")) is not None


def engine_signals(
    text: str, codes: list[str], history: list[Turn], rules: StateDefaults
) -> list[str]:
    """The engine signals of a practitioner turn ``text`` coded ``codes`` after ``history``."""
    earlier = [turn.codes for turn in history if turn.speaker is Speaker.PRACTITIONER]
    signals: list[str] = []
    if is_role_break(text):
        signals.append("role_break")
    if _closed_only(codes) and _closed_streak(earlier) + 1 >= rules.closed_question_run:
        signals.append("closed_question_run")
    if {"advice", "persuade"} & set(codes) and not _asked_first(codes, earlier):
        signals.append("premature_advice")
    if len(text.split()) >= rules.lecture_words and "?" not in text:
        signals.append("lecture")
    return signals


def _closed_only(codes: list[str]) -> bool:
    """A turn that only asks closed questions: counts towards a run of them."""
    return "closed_question" in codes and not (_OPENING_CODES | _CHECKING_CODES) & set(codes)


def _closed_streak(earlier: list[list[str]]) -> int:
    streak = 0
    for codes in reversed(earlier):
        if not _closed_only(codes):
            break
        streak += 1
    return streak


def _asked_first(codes: list[str], earlier: list[list[str]]) -> bool:
    """Permission was asked, or what matters explored, in this turn or before it."""
    return any(_PERMISSION_CODES & set(turn) for turn in [codes, *earlier])
