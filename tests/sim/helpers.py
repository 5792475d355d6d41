"""Helpers for the persona-engine tests: an engine, and turns with their stored steps."""

from __future__ import annotations

from pathlib import Path

from app.content.prompts import PromptLibrary
from app.domain.conversation import Speaker, Turn
from app.domain.persona import PersonaMode
from app.domain.scenario import Scenario
from app.scoring.factory import default_coder
from app.sim.engine import PersonaEngine

PROJECT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "back-pain-hidden.yaml"


def make_engine(mode: PersonaMode = PersonaMode.REPHRASE) -> PersonaEngine:
    """The engine as the app builds it: the project's prompts and the default coder."""
    return PersonaEngine(PromptLibrary(PROJECT / "prompts"), default_coder(), mode=mode)


def hold(engine: PersonaEngine, scenario: Scenario, lines: list[str]) -> list[Turn]:
    """A history of ``lines``, each coded and advanced, the person saying the authored line."""
    history = [Turn(index=0, speaker=Speaker.PERSON, text=scenario.opening_line)]
    for text in lines:
        codes = engine.code_turn(text, history).codes
        step = engine.advance(scenario, history, text, codes)
        history.append(
            Turn(
                index=len(history),
                speaker=Speaker.PRACTITIONER,
                text=text,
                codes=codes,
                persona=step,
            )
        )
        plan = engine.plan(scenario, history)
        history.append(Turn(index=len(history), speaker=Speaker.PERSON, text=plan.authored))
    return history
