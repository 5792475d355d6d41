"""Helpers for web tests: parse pages and event streams, start conversations."""

from __future__ import annotations

from typing import Any

import httpx
from bs4 import BeautifulSoup

SCENARIO = "prostate-decision"
HX = {"HX-Request": "true"}


def soup(response: httpx.Response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def sse_events(body: str) -> list[tuple[str, str]]:
    """Parse a text/event-stream body into (event, data) pairs, joining data lines."""
    events = []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        name, data = "message", []
        for line in block.split("\n"):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].removeprefix(" "))
        if data:
            events.append((name, "\n".join(data)))
    return events


async def start(client: httpx.AsyncClient) -> int:
    response = await client.post(f"/scenarios/{SCENARIO}/conversations")
    assert response.status_code == 303
    return int(response.headers["location"].rsplit("/", 1)[1])


async def transcript(
    client: httpx.AsyncClient, conversation_id: int, *, trainer: bool = False
) -> list[dict[str, Any]]:
    """The turns as JSON; with ``trainer``, including the persona state and reply checks."""
    query = "?view=trainer" if trainer else ""
    response = await client.get(f"/conversations/{conversation_id}.json{query}")
    assert response.status_code == 200
    turns: list[dict[str, Any]] = response.json()["turns"]
    return turns
