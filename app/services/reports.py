"""Use cases of reports: build one for a stored conversation, export it, keep reflections,
and have the optional narrative written in the background.

A stored conversation is scored afresh each time (a 40-turn conversation scores in tens of
milliseconds), so a report always reflects the current rubric and coder. The person's view
comes from the persona steps stored on its turns.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from anyio.to_thread import run_sync
from sqlalchemy.orm import Session, sessionmaker

from app.content.prompts import PromptLibrary
from app.content.scenarios import scenario_from_source
from app.domain.conversation import Speaker
from app.domain.persona_state import PersonaStep
from app.domain.rubric import Rubric
from app.domain.scorecard import ScoreCard
from app.domain.transcript import Transcript, TranscriptTurn
from app.llm.base import ChatModel
from app.reports import narrative as narration
from app.reports.build import build_report
from app.reports.model import Narrative, Report
from app.reports.person import PersonRecords
from app.reports.progress import progress
from app.reports.render import render_pdf
from app.reports.replay import replay_records
from app.scoring.engine import score
from app.services.rehearsal import NotFound
from app.sim.engine import Coder
from app.store import reports as store
from app.store import repositories as repo
from app.store.db import transaction
from app.store.models import Conversation, Reflection

PROGRESS_ATTEMPTS = 20
STALE_AFTER = timedelta(minutes=5)


class ReportNotFound(NotFound):
    """No such conversation (shown as a 404 page, like the conversation's own)."""


@dataclass(frozen=True)
class ReflectionView:
    """A saved reflection and the conversation it was about."""

    conversation_id: int
    scenario_title: str
    noticed: str
    goal: str


@dataclass
class ReportService:
    """Reports for the conversations in one store."""

    sessions: sessionmaker[Session]
    rubric: Rubric
    coder: Coder
    prompts: PromptLibrary
    narrator: ChatModel | None = None
    styles: str = ""
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def report(self, conversation_id: int, *, with_progress: bool = True) -> Report:
        """The report for a stored conversation, with progress across earlier attempts."""
        with transaction(self.sessions) as session:
            conversation = self._get(session, conversation_id)
            card = self._card(conversation)
            records = _records(conversation, card)
            attempts = self._attempts(session, conversation) if with_progress else None
            stored = store.narrative(session, conversation_id)
            saved = (stored.status, stored.model, stored.reply, stored.message) if stored else None
            title = conversation.scenario_version.title
        report = build_report(
            card,
            title=title,
            rubric=self.rubric,
            records=records,
            progress=progress(attempts) if attempts and len(attempts) > 1 else None,
        )
        return _with_narrative(report, saved, enabled=self.narrator is not None)

    def card(self, conversation_id: int) -> ScoreCard:
        """The score card of a stored conversation."""
        with transaction(self.sessions) as session:
            return self._card(self._get(session, conversation_id))

    def pdf(self, conversation_id: int) -> bytes:
        """The report as PDF, with the saved reflection if there is one."""
        return render_pdf(
            self.report(conversation_id),
            styles=self.styles,
            reflection=self.reflection(conversation_id),
        )

    def reflection(self, conversation_id: int) -> ReflectionView | None:
        """The reflection saved on this conversation, if any."""
        with transaction(self.sessions) as session:
            row = store.reflection_for(session, conversation_id)
            return _view(session, row) if row else None

    def save_reflection(self, conversation_id: int, *, noticed: str, goal: str) -> None:
        """Save what the practitioner noticed and their goal; both must be written."""
        noticed, goal = noticed.strip(), goal.strip()
        if not noticed or not goal:
            raise ValueError("Please write both what you noticed and a goal for next time.")
        with transaction(self.sessions) as session:
            conversation = self._get(session, conversation_id)
            store.save_reflection(
                session,
                user_id=conversation.user_id,
                conversation_id=conversation_id,
                noticed=noticed,
                goal=goal,
            )

    def previous_goal(self, conversation_id: int) -> ReflectionView | None:
        """The goal to show at the start of this conversation: the newest from another one."""
        with transaction(self.sessions) as session:
            conversation = self._get(session, conversation_id)
            row = store.latest_reflection(
                session, user_id=conversation.user_id, before_conversation=conversation_id
            )
            return _view(session, row) if row else None

    def start_narrative(self, conversation_id: int) -> None:
        """Have the narrative written in the background, unless it is written or underway."""
        if self.narrator is None:
            return
        with transaction(self.sessions) as session:
            self._get(session, conversation_id)
            row = store.narrative(session, conversation_id)
            fresh = row is not None and _age(row.updated_at) < STALE_AFTER
            if row is not None and (row.status != "pending" or fresh):
                return
            store.set_narrative(
                session, conversation_id, status="pending", model=self.narrator.model_id
            )
        task = asyncio.get_running_loop().create_task(self.write_narrative(conversation_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def write_narrative(self, conversation_id: int) -> None:
        """Ask the model for the narrative and store its reply (or why it failed)."""
        assert self.narrator is not None
        report = await run_sync(lambda: self.report(conversation_id, with_progress=False))
        done = await narration.write_narrative(report, self.narrator, self.prompts)
        await run_sync(lambda: self._store_narrative(conversation_id, done))

    def _store_narrative(self, conversation_id: int, report: Report) -> None:
        reply = None
        if report.narrative.status == "ready":
            suggestions = [
                {"turn": m.turn, "text": m.suggestion} for m in report.missed if m.source == "llm"
            ]
            reply = {"summary": report.narrative.text, "rephrasings": suggestions}
        with transaction(self.sessions) as session:
            store.set_narrative(
                session,
                conversation_id,
                status=report.narrative.status,
                model=report.narrative.model,
                reply=reply,
                message=report.narrative.message,
            )

    def _card(self, conversation: Conversation) -> ScoreCard:
        transcript = Transcript(
            scenario=conversation.scenario_version.slug,
            turns=[
                TranscriptTurn(speaker=Speaker(t.speaker), text=t.text) for t in conversation.turns
            ],
        )
        return score(transcript, self.rubric, self.coder)

    def _attempts(
        self, session: Session, conversation: Conversation
    ) -> list[tuple[str, ScoreCard]]:
        rows = store.user_conversations(
            session, user_id=conversation.user_id, up_to=conversation.id
        )[-PROGRESS_ATTEMPTS:]
        return [
            (f"{row.scenario_version.title} ({row.started_at:%d %b %H:%M})", self._card(row))
            for row in rows
            if any(t.speaker == Speaker.PRACTITIONER.value for t in row.turns)
        ]

    def _get(self, session: Session, conversation_id: int) -> Conversation:
        conversation = repo.get_conversation(session, conversation_id)
        if conversation is None:
            raise ReportNotFound(f"There is no conversation {conversation_id}.")
        return conversation


def _records(conversation: Conversation, card: ScoreCard) -> PersonRecords:
    """Stored persona steps when the turns have them; replayed from the scenario otherwise."""
    scenario = scenario_from_source(conversation.scenario_version.source)
    steps = {
        t.index: PersonaStep.model_validate(t.persona)
        for t in conversation.turns
        if t.speaker == Speaker.PRACTITIONER.value and t.persona
    }
    if not steps:
        return replay_records(card, scenario)
    return PersonRecords(
        source="recorded", person_name=scenario.person.name, scenario=scenario, steps=steps
    )


def _with_narrative(
    report: Report, saved: tuple[str, str | None, object, str] | None, *, enabled: bool
) -> Report:
    if not enabled and saved is None:
        return report
    if saved is None:
        return report.model_copy(update={"narrative": Narrative(status="pending")})
    status, model, reply, message = saved
    if status == "ready" and isinstance(reply, dict):
        parsed = narration.NarrativeReply.model_validate(reply)
        return narration.apply_reply(report, parsed, model or "a language model")
    state = Narrative(
        status="failed" if status == "failed" else "pending", model=model, message=message
    )
    return report.model_copy(update={"narrative": state})


def _view(session: Session, row: Reflection) -> ReflectionView:
    conversation = repo.get_conversation(session, row.conversation_id)
    title = conversation.scenario_version.title if conversation else ""
    return ReflectionView(
        conversation_id=row.conversation_id,
        scenario_title=title,
        noticed=row.noticed,
        goal=row.goal,
    )


def _age(moment: datetime) -> timedelta:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.now(UTC) - aware
