"""Settle the codes of one turn once every cue has been matched.

Cues match words; these rules use the sentence each match sits in. They drop codes that a
neighbouring code explains (a feeling named inside a summary is the person's, not empathy),
add codes that another implies (persuasion is advice), and find plain information: a
declarative sentence about the person's health or care that no other code claims.
"""

from __future__ import annotations

import re

from app.scoring.rules.codebook import OPTION_CONTENT
from app.scoring.rules.found import Found, same
from app.scoring.rules.text import Sentence, content_words

_I = re.IGNORECASE

# Codes whose sentence is not plain information: talk about the talk, feelings, checks, advice.
_NOT_INFORMATION = (
    "introduction",
    "agenda_setting",
    "screening",
    "empathy",
    "affirmation",
    "normalisation",
    "summary",
    "clarification",
    "signposting",
    "ask_permission",
    "advice",
    "chunk_check",
    "teach_back",
    "what_matters",
    "strengths",
    "involvement",
    "goal_setting",
    "persuade",
    "judgement",
)
# Sentences about the practitioner, the visit or the talk itself, or said back to the person.
_NOT_INFORMATION_START = re.compile(
    r"^\W*(?:(?:okay|ok|right|well|so)\b\W*)*(?:so\b|I\b|I'|let me|let's|shall|thanks|thank you|"
    r"see you|take care|hello|hi\b|good (?:morning|afternoon|evening)|sorry|please)",
    _I,
)
# Words about health, treatment and care: a statement with one of them (or a number) informs.
_CARE_WORDS = re.compile(
    r"\b(?:tests?|scans?|results?|blood|tablets?|medicines?|medication|operation|surgery|"
    r"treatments?|dose|stroke|brain|heart|kidneys?|lungs?|bladder|prostate|nerves?|spine|disc|"
    r"bones?|muscles?|pain|patch(?:es)?|nicotine|smok\w+|inhalers?|hospital|hospice|care|"
    r"carers?|physio\w*|exercises?|injections?|drugs?|therapy|symptoms?|infections?|"
    r"catheter|council|assessment|package|visits?|nurses?|team|dementia|swallowing|pressure|"
    r"clinic|recovery|diagnosis|cancer|x-ray|sugar|ward|falls?|anaesthetic|procedure|"
    r"condition|illness|disease|healing|heal|biopsy|steroid|morphine|painkillers?|"
    r"diabetes|breathing|breathless\w*|cough|appetite|sleep|doctors?|gp|consultant|"
    r"surgeon|specialist|antibiotics?|radiotherapy|chemotherapy|hip|knee|leg|arm|chest)\b"
    r"|\d",
    _I,
)
# Questions that still advise: "why not try...", "how would you feel about adding...".
_ADVISING_QUESTION = re.compile(r"^(?:why|what about|how about|how would you feel|have you)", _I)
_OPTION_WORDS = re.compile(r"\b(?:option|options|choice|choose|could|decide)\b", _I)


def _sentence_of(words: str, sentences: list[Sentence]) -> Sentence | None:
    low = same(words)
    return next((s for s in sentences if low and low in s.text.lower()), None)


def _same_sentence(found: Found, code: str, other: str, sentences: list[Sentence]) -> bool:
    """Whether the evidence of `code` sits in the sentence that evidences `other`."""
    ev = found.evidence
    if code not in ev or other not in ev:
        return False
    mine = _sentence_of(ev[code], sentences)
    return mine is not None and mine is _sentence_of(ev[other], sentences)


def _claimed(sent: Sentence, found: Found) -> bool:
    low = sent.text.lower()
    return any(same(found.evidence[c]) in low for c in _NOT_INFORMATION if c in found.evidence)


def _informs(sent: Sentence, found: Found, prev_words: set[str]) -> bool:
    """A declarative sentence with news about health or care, not said back to the person."""
    if sent.act not in ("statement", "input") and not (sent.act == "reflection" and not sent.stem):
        return False
    if sent.words < 4 or sent.text.rstrip().endswith("?"):
        return False
    if _NOT_INFORMATION_START.match(sent.text):
        return False
    if not (_CARE_WORDS.search(sent.text) or _within_sentence(found.evidence.get("jargon"), sent)):
        return False
    words = content_words(sent.text)
    if words and prev_words and len(words & prev_words) / len(words) >= 0.5:
        return False  # mostly the person's own words: a reflection
    return not _claimed(sent, found)


