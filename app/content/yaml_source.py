"""Load YAML into pydantic models, reporting each validation error at its line.

PyYAML's composed node tree keeps the start mark of every key and value; a pydantic error
``loc`` such as ``("person", "age")`` is walked through that tree to find the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from app.content.errors import ContentError, ContentIssue

ModelT = TypeVar("ModelT", bound=BaseModel)


def load_yaml_model(
    path: Path, model: type[ModelT], *, guide: str = "scenarios/README.md", plain: bool = False
) -> ModelT:
    """Parse ``path`` as YAML and validate it as ``model``; raise ContentError with lines.

    Every failure, including an unreadable or non-UTF-8 file, is a ContentError, so a caller
    loading a folder can report a broken file without stopping. Issues come in line order;
    an unknown key points the author at ``guide``, the README that lists the keys. ``plain``
    words messages for authors (no pydantic prefixes, unknown mapping keys named as such);
    rubric files keep pydantic's wording until their tests move over.
    """
    source = parse_yaml(path)
    try:
        return model.model_validate(source.data)
    except ValidationError as exc:
        raise ContentError(validation_issues(source, exc, guide, plain=plain)) from exc


@dataclass(frozen=True)
class YamlSource:
    """A parsed YAML file: its path, text, node tree (for lines) and data."""

    path: Path
    text: str
    root: yaml.Node
    data: dict[str, Any]


def parse_yaml(path: Path) -> YamlSource:
    """Read and parse ``path``; a file that is not a YAML mapping is a ContentError."""
    return parse_yaml_text(_read_text(path), path)


def parse_yaml_text(text: str, path: Path) -> YamlSource:
    """Parse ``text`` as if it were the file ``path``, so a scenario written in the app is
    checked exactly like one in scenarios/; issues name ``path``."""
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
    return YamlSource(path=path, text=text, root=root, data=data)


def validation_issues(
    source: YamlSource,
    exc: ValidationError,
    guide: str = "scenarios/README.md",
    *,
    plain: bool = True,
) -> list[ContentIssue]:
    """Every schema error of ``exc`` as a ``file:line`` issue, in line order."""
    issues = [_issue_for(source, error, guide, plain) for error in exc.errors()]
    return sorted(issues, key=lambda issue: issue.line)


def line_of_word(source: YamlSource, loc: tuple[str | int, ...], word: str) -> int:
    """The line of the value at ``loc`` that contains ``word`` (a long text spans lines)."""
    node = node_at(source.root, loc)
    start = line_of(source.root, loc)
    if node is None:
        return start
    lines = source.text.splitlines()
    pattern = re.compile(rf"\b{re.escape(word.strip())}", re.IGNORECASE)
    for number in range(node.start_mark.line, min(node.end_mark.line + 1, len(lines))):
        if pattern.search(lines[number].replace("\u2019", "'")):
            return number + 1
    return start


def node_at(root: yaml.Node, loc: tuple[str | int, ...]) -> yaml.Node | None:
    """The node at ``loc``, or None when the file has no such place."""
    node = root
    for part in loc:
        found = _child(node, part)
        if found is None:
            return None
        node = found[1]
    return node


def _read_text(path: Path) -> str:
    """The file's text; a file that cannot be read or is not UTF-8 is a ContentError."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError(
            [ContentIssue(path, 1, f"cannot read the file: {exc.strerror}")]
        ) from exc
    return decode_text(raw, path)


def decode_text(raw: bytes, path: Path) -> str:
    """``raw`` as UTF-8 text (a file read here or one uploaded); otherwise a ContentError
    at the line of the first byte that is not UTF-8."""
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


def _issue_for(source: YamlSource, error: Any, guide: str, plain: bool) -> ContentIssue:
    loc = tuple(part for part in error["loc"] if not _is_union_tag(part))
    kind = error["type"]
    if plain and len(loc) > 1 and loc[-1] == "[key]":
        # A mapping key that is not allowed (e.g. a misspelt code under state.reactions).
        loc = loc[:-1]
        where = ".".join(str(part) for part in loc[:-1]) or "(top level)"
        message = f"unknown key name: {_clean(error['msg'])}"
        return ContentIssue(
            source.path, line_of(source.root, loc, at_key=True), f"{where}: {message}"
        )
    field = ".".join(str(part) for part in loc) or "(top level)"
    message = _clean(error["msg"]) if plain else error["msg"]
    if kind == "extra_forbidden":
        message = f"unknown key (check the spelling against {guide})"
    elif kind == "missing":
        message = "required key is missing"
    elif plain and kind == "string_type" and _reads_as_pair(error.get("input")):
        message = (
            "this line reads as a key: value pair (YAML takes the text before ': ' as a key); "
            'put the text in quotes, e.g. - "Dignity: being seen"'
        )
    at_key = kind == "extra_forbidden"
    return ContentIssue(
        source.path, line_of(source.root, loc, at_key=at_key), f"{field}: {message}"
    )


def _clean(message: str) -> str:
    """Pydantic's message without its "Value error, " / "Assertion failed, " prefix."""
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message


def _reads_as_pair(value: object) -> bool:
    """A text with ': ' in it, unquoted, parses as a one-key mapping."""
    return isinstance(value, dict) and len(value) == 1


def _is_union_tag(part: str | int) -> bool:
    """Pydantic adds the union member's type name to ``loc``; it is not a YAML key."""
    return isinstance(part, str) and part.startswith(("function-", "union["))


def yaml_files_in(folder: Path) -> list[Path]:
    """The YAML files directly in ``folder``, in a stable order (scenarios, rubrics)."""
    return sorted(p for p in folder.glob("*.yaml") if p.is_file())
