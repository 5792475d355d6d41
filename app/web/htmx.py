"""Rendering helpers: one call renders a full page or, for htmx, just the partial."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from app.web.prose import prose

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
TEMPLATES.env.filters["prose"] = prose


def is_htmx(request: Request) -> bool:
    """The request came from htmx (it sets ``HX-Request: true``)."""
    return request.headers.get("HX-Request") == "true"


def render(
    request: Request,
    page: str,
    context: dict[str, Any],
    *,
    partial: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render ``partial`` for htmx requests when given, else the whole ``page``."""
    template = partial if partial and is_htmx(request) else page
    return TEMPLATES.TemplateResponse(
        request, template, context, status_code=status_code, headers=headers
    )


def redirect(request: Request, url: str) -> Response:
    """Redirect: ``HX-Redirect`` for htmx, 303 See Other for a plain form post."""
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)
