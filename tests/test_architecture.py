"""Imports flow one way: domain <- engines <- services <- web. Checked by walking the AST."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"

# Package -> imports it must never make.
FORBIDDEN = {
    "domain": ("fastapi", "starlette", "sqlalchemy", "app.web", "app.store", "app.services"),
    "content": ("fastapi", "starlette", "sqlalchemy", "app.web", "app.store", "app.services"),
    "sim": ("fastapi", "starlette", "sqlalchemy", "app.web", "app.store", "app.services"),
    "scoring": ("fastapi", "starlette", "sqlalchemy", "app.web", "app.store", "app.services"),
    "llm": ("fastapi", "sqlalchemy", "app.web", "app.store", "app.services", "app.sim"),
    "store": ("fastapi", "app.web", "app.services", "app.llm"),
    "services": ("fastapi", "starlette", "app.web"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layer_does_not_import_upward(package: str) -> None:
    offenders = [
        f"{path.relative_to(APP.parent)} imports {name}"
        for path in sorted((APP / package).rglob("*.py"))
        for name in sorted(imported_modules(path))
        if name.startswith(FORBIDDEN[package])
    ]
    assert offenders == []
