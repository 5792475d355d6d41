"""What every browser test needs: Chromium found (or a clear skip or failure) and its flags.

Locally a missing tool skips the browser tests; CI sets REHEARSE_REQUIRE_BROWSER=1 so that
a missing tool fails them instead of passing silently.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import httpx
import pytest
from fastapi import FastAPI

# Read at import (collection), before tests/conftest.py's autouse fixture clears REHEARSE_*.
REQUIRED = os.environ.get("REHEARSE_REQUIRE_BROWSER") == "1"

# Headless in a container: no sandbox or GPU, and nothing that reaches out to the network.
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def require(path: Path | None, what: str, install: str) -> Path:
    """``path`` when it exists; otherwise skip, or fail where REHEARSE_REQUIRE_BROWSER=1."""
    if path is None or not path.exists():
        if REQUIRED:
            pytest.fail(f"{what} is required (REHEARSE_REQUIRE_BROWSER=1) but missing: {install}")
        pytest.skip(f"{what} is missing ({install})")
    return path


def hold_conversation(base: str, lines: tuple[str, ...]) -> int:
    """Over HTTP: start the prostate-decision conversation, say ``lines``, end it; its id."""
    with httpx.Client(base_url=base, timeout=30) as client:
        client.headers["X-CSRF-Token"] = page_csrf_token(client)
        started = client.post("/scenarios/prostate-decision/conversations")
        conversation_id = int(started.headers["location"].rsplit("/", 1)[1])
        for line in lines:
            client.post(f"/conversations/{conversation_id}/turns", data={"text": line})
            client.get(f"/conversations/{conversation_id}/reply")
        client.post(f"/conversations/{conversation_id}/end")
    return conversation_id


def page_csrf_token(client: httpx.Client) -> str:
    """The session's CSRF token, as every page carries it (``<meta name="csrf-token">``)."""
    page = client.get("/sign-in")
    found = re.search(r'<meta name="csrf-token" content="([^"]+)">', page.text)
    assert found, "the sign-in page carries the CSRF token"
    return found.group(1)


def find_chromium() -> Path | None:
    """Debian's Chromium, under either of its names."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return Path(found) if found else None


class LiveApp(Protocol):
    """Serve the app on a free loopback port and return its base URL."""

    def __call__(
        self,
        configure: Callable[[FastAPI], None] | None = None,
        *,
        consented: bool = True,
        **overrides: Any,
    ) -> str:
        """``overrides`` replace Settings fields; ``configure`` may adjust the app first;
        ``consented`` False leaves the first-use consent to be given in the browser."""
        ...
