"""Load YAML into pydantic models, reporting each validation error at its line.

PyYAML's composed node tree keeps the start mark of every key and value; a pydantic error
``loc`` such as ``("person", "age")`` is walked through that tree to find the line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from app.content.errors import ContentError, ContentIssue

ModelT = TypeVar("ModelT", bound=BaseModel)


def load_yaml_model(
    path: Path, model: type[ModelT], *, guide: str = "scenarios/README.md"
) -> ModelT:
    """Parse ``path`` as YAML and validate it as ``model``; raise ContentError with lines.

    Every failure, including an unreadable or non-UTF-8 file, is a ContentError, so a caller
    loading a folder can report a broken file without stopping. Issues come in line order;
    an unknown key points the author at ``guide``, the README that lists the keys.
    """
    text = _read_text(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise ContentError([ContentIssue(path, line, f"YAML syntax: {exc.problem}")]) from exc
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        message = f"YAML syntax: control character #x{exc.character:04x} is not allowed"
        raise ContentError([ContentIssue(path, line, message)]) from exc
    if not isinstance(data, dict) or root is None:
        raise ContentError([ContentIssue(path, 1, "expected a mapping of keys at the top level")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        issues = [_issue_for(path, root, error, guide) for error in exc.errors()]
        raise ContentError(sorted(issues, key=lambda issue: issue.line)) from exc


def _read_text(path: Path) -> str:
    """The file's text; a file that cannot be read or is not UTF-8 is a ContentError."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError(
            [ContentIssue(path, 1, f"cannot read the file: {exc.strerror}")]
        ) from exc
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        message = f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        raise ContentError([ContentIssue(path, line, message)]) from exc


def line_of(root: yaml.Node, loc: tuple[str | int, ...], *, at_key: bool = False) -> int:
    """The 1-based line of the node at ``loc``.

    A value is reported at its own line, or at its key's line when the value is empty or
    ``at_key`` is set (an unknown key). When ``loc`` names a key that is not in the file (a
    missing key), the line is that of the key opening the enclosing section (``person:``), or
    of the enclosing list item or top-level mapping.
    """
    node, key = root, None
    for part in loc:
        found = _child(node, part)
        if found is None:
            return _line(key if key is not None else node)
        key, node = found
    if key is not None and (at_key or _is_scalar_empty(node)):
        return _line(key)
    return _line(node)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node | None, yaml.Node] | None:
    """The (key, value) under ``part``; the key is None for a list item."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return key, value
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        return (None, node.value[part]) if 0 <= part < len(node.value) else None
    return None


def _is_scalar_empty(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.value == ""


def _issue_for(path: Path, root: yaml.Node, error: Any, guide: str) -> ContentIssue:
    loc = tuple(part for part in error["loc"] if not _is_union_tag(part))
    field = ".".join(str(part) for part in loc) or "(top level)"
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = f"unknown key (check the spelling against {guide})"
    elif error["type"] == "missing":
        message = "required key is missing"
    at_key = error["type"] == "extra_forbidden"
    return ContentIssue(path, line_of(root, loc, at_key=at_key), f"{field}: {message}")


def _is_union_tag(part: str | int) -> bool:
    """Pydantic adds the union member's type name to ``loc``; it is not a YAML key."""
    return isinstance(part, str) and part.startswith(("function-", "union["))
