"""The judge codes every practitioner turn, each code with the words that show it.

The reply must cover every practitioner turn exactly once, name only those turns, and quote
each code's words from its own turn; ``locate`` repairs near-quotes to the turn's words. A
code whose quote is not in the turn is left out (the model is asked again first).
"""

from __future__ import annotations

import json

from app.domain.coding import Behaviour, TurnCoding
from app.domain.conversation import Speaker
from app.domain.transcript import Transcript
from app.llm.base import ChatMessage, Role
from app.scoring.judge.asking import Asker, Checked
from app.scoring.judge.quotes import locate
from app.scoring.judge.schemas import CODE_NAMES, CodesReply, TurnCodes

METHOD = "judge"
_QUESTIONS = ("open_question", "closed_question")
_REFLECTIONS = ("simple_reflection", "complex_reflection")
_INPUT = ("giving_information", "advice", "option_talk", "benefits", "risks", "persuade")


async def judge_codes(
    asker: Asker, transcript: Transcript
) -> tuple[dict[int, TurnCoding], list[str]]:
    """Each practitioner turn's coding by the judge, and notes on repairs."""
    if not practitioner_turns(transcript):
        return {}, []
    messages = [
        ChatMessage(role=Role.SYSTEM, content=asker.prompts.render("judge_system")),
        ChatMessage(role=Role.USER, content=codes_prompt(asker, transcript)),
    ]
    return await asker.ask(messages, CodesReply, lambda reply: check_codes(reply, transcript))


def codes_prompt(asker: Asker, transcript: Transcript) -> str:
    """The user prompt: the code book, the numbered turns and the schema."""
    turns = [
        {"index": i, "speaker": t.speaker.value, "text": t.text}
        for i, t in enumerate(transcript.turns)
    ]
    schema = json.dumps(CodesReply.model_json_schema())
    return asker.prompts.render("judge_codes", turns=turns, schema=schema)


def practitioner_turns(transcript: Transcript) -> dict[int, str]:
    """Turn index to text, for the practitioner's turns."""
    return {i: t.text for i, t in enumerate(transcript.turns) if t.speaker is Speaker.PRACTITIONER}


def check_codes(reply: CodesReply, transcript: Transcript) -> Checked[dict[int, TurnCoding]]:
    """The codings the reply supports, and everything wrong with it."""
    wanted = practitioner_turns(transcript)
    codings: dict[int, TurnCoding] = {}
    checked: Checked[dict[int, TurnCoding]] = Checked(value=codings)
    for entry in reply.turns:
        if entry.turn not in wanted:
            checked.problems.append(f"turn {entry.turn} is not a practitioner turn")
            checked.fatal = True
        elif entry.turn in codings:
            checked.problems.append(f"turn {entry.turn} is given twice")
            checked.fatal = True
        else:
            codings[entry.turn] = _coding(entry, wanted[entry.turn], checked.problems)
    missing = [i for i in wanted if i not in codings]
    if missing:
        listed = ", ".join(str(i) for i in missing)
        checked.problems.append(f"practitioner turn(s) {listed} are missing; give every one")
        checked.fatal = True
    return checked


def _coding(entry: TurnCodes, text: str, problems: list[str]) -> TurnCoding:
    """One turn's coding with its quotes found in ``text``; invented quotes are dropped."""
    evidence: dict[str, str] = {}
    for item in entry.codes:
        if item.code in evidence:
            continue
        words = locate(item.quote, text)
        if words is None:
            problems.append(
                f'turn {entry.turn}, {item.code}: the quote "{item.quote}" is not in that turn'
            )
            continue
        evidence[item.code] = words
    codes = [code for code in CODE_NAMES if code in evidence]
    return TurnCoding(
        behaviour=behaviour_of(codes),
        question_type=next((c.split("_")[0] for c in codes if c in _QUESTIONS), ""),
        reflection_type=next((c.split("_")[0] for c in codes if c in _REFLECTIONS), ""),
        codes=codes,
        evidence=evidence,
        method=METHOD,
    )


def behaviour_of(codes: list[str]) -> Behaviour:
    """The AnnoMI top-level behaviour the fine codes imply."""
    if any(c in _QUESTIONS for c in codes):
        return Behaviour.QUESTION
    if any(c in _REFLECTIONS for c in codes):
        return Behaviour.REFLECTION
    if any(c in _INPUT for c in codes):
        return Behaviour.THERAPIST_INPUT
    return Behaviour.OTHER
