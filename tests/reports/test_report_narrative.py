"""The optional model narrative: prompt, parsing, and what the report says about it."""

from __future__ import annotations

import json
from pathlib import Path

from app.content.prompts import PromptLibrary
from app.llm.base import LLMUnavailable
from app.llm.fake import FakeChatModel
from app.reports.model import Report
from app.reports.narrative import narrative_request, write_narrative

PROMPTS = PromptLibrary(Path(__file__).resolve().parents[2] / "prompts")


def test_prompt_keeps_the_conversation_inside_its_markers(paternalistic: Report) -> None:
    prompt = narrative_request(paternalistic, PROMPTS).messages[0].content
    inside = prompt.split("<conversation>")[1].split("</conversation>")[0]
    assert "How many times do you get up at night?" in inside
    assert prompt.count("<conversation>") == 1
    assert "Turn 3: A closed question" in prompt.split("<findings>")[1]


async def test_model_rephrasings_replace_templates_and_say_so(paternalistic: Report) -> None:
    reply = {
        "summary": "At turn 3 you asked a closed question.\n\nNext time, open it up.",
        "rephrasings": [
            {"turn": m.turn, "text": f"Model line {m.turn}"} for m in paternalistic.missed
        ],
    }
    model = FakeChatModel("Here it is: " + json.dumps(reply), model_id="coach-model")
    done = await write_narrative(paternalistic, model, PROMPTS)
    assert done.narrative.status == "ready"
    assert done.narrative.model == "coach-model"
    assert done.rephrasing_source == "llm"
    assert done.rephrasing_model == "coach-model"
    assert [m.suggestion for m in done.missed] == [f"Model line {m.turn}" for m in done.missed]
    assert paternalistic.rephrasing_source == "template"  # the original is untouched


async def test_malformed_reply_or_model_failure_keeps_the_templates(paternalistic: Report) -> None:
    for answer in ("not json at all", LLMUnavailable("endpoint down")):
        done = await write_narrative(paternalistic, FakeChatModel(answer), PROMPTS)
        assert done.narrative.status == "failed"
        assert done.narrative.message
        assert done.rephrasing_source == "template"
        assert done.missed == paternalistic.missed
