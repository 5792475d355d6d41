"""A real HTTP server on 127.0.0.1 for tests that talk to an OpenAI-compatible endpoint.

Each test supplies only ``respond``: what to answer to one POST. The server runs on a free
port in a daemon thread and is shut down when the ``with`` block ends.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Posted:
    """One request the server received: its path, headers and JSON body."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass(frozen=True)
class Reply:
    """What to send back: an HTTP status, a content type and the bytes of the body."""

    status: int
    content_type: str
    body: bytes


Respond = Callable[[Posted], Reply]


@contextmanager
def serve_posts(respond: Respond) -> Iterator[str]:
    """Answer every POST with ``respond``; yield the base URL (``http://127.0.0.1:PORT/v1``)."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
            length = int(self.headers["content-length"])
            posted = Posted(self.path, dict(self.headers), json.loads(self.rfile.read(length)))
            reply = respond(posted)
            self.send_response(reply.status)
            self.send_header("content-type", reply.content_type)
            self.send_header("content-length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def log_message(self, *args: object) -> None:
            pass  # keep the test output quiet

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
