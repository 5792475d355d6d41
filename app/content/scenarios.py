"""Scenario files in ``scenarios/``: load, validate, and collect every mistake."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from app.content.errors import ContentError, ContentIssue
from app.content.scenario_checks import scenario_problems
from app.content.yaml_source import line_of, load_yaml_model
from app.domain.scenario import Scenario

# libyaml parses a stored scenario ~15x faster than the pure-Python loader when present.
_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class ScenarioLibrary:
    """The valid scenarios of a folder, plus the issues of the files that failed."""

    scenarios: dict[str, Scenario] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    issues: list[ContentIssue] = field(default_factory=list)

    def get(self, scenario_id: str) -> Scenario | None:
        """The scenario with this id, if it loaded."""
        return self.scenarios.get(scenario_id)


@lru_cache(maxsize=128)
def scenario_from_source(source: str) -> Scenario:
    """Parse a stored scenario version; cached, since every page view needs one."""
    return Scenario.model_validate(yaml.load(source, Loader=_FastLoader))


def load_scenario(path: Path) -> Scenario:
    """Load one scenario file; raise ContentError naming file:line for each mistake."""
    scenario = load_yaml_model(path, Scenario)
    problems = scenario_problems(scenario)
    if path.stem != scenario.id:
        message = f"'{scenario.id}' must match the file name '{path.stem}'"
        problems.insert(0, (("id",), message))
    if problems:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        issues = [_issue(path, root, loc, message) for loc, message in problems]
        raise ContentError(sorted(issues, key=lambda issue: issue.line))
    return scenario


def _issue(
    path: Path, root: yaml.Node | None, loc: tuple[str | int, ...], message: str
) -> ContentIssue:
    line = line_of(root, loc) if root is not None else 1
    field = ".".join(str(part) for part in loc)
    return ContentIssue(path, line, f"{field}: {message}")


def scenario_files(folder: Path) -> list[Path]:
    """The scenario YAML files in a folder, in a stable order."""
    return sorted(p for p in folder.glob("*.yaml") if p.is_file())


def load_library(folder: Path) -> ScenarioLibrary:
    """Load every scenario in ``folder``; a broken file is reported, never fatal."""
    library = ScenarioLibrary()
    for path in scenario_files(folder):
        try:
            scenario = load_scenario(path)
        except ContentError as exc:
            library.issues.extend(exc.issues)
            continue
        library.scenarios[scenario.id] = scenario
        library.sources[scenario.id] = path.read_text(encoding="utf-8")
    return library
