"""Scenario files in ``scenarios/``: load, validate, and collect every mistake."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from app.content.errors import ContentError, ContentIssue
from app.content.scenario_checks import Problem, ScenarioParts, scenario_problems
from app.content.yaml_source import (
    YamlSource,
    line_of,
    line_of_word,
    parse_yaml,
    parse_yaml_text,
    validation_issues,
    yaml_files_in,
)
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


IdRule = Callable[[str], str | None]
"""Given a scenario's ``id``, why that id is not acceptable where the text is going (the
message of an issue at the ``id`` line), or None when it is."""


def load_scenario(path: Path) -> Scenario:
    """Load one scenario file; raise ContentError naming file:line for each mistake."""
    return checked_scenario(parse_yaml(path), id_rule=named_after_file(path.stem))


def scenario_from_text(text: str, *, path: Path, id_rule: IdRule) -> Scenario:
    """Check scenario text written in the app as a file at ``path`` would be checked, with
    ``id_rule`` in place of the file-name rule; raise ContentError with every mistake."""
    return checked_scenario(parse_yaml_text(text, path), id_rule=id_rule)


def named_after_file(stem: str) -> IdRule:
    """A file's scenario id is its file name, so the folder can never hold two of one id."""

    def rule(found: str) -> str | None:
        return None if found == stem else f"'{found}' must match the file name '{stem}'"

    return rule


def checked_scenario(source: YamlSource, *, id_rule: IdRule) -> Scenario:
    """The scenario in ``source``, or ContentError with every mistake in line order.

    Schema errors and reference mistakes come in one report: when the schema fails, the
    reference checks still run on every part that parsed (``ScenarioParts.from_data``).
    """
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(source.data)
    except ValidationError as exc:
        issues = validation_issues(source, exc)
        parts = ScenarioParts.from_data(source.data)
    else:
        issues = []
        parts = ScenarioParts.of(scenario)
    problems = scenario_problems(parts)
    found_id = source.data.get("id")
    refusal = id_rule(found_id) if isinstance(found_id, str) else None
    if refusal is not None:
        problems.insert(0, Problem(("id",), refusal))
    issues += [_issue(source, problem) for problem in problems]
    if issues or scenario is None:
        raise ContentError(_in_order(issues))
    return scenario


def _issue(source: YamlSource, problem: Problem) -> ContentIssue:
    if problem.word is not None:
        line = line_of_word(source, problem.loc, problem.word)
    else:
        line = line_of(source.root, problem.loc)
    field = ".".join(str(part) for part in problem.loc)
    return ContentIssue(source.path, line, f"{field}: {problem.message}")


def _in_order(issues: list[ContentIssue]) -> list[ContentIssue]:
    """Issues by line, each once (two checks may find the same mistake)."""
    unique = list(dict.fromkeys(issues))
    return sorted(unique, key=lambda issue: issue.line)


scenario_files = yaml_files_in


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
