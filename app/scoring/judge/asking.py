"""Ask the judge for one structured reply: validate it, say what is wrong, ask again.

Every reply is parsed as JSON, validated against the pydantic schema, then checked against
the transcript by the caller's ``check`` (turn numbers, criterion ids, quotes that must occur
in the turn). A reply with problems is sent back with the list of problems, at most
``attempts`` times in all. On the last attempt, a reply whose only problems are quotes that
could not be found is used without those quotes (each dropped one is noted); anything else
raises ``JudgeFailed`` and the caller falls back to the rules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from app.content.prompts import PromptLibrary
from app.llm.base import ChatMessage, LLMError, Role
from app.scoring.judge.backends import JudgeBackend

Reply = TypeVar("Reply", bound=BaseModel)
Result = TypeVar("Result")
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")
_SHOWN_PROBLEMS = 12  # a retry lists at most this many problems


class JudgeFailed(Exception):
    """The judge gave no usable reply; the message says why, for the score card's notes."""


@dataclass
class Checked(Generic[Result]):
    """A reply checked against the transcript.

    ``value`` is what can be used, with invented quotes already left out; ``problems`` says
    what is wrong; ``fatal`` is False when the only problems were invented quotes.
    """

    value: Result | None
    problems: list[str] = field(default_factory=list)
    fatal: bool = False


@dataclass(frozen=True)
class Asker:
    """One backend, its prompts, and how many tries each reply gets."""

    backend: JudgeBackend
    prompts: PromptLibrary
    attempts: int = 3

    async def ask(
        self,
        messages: list[ChatMessage],
        schema: type[Reply],
        check: Callable[[Reply], Checked[Result]],
    ) -> tuple[Result, list[str]]:
        """The checked result, and notes on the invented quotes left out of it."""
        history = list(messages)
        last = "no reply"
        for attempt in range(1, self.attempts + 1):
            try:
                text = await self.backend.reply(history, schema)
            except LLMError as exc:
                last = " ".join(str(exc).split())
                continue
            checked = _parse(text, schema, check)
            if not checked.problems and checked.value is not None:
                return checked.value, []
            if attempt == self.attempts and not checked.fatal and checked.value is not None:
                return checked.value, [
                    f"left out, as its quote was not found: {p}" for p in checked.problems
                ]
            last = "; ".join(checked.problems[:3])
            history = [*messages, *self._retry(text, checked.problems)]
        raise JudgeFailed(f"no valid reply in {self.attempts} attempt(s): {last}")

    def _retry(self, text: str, problems: list[str]) -> list[ChatMessage]:
        """The bad reply, then what was wrong with it and what to do."""
        shown = problems[:_SHOWN_PROBLEMS]
        more = len(problems) - len(shown)
        fix = self.prompts.render("judge_retry", problems=shown, more=more)
        return [
            ChatMessage(role=Role.ASSISTANT, content=text or "(empty)"),
            ChatMessage(role=Role.USER, content=fix),
        ]


def _parse(
    text: str, schema: type[Reply], check: Callable[[Reply], Checked[Result]]
) -> Checked[Result]:
    """JSON, then the schema, then the caller's checks."""
    body = json_text(text)
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        return Checked(None, [f"the reply is not JSON ({exc.msg} at line {exc.lineno})"], True)
    try:
        reply = schema.model_validate(data)
    except ValidationError as exc:
        return Checked(None, schema_problems(exc), True)
    return check(reply)


def json_text(text: str) -> str:
    """The JSON object in a reply, without Markdown fences or words around it."""
    body = _FENCE.sub("", text.strip())
    start, end = body.find("{"), body.rfind("}")
    return body[start : end + 1] if 0 <= start < end else body


def schema_problems(exc: ValidationError) -> list[str]:
    """One line per schema error: where in the JSON, and what."""
    lines = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "the top level"
        lines.append(f"{where}: {error['msg']}")
    return lines
