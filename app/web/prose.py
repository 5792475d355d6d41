"""Render a trainer's plain-text brief as paragraphs and bullet lists.

YAML block text keeps the author's line wraps; showing them verbatim breaks sentences
mid-line at every width. Blank lines separate paragraphs and ``- `` starts a list item.
"""

from __future__ import annotations

from markupsafe import Markup, escape


def prose(text: str) -> Markup:
    """Paragraphs and ``- `` bullet lists from plain text, HTML-escaped."""
    html: list[str] = []
    for block in text.strip().split("\n\n"):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines:
            html.append(_block(lines))
    return Markup("\n".join(html))


def _block(lines: list[str]) -> str:
    paragraph: list[str] = []
    items: list[list[str]] = []
    for line in lines:
        if line.startswith("- "):
            items.append([line[2:]])
        elif items:
            items[-1].append(line)
        else:
            paragraph.append(line)
    parts = [f"<p>{escape(' '.join(paragraph))}</p>"] if paragraph else []
    if items:
        bullets = "".join(f"<li>{escape(' '.join(item))}</li>" for item in items)
        parts.append(f"<ul>{bullets}</ul>")
    return "".join(parts)
