"""The optional model-written part of a report: a coach's summary and in-context rephrasings.

Only used when a capable endpoint is configured (the ``openai`` provider); the report is
complete without it and says which source its rephrasings came from. The prompt lives in
``prompts/report_narrative.j2``; the reply must be one JSON object, and anything else is a
clear failure that leaves the authored rephrasings in place.
"""

from __future__ import annotations

import json
import re

from pydantic import BaseModel, Field, ValidationError

from app.content.prompts import PromptLibrary
from app.llm.base import ChatMessage, ChatModel, ChatRequest, LLMError, Role, complete
from app.reports.model import Narrative, Report

PROMPT = "report_narrative"
_JSON = re.compile(r"\{.*\}", re.DOTALL)
_MAX_TOKENS = 900


class Rephrasing(BaseModel):
    """A model's rephrasing of one missed moment."""

    turn: int
    text: str = Field(min_length=1)


class NarrativeReply(BaseModel):
    """The JSON object the prompt asks for."""

    summary: str = Field(min_length=1)
    rephrasings: list[Rephrasing] = Field(default_factory=list)


def narrative_request(report: Report, prompts: PromptLibrary) -> ChatRequest:
    """The chat request for ``report`` (pure, so it can be tested without a model)."""
    text = prompts.render(
        PROMPT,
        person_name=report.person_name,
        turns=report.card.turns,
        criteria=report.criteria,
        missed=report.missed,
    )
    return ChatRequest(
        messages=[ChatMessage(role=Role.USER, content=text)],
        max_tokens=_MAX_TOKENS,
        temperature=0.2,
    )


def parse_reply(text: str) -> NarrativeReply:
    """The JSON object in the model's reply; ValueError saying what was wrong otherwise."""
    found = _JSON.search(text)
    if found is None:
        raise ValueError("the model's reply had no JSON object in it")
    try:
        return NarrativeReply.model_validate(json.loads(found.group(0)))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise ValueError(f"the model's reply was not the expected JSON: {exc}") from exc


async def write_narrative(report: Report, model: ChatModel, prompts: PromptLibrary) -> Report:
    """``report`` with the model's summary and rephrasings, or with the failure noted."""
    try:
        reply = parse_reply((await complete(model, narrative_request(report, prompts))).text)
    except (LLMError, ValueError) as exc:
        failed = Narrative(status="failed", model=model.model_id, message=str(exc))
        return report.model_copy(update={"narrative": failed})
    return apply_reply(report, reply, model.model_id)


def apply_reply(report: Report, reply: NarrativeReply, model_id: str) -> Report:
    """Put a parsed reply into ``report``; rephrasings replace templates turn by turn."""
    by_turn = {r.turn: r.text.strip() for r in reply.rephrasings}
    missed = [
        m.model_copy(update={"suggestion": by_turn[m.turn], "source": "llm"})
        if m.turn in by_turn
        else m
        for m in report.missed
    ]
    all_llm = bool(missed) and all(m.source == "llm" for m in missed)
    return report.model_copy(
        update={
            "missed": missed,
            "rephrasing_source": "llm" if all_llm else "template",
            "rephrasing_model": model_id if all_llm else None,
            "narrative": Narrative(status="ready", text=reply.summary.strip(), model=model_id),
        }
    )
