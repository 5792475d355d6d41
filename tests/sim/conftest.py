"""Fixtures for the persona-engine tests: a scenario with hidden facts, an engine."""

from __future__ import annotations

import pytest

from app.content.scenarios import load_scenario
from app.domain.persona_state import StateDefaults
from app.domain.scenario import Scenario
from app.sim.defaults import load_defaults
from app.sim.engine import PersonaEngine
from tests.sim.helpers import FIXTURE, make_engine


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    """Dev: three hidden facts, released by codes and topic, turn number, trust, order."""
    return load_scenario(FIXTURE)


@pytest.fixture(scope="session")
def defaults() -> StateDefaults:
    return load_defaults()


@pytest.fixture
def engine() -> PersonaEngine:
    return make_engine()
