"""Turn service errors into pages that say what went wrong."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response

from app.services.rehearsal import NotFound, RehearsalError
from app.web.htmx import render


def install_error_pages(app: FastAPI) -> None:
    """Show NotFound as 404 and other RehearsalErrors as 409, with the message."""

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return render(request, "pages/error.html", {"message": str(exc)}, status_code=404)

    @app.exception_handler(RehearsalError)
    async def conflict(request: Request, exc: RehearsalError) -> Response:
        return render(request, "pages/error.html", {"message": str(exc)}, status_code=409)
