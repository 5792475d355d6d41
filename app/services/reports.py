"""Use cases of reports: build one for a stored conversation, export it, keep reflections,
and have the optional LLM judge and narrative run in the background.

With the rules (the default) a stored conversation is scored afresh on each view: a 40-turn
conversation scores in about 12 ms (``rehearse bench``), so no cache is kept and a report
always reflects the current rubric and coder. With ``REHEARSE_SCORING_METHOD=judge`` the
judge's card is stored (``report_cards``) under the key it was scored from (last turn id,
rubric, method), so any app server shows it without asking the judge again; until it is
there, or if the judge fails, the rules' card is shown and the report says so. The person's
view comes from the persona steps stored on its turns.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from anyio.to_thread import run_sync
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from app.content.prompts import PromptLibrary
from app.content.scenarios import scenario_from_source
from app.domain.conversation import Speaker
from app.domain.persona_state import PersonaStep
from app.domain.rubric import Rubric
from app.domain.scorecard import ScoreCard, ScoringInfo
from app.domain.transcript import Transcript, TranscriptTurn
from app.llm.base import ChatModel
from app.reports import narrative as narration
from app.reports.build import build_report
from app.reports.model import Narrative, Report
from app.reports.person import PersonRecords
from app.reports.progress import progress
from app.reports.render import render_pdf
from app.reports.replay import replay_records
from app.reports.scoring import Status, scoring_view
from app.scoring.engine import score
from app.scoring.judge.asking import Asker
from app.scoring.judge.scorer import score_with_judge
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
    judge: Asker | None = None
    styles: str = ""
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _judging: dict[int, asyncio.Task[None]] = field(default_factory=dict)

    def report(self, conversation_id: int, *, with_progress: bool = True) -> Report:
        """The report for a stored conversation, with progress across earlier attempts."""
        with transaction(self.sessions) as session:
            conversation = self._get(session, conversation_id)
            card, status = self._scored(session, conversation)
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
        report.scoring = scoring_view(card, status)
        return _with_narrative(report, saved, enabled=self.narrator is not None)

    def card(self, conversation_id: int) -> ScoreCard:
        """The score card of a stored conversation (the judge's, once it has scored it)."""
        with transaction(self.sessions) as session:
            return self._scored(session, self._get(session, conversation_id))[0]

    def scoring_status(self, conversation_id: int) -> Status:
        """Where the judge stands on this conversation ('done' when the rules score it)."""
        with transaction(self.sessions) as session:
            return self._scored(session, self._get(session, conversation_id))[1]

    def start_scoring(self, conversation_id: int) -> None:
        """Have the LLM judge score the conversation in the background, once per state.

        Nothing to do with the rules, or when this state of the conversation is scored (or
        being scored, or failed) and the row is fresh; a stale pending row (a server that
        stopped mid-way) is taken over.
        """
        if self.judge is None:
            return
        with transaction(self.sessions) as session:
            conversation = self._get(session, conversation_id)
            key = self._key(conversation)
            row = store.report_card(session, conversation_id)
            if row is not None and row.key == key:
                if row.status == "ready" or _age(row.updated_at) < STALE_AFTER:
                    return
            store.set_report_card(
                session,
                conversation_id,
                key=key,
                status="pending",
                model=self.judge.backend.model_id,
            )
            transcript = transcript_of(conversation)
        task = asyncio.get_running_loop().create_task(
            self.judge_card(conversation_id, key, transcript)
        )
        self._judging[conversation_id] = task
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(lambda _: self._judging.pop(conversation_id, None))

    async def judge_card(self, conversation_id: int, key: str, transcript: Transcript) -> None:
        """Score with the judge (which falls back to the rules part by part) and store it.

        Only the model's replies are awaited; the local coding inside takes about 12 ms for
        40 turns, and the database work runs in a worker thread, so the event loop stays free.
        """
        assert self.judge is not None
        model = self.judge.backend.model_id
        try:
            card = await score_with_judge(transcript, self.rubric, self.coder, self.judge)
        except Exception as exc:  # any failure is shown on the report; the rules stand in
            message = f"{type(exc).__name__}: {' '.join(str(exc).split())}"
            await run_sync(
                lambda: self._store_card(conversation_id, key, "failed", model, None, message)
            )
            return
        dumped = card.model_dump(mode="json")
        await run_sync(lambda: self._store_card(conversation_id, key, "ready", model, dumped, ""))

    def _store_card(
        self,
        conversation_id: int,
        key: str,
        status: str,
        model: str,
        card: dict[str, object] | None,
        message: str,
    ) -> None:
        with transaction(self.sessions) as session:
            store.set_report_card(
                session,
                conversation_id,
                key=key,
                status=status,
                model=model,
                card=card,
                message=message,
            )

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
        judging = self._judging.get(conversation_id)
        if judging is not None:  # write from the judge's card, not the rules' stand-in
            await asyncio.wait({judging})
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
        """The rules' card, scored afresh (about 12 ms for 40 turns, so never cached)."""
        return score(transcript_of(conversation), self.rubric, self.coder)

    def _key(self, conversation: Conversation) -> str:
        """What a judged card was scored from: the last turn, the rubric and the method."""
        last = conversation.turns[-1].id if conversation.turns else 0
        return f"turn {last}; rubric {self.rubric.id}; judge"

    def _scored(self, session: Session, conversation: Conversation) -> tuple[ScoreCard, Status]:
        """The judge's stored card for the conversation as it stands, or the rules' card
        with a note saying why (the judge is still scoring, or failed)."""
        if self.judge is None:
            return self._card(conversation), "done"
        row = store.report_card(session, conversation.id)
        current = row is not None and row.key == self._key(conversation)
        if row is not None and current and row.status == "ready" and row.card:
            try:
                return ScoreCard.model_validate(row.card), "done"
            except ValidationError:
                pass  # stored by an older version: score again
        model = self.judge.backend.model_id
        status: Status = "pending"
        if row is not None and current and row.status == "failed":
            note = f"The judge could not score this conversation ({row.message}); "
            status = "failed"
        elif row is not None and current:
            note = "The judge is still scoring this conversation; "
        else:
            note = "The judge has not scored this conversation as it stands (its report page "
            note += "starts it); "
        rules = self._card(conversation)
        rules.scoring = ScoringInfo(
            requested="judge",
            codes=rules.coder,
            criteria="rules",
            model=model,
            notes=[note + "the codes and levels shown are the rules'."],
        )
        return rules, status

    def _attempts(
        self, session: Session, conversation: Conversation
    ) -> list[tuple[str, ScoreCard]]:
        rows = store.user_conversations(
            session, user_id=conversation.user_id, up_to=conversation.id
        )[-PROGRESS_ATTEMPTS:]
        return [
            (
                f"{row.scenario_version.title} ({row.started_at:%d %b %H:%M})",
                self._scored(session, row)[0],
            )
            for row in rows
            if any(t.speaker == Speaker.PRACTITIONER.value for t in row.turns)
        ]

    def _get(self, session: Session, conversation_id: int) -> Conversation:
        conversation = repo.get_conversation(session, conversation_id)
        if conversation is None:
            raise ReportNotFound(f"There is no conversation {conversation_id}.")
        return conversation


def transcript_of(conversation: Conversation) -> Transcript:
    return Transcript(
        scenario=conversation.scenario_version.slug,
        turns=[TranscriptTurn(speaker=Speaker(t.speaker), text=t.text) for t in conversation.turns],
    )


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
