"""Request dependencies: the runtime, the rehearsal service and branching."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from app.services.branching import BranchingService
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


def get_branching(request: Request) -> BranchingService:
    """Branching on this app's rehearsal service (cheap: it holds only the service)."""
    return BranchingService(get_service(request))


BranchingDep = Annotated[BranchingService, Depends(get_branching)]


def get_sessions(request: Request) -> sessionmaker[Session]:
    """The app's database sessions; routes open ``transaction(sessions)`` around a use case."""
    return get_runtime(request).service.sessions


SessionsDep = Annotated[sessionmaker[Session], Depends(get_sessions)]
