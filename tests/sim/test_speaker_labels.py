"""Speaker labels: a model's "Graham:" goes, the person's own "What I'd tell Pat:" stays."""

from __future__ import annotations

import pytest

from app.sim.checks import strip_speaker_label
from app.sim.gate import ReplyGate


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Graham: I'm fine, really.", "I'm fine, really."),
        ("Patient: It's my back.", "It's my back."),
        ("Jackie Dawson: Dad won't have it.", "Dad won't have it."),
        ("**Mrs O'Neill:** Not today, thank you.", "Not today, thank you."),
        ("  Dr. Khan: hello", "hello"),
    ],
)
def test_a_name_or_role_at_the_start_is_a_label(text: str, kept: str) -> None:
    assert strip_speaker_label(text) == kept


@pytest.mark.parametrize(
    "text",
    [
        "What I'd tell Pat: keep going.",
        "Tell Pat: I said no.",
        "Here's the thing: I can't cope.",
        "The worst part: nobody asks.",
        "Honestly: no.",
        "My Mum Said This Often: be kind.",
        "I'm fine, really.",
    ],
)
def test_a_clause_ending_in_a_colon_is_kept(text: str) -> None:
    assert strip_speaker_label(text) == text


def test_the_gate_keeps_the_clause() -> None:
    gate = ReplyGate("Jackie Dawson", max_sentences=2)
    shown = gate.feed("What I'd tell Pat: keep going. ") + gate.close()
    assert shown == ["What I'd tell Pat: keep going."]
