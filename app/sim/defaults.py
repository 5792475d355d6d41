"""The shared persona-state defaults, and a scenario's rules once its overrides are applied.

One YAML file (``persona-defaults.yaml`` beside this module) holds the defaults for every
scenario, so a trainer tunes how people react in one place; a scenario's ``state:`` section
overrides single keys. Kept in the package, not in ``scenarios/``, so the scenario folder
holds only scenarios (``load_library`` reads every ``*.yaml`` there).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from app.content.yaml_source import load_yaml_model
from app.domain.persona_state import BandEmotions, StateDefaults
from app.domain.scenario import Scenario

DEFAULTS_FILE = Path(__file__).resolve().parent / "persona-defaults.yaml"


@lru_cache(maxsize=4)
def load_defaults(path: Path = DEFAULTS_FILE) -> StateDefaults:
    """The defaults file, validated; a mistake is a ContentError naming file:line."""
    return load_yaml_model(path, StateDefaults, guide="scenarios/README.md", plain=True)


def rules_for(scenario: Scenario, defaults: StateDefaults) -> StateDefaults:
    """The defaults with the scenario's ``state:`` overrides applied."""
    state = scenario.state
    emotions = BandEmotions(
        guarded=state.emotions.guarded or defaults.emotions.guarded,
        neutral=state.emotions.neutral or defaults.emotions.neutral,
        open=state.emotions.open or defaults.emotions.open,
    )
    scalars = {
        key: value
        for key in ("trust", "emotion", "guarded_below", "open_from", "max_step")
        if (value := getattr(state, key)) is not None
    }
    if state.guarded_sentences is not None:
        scalars["guarded_sentences"] = state.guarded_sentences
    return defaults.model_copy(
        update={
            **scalars,
            "effects": {**defaults.effects, **state.effects},
            "reactions": {**state.reactions, **_without(defaults.reactions, state.reactions)},
            "emotions": emotions,
        }
    )


def _without(base: dict[str, str], overrides: dict[str, str]) -> dict[str, str]:
    """``base`` minus the keys ``overrides`` sets: the scenario's reactions come first."""
    return {key: value for key, value in base.items() if key not in overrides}
