"""Rubric files in ``rubrics/``: load, validate, and collect every mistake."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from app.content.errors import ContentError, ContentIssue
from app.content.yaml_source import line_of, load_yaml_model, yaml_files_in
from app.domain.rubric import Rubric

GUIDE = "rubrics/README.md"


@dataclass
class RubricLibrary:
    """The valid rubrics of a folder, plus the issues of the files that failed."""

    rubrics: dict[str, Rubric] = field(default_factory=dict)
    issues: list[ContentIssue] = field(default_factory=list)

    def get(self, rubric_id: str) -> Rubric | None:
        """The rubric with this id, if it loaded."""
        return self.rubrics.get(rubric_id)


def load_rubric(path: Path) -> Rubric:
    """Load one rubric file; raise ContentError naming file:line for each mistake."""
    rubric = load_yaml_model(path, Rubric, guide=GUIDE)
    if path.stem != rubric.id:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        line = line_of(root, ("id",)) if root is not None else 1
        message = f"id: '{rubric.id}' must match the file name '{path.stem}'"
        raise ContentError([ContentIssue(path, line, message)])
    return rubric


rubric_files = yaml_files_in


def load_rubrics(folder: Path) -> RubricLibrary:
    """Load every rubric in ``folder``; a broken file is reported, never fatal."""
    library = RubricLibrary()
    for path in rubric_files(folder):
        try:
            rubric = load_rubric(path)
        except ContentError as exc:
            library.issues.extend(exc.issues)
            continue
        library.rubrics[rubric.id] = rubric
    return library
