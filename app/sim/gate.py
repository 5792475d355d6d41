"""The reply gate: lets a streamed reply through one checked sentence at a time."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.sim.checks import (
    ReplyChecker,
    check_sentence,
    split_complete_sentences,
    strip_speaker_label,
    tidy,
)


@dataclass
class ReplyGate:
    """Lets a streamed reply through one checked sentence at a time.

    ``feed`` returns the sentences that may be shown now. Generation should stop when
    ``done`` is set: the sentence budget is spent, or a sentence failed a check, in which
    case ``failed`` holds the reason. ``raw`` keeps everything the model said, shown or
    not, for the benchmark's measures.
    """

    person_name: str
    max_sentences: int
    checker: ReplyChecker | None = None
    sentences: list[str] = field(default_factory=list)
    failed: str = ""
    raw: str = ""
    _buffer: str = ""

    @property
    def done(self) -> bool:
        """No more text is wanted."""
        return bool(self.failed) or len(self.sentences) >= self.max_sentences

    def feed(self, chunk: str) -> list[str]:
        """Add streamed text; return the newly accepted sentences."""
        if self.done:
            return []
        self.raw += chunk
        self._buffer += chunk
        finished, self._buffer = split_complete_sentences(self._buffer)
        return self._accept(finished)

    def close(self) -> list[str]:
        """The stream ended: judge what is left in the buffer."""
        rest, self._buffer = self._buffer.strip(), ""
        return self._accept([rest] if rest and not self.done else [])

    def _accept(self, candidates: list[str]) -> list[str]:
        accepted: list[str] = []
        for raw in candidates:
            if self.done:
                break
            sentence = tidy(strip_speaker_label(raw) if not self.sentences else raw)
            if self.checker is not None:
                verdict = self.checker.check(sentence, self.text)
            else:
                verdict = check_sentence(sentence, person_name=self.person_name)
            if not verdict.ok:
                self.failed = verdict.problem
                break
            if sentence:
                self.sentences.append(sentence)
                accepted.append(sentence)
        return accepted

    @property
    def text(self) -> str:
        """The accepted reply so far."""
        return " ".join(self.sentences)
