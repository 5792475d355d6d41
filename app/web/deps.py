"""Request dependencies: the service and the template renderer."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.services.rehearsal import RehearsalService
from app.services.runtime import Runtime


def get_runtime(request: Request) -> Runtime:
    """The runtime built by ``create_app``."""
    runtime: Runtime = request.app.state.runtime
    return runtime


def get_service(request: Request) -> RehearsalService:
    """The rehearsal service of this app."""
    return get_runtime(request).service


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
ServiceDep = Annotated[RehearsalService, Depends(get_service)]
