"""Every LLM prompt is a Jinja2 template in ``prompts/``; this loads and renders them.

``StrictUndefined`` turns a missing variable into an error instead of an empty string, so
a prompt can never silently lose the persona or the facts.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

_TAGS = re.compile(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}|\n", re.DOTALL)


class PromptLibrary:
    """Renders the templates of one prompts folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._env = Environment(
            loader=FileSystemLoader(folder),
            undefined=StrictUndefined,
            autoescape=False,  # plain-text prompts, not HTML
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )

    def render(self, template: str, /, **variables: Any) -> str:
        """Render ``prompts/<template>.j2`` with ``variables`` (which may include ``name``)."""
        return self._env.get_template(f"{template}.j2").render(**variables).strip()

    def static_parts(self, name: str) -> list[str]:
        """The template's own wording, split where variables and tags go.

        Used to spot a reply that repeats its instructions: the parts are the words the
        template always says, whatever the scenario.
        """
        source = (self.folder / f"{name}.j2").read_text(encoding="utf-8")
        parts = _TAGS.split(source)
        return [part.strip() for part in parts if part.strip()]

    def names(self) -> list[str]:
        """The prompt names available."""
        return sorted(path.stem for path in self.folder.glob("*.j2"))