def _drop_explained(sentences: list[Sentence], found: Found) -> None:
    """Drop codes that a neighbouring code in the same sentence explains."""
    ev = found.evidence
    for code in ("empathy", "giving_information", *OPTION_CONTENT, "signposting"):
        if _same_sentence(found, code, "summary", sentences):
            found.drop(code)  # a summary gives back the person's words and feelings
    if "signposting" in ev and not _resource(ev["signposting"]):
        if _same_sentence(found, "giving_information", "signposting", sentences):
            found.drop("giving_information")  # "Let me explain how it works" announces it
    if "agenda_setting" in ev and "signposting" in ev and not _resource(ev["signposting"]):
        found.drop("signposting")  # agreeing the agenda already structures the talk
    if "teach_back" in ev:
        found.drop("goal_setting")  # "what will you do if..." checks understanding here
    for code in ("benefits", "risks"):
        for claimer in ("strengths", "judgement", "what_matters"):
            named = claimer == "what_matters" and code in _mentioned(ev)
            if _same_sentence(found, code, claimer, sentences) and not named:
                found.drop(code)
    _drop_asked(sentences, found)


def _drop_asked(sentences: list[Sentence], found: Found) -> None:
    """Drop information, advice and checks that their sentence's form contradicts."""
    ev = found.evidence
    info = _sentence_of(ev.get("giving_information", ""), sentences)
    if info is not None and (info.act == "question" or info.text.rstrip().endswith("?")):
        found.drop("giving_information")  # "Can I tell you how the operation works?" asks
    for code in ("advice", "chunk_check"):
        sent = _sentence_of(ev.get(code, ""), sentences)
        if sent is None:
            continue
        if code == "advice" and sent.act == "question" and sent.qtype == "open":
            if not _ADVISING_QUESTION.match(ev[code]):
                found.drop(code)  # "what would be best for you?" asks, it does not advise
        if code == "chunk_check" and sent.act in ("statement", "input"):
            if not sent.text.rstrip().endswith("?"):
                found.drop(code)  # "write down any questions" is not a check
    if _same_sentence(found, "goal_setting", "advice", sentences):
        found.drop("goal_setting")  # "I'd recommend setting a quit date" advises a goal


def _within_sentence(words: str | None, sent: Sentence) -> bool:
    return bool(words) and any(same(w) in sent.text.lower() for w in (words or "").split(", "))


def _resource(words: str) -> bool:
    return not re.search(
        r"\b(?:like to|going to|about to|start|move on|turn to|come back|go through|let's|"
        r"first|next|before we|moving on|then)\b",
        words,
        _I,
    )


def _mentioned(ev: dict[str, str]) -> set[str]:
    """BRAN codes named outright ("the risks", "the benefits"), which stand in any sentence."""
    named = {
        "benefits": r"\b(?:benefits?|pros|advantages?|upsides?)\b",
        "risks": r"\b(?:risks?|downsides?|side effects?|cons)\b",
    }
    return {code for code, pattern in named.items() if re.search(pattern, ev.get(code, ""), _I)}


def resolve(
    sentences: list[Sentence], norm: str, original: str, found: Found, prev_norm: str = ""
) -> None:
    """Settle codes that share words or imply one another."""
    ev = found.evidence
    if "chunk_check" in ev and "teach_back" in ev and ev["chunk_check"] in ev["teach_back"]:
        found.drop("chunk_check")
    if "teach_back" in ev and _within(ev.get("option_talk", "\0"), sentences, ("question",)):
        found.drop("option_talk")  # asking for the options back is not presenting them
    if "do_nothing" in ev and _OPTION_WORDS.search(norm):
        found.add("option_talk", ev["do_nothing"])
    if "persuade" in ev:
        found.add("advice", ev["persuade"])  # persuasion is advice given with pressure
    _drop_explained(sentences, found)
    for code in OPTION_CONTENT:
        if code in ev and _within(ev[code], sentences, ("input",)):
            found.add("giving_information", ev[code], strong=False)
            break
    if "giving_information" not in ev:
        prev_words = content_words(prev_norm)
        for sent in sentences:
            if _informs(sent, found, prev_words):
                found.add("giving_information", original[sent.start : sent.end], strong=False)
                if sent.act != "input":
                    sent.act = "input"
                break


def _within(words: str, sentences: list[Sentence], acts: tuple[str, ...]) -> bool:
    low = same(words)
    return any(s.act in acts and low in s.text.lower() for s in sentences)
