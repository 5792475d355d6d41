"""Every route declares who may use it: a route added without a guard fails here.

Authorisation is enforced in one place (``app.web.security``'s dependencies over
``app.domain.policy``); this walks the app's routes and checks that each one depends on a
guard, so a new page cannot forget it. The sign-in page is the only public one.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from app.web import security

PUBLIC = {("GET", "/sign-in"), ("POST", "/sign-in")}


def _calls(dependant: Dependant) -> set[object]:
    found: set[object] = {dependant.call} if dependant.call else set()
    for sub in dependant.dependencies:
        found |= _calls(sub)
    return found


def _routes(
    routes: list[BaseRoute], prefix: str = "", inherited: frozenset[object] = frozenset()
) -> Iterator[tuple[str, str, set[object]]]:
    """(method, path, dependency calls) of every API route, with what its routers add.

    FastAPI 0.16x includes routers lazily (``app.routes`` holds included-router wrappers);
    older versions copy ``APIRoute`` objects into ``app.routes``. Both are walked.
    """
    for route in routes:
        if isinstance(route, APIRoute):
            calls = _calls(route.dependant) | set(inherited)
            for method in route.methods:
                yield method, prefix + route.path, calls
        elif hasattr(route, "original_router"):
            context = route.include_context  # type: ignore[attr-defined]
            extra = {dep.dependency for dep in context.dependencies}
            extra |= {dep.dependency for dep in route.original_router.dependencies}  # type: ignore[attr-defined]
            yield from _routes(
                route.original_router.routes,  # type: ignore[attr-defined]
                prefix + context.prefix,
                inherited | frozenset(extra),
            )


def api_routes(app: FastAPI) -> list[tuple[str, str, set[object]]]:
    app_level = frozenset(dep.dependency for dep in app.router.dependencies)
    found = list(_routes(app.router.routes, "", app_level))
    assert len(found) > 20, "the walk found the app's routes"
    return found


def test_no_route_is_left_out_of_the_walk(app: FastAPI) -> None:
    walked = {path for _, path, _ in api_routes(app)}
    assert {"/", "/conversations/{conversation_id}", "/sign-in"} <= walked


def test_every_route_but_sign_in_needs_a_viewer(app: FastAPI) -> None:
    unguarded = [
        f"{method} {path}"
        for method, path, calls in api_routes(app)
        if (method, path) not in PUBLIC and security.current_viewer not in calls
    ]
    assert unguarded == []


def test_every_unsafe_route_is_checked_for_the_csrf_token(app: FastAPI) -> None:
    unchecked = [
        f"{method} {path}"
        for method, path, calls in api_routes(app)
        if method not in security.SAFE_METHODS and security.verify_csrf not in calls
    ]
    assert unchecked == []


def test_nothing_else_is_served_but_static_files(app: FastAPI) -> None:
    """No OpenAPI schema or docs pages: they would list every route to anyone."""
    others = [
        getattr(route, "path", None)
        for route in app.router.routes
        if not isinstance(route, APIRoute) and not hasattr(route, "original_router")
    ]
    assert others == ["/static"]
