"""Re-rehearsal: try a different response at an earlier turn, keeping the original.

000:1352 asks for "opportunities for re-rehearsal". A branch is a conversation of its own
whose first turns are copies of its parent's turns before the fork, so saying, replying,
ending and scoring work on it unchanged. The person's state at the fork is replayed from
those copied turn records (``state_after``): trust, emotion and the facts released *before*
the fork, never a fact the original conversation released later. Those facts have to be
earned again on the new branch.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from app.content.scenarios import scenario_from_source
from app.domain.conversation import ConversationStatus, ConversationSummary, Speaker, Turn
from app.services.rehearsal import NotFound, RehearsalError, RehearsalService
from app.sim.state import PersonaState, state_after
from app.store import repositories as repo
from app.store.db import transaction
from app.store.models import Branch, Conversation, TurnRow


class BranchSummary(BaseModel):
    """One conversation of a family: the original, or a branch and where it differs."""

    conversation_id: int
    label: str
    status: ConversationStatus
    started_at: datetime
    parent_id: int | None = None
    fork_index: int | None = None
    fork_turn: int | None = None
    first_turn: str | None = None

    @property
    def is_original(self) -> bool:
        """The conversation every branch of the family started from."""
        return self.parent_id is None


class ForkPoint(BaseModel):
    """Where the current branch left its parent, and (for trainers) the person's state there."""

    parent_id: int
    index: int
    turn: int
    replaced: str
    trust: float | None = None
    emotion: str | None = None
    released: list[str] | None = None


class BranchFamily(BaseModel):
    """A conversation and all its branches, for the branch switcher."""

    root_id: int
    current_id: int
    branches: list[BranchSummary]
    fork: ForkPoint | None = None

    def for_practitioner(self) -> BranchFamily:
        """Without the person's state at the fork: hidden from the practitioner."""
        if self.fork is None:
            return self
        fork = self.fork.model_copy(update={"trust": None, "emotion": None, "released": None})
        return self.model_copy(update={"fork": fork})

    @property
    def has_branches(self) -> bool:
        """More than the original alone: worth a switcher."""
        return len(self.branches) > 1


class HistoryBranch(BaseModel):
    """A branch in the past-conversations list, and the turn it tried differently."""

    conversation: ConversationSummary
    fork_turn: int


class HistoryEntry(BaseModel):
    """A row of the past-conversations list, with its branches under it (oldest first)."""

    conversation: ConversationSummary
    branches: list[HistoryBranch]


class BranchingService:
    """Branch conversations and list families; built on the rehearsal service."""

    def __init__(self, rehearsal: RehearsalService) -> None:
        self.rehearsal = rehearsal

    def branch(self, conversation_id: int, turn_index: int) -> int:
        """Start a branch that tries a different response at the turn ``turn_index``."""
        with transaction(self.rehearsal.sessions) as session:
            parent = repo.get_conversation(session, conversation_id)
            if parent is None:
                raise NotFound(f"There is no conversation {conversation_id}.")
            _check_fork(parent, turn_index)
            branch = repo.create_branch(session, parent=parent, fork_index=turn_index)
            self._replay(branch)
            session.flush()
            return branch.id

    def _replay(self, branch: Conversation) -> None:
        """Work out the persona step of any copied turn saved without one (before 0002).

        Every later turn reads the state from these records, so the branch must hold a
        complete record of the state it starts from.
        """
        scenario = scenario_from_source(branch.scenario_version.source)
        history: list[Turn] = []
        for row in branch.turns:
            turn = Turn.model_validate(row, from_attributes=True)
            if turn.speaker is Speaker.PRACTITIONER and turn.persona is None:
                step = self.rehearsal.engine.advance(scenario, history, turn.text, turn.codes)
                row.persona = step.model_dump(mode="json")
                turn = turn.model_copy(update={"persona": step})
            history.append(turn)

    def state_at(self, conversation_id: int, turn_index: int) -> PersonaState:
        """The person's state just before the turn ``turn_index``, replayed from records."""
        view = self.rehearsal.view(conversation_id)
        scenario = self.rehearsal.scenario_of(conversation_id)
        rules = self.rehearsal.engine.rules(scenario)
        return state_after(view.turns[:turn_index], rules)

    def family(self, conversation_id: int) -> BranchFamily:
        """The family this conversation belongs to: original first, then branches by age."""
        with transaction(self.rehearsal.sessions) as session:
            own = repo.branch_of(session, conversation_id)
            root_id = own.root_id if own else conversation_id
            root = repo.get_conversation(session, root_id)
            if root is None:
                raise NotFound(f"There is no conversation {conversation_id}.")
            rows = repo.branch_family(session, root_id)
            branches = [_original(root)]
            branches += [_summary(n, *row) for n, row in enumerate(rows, start=1)]
        fork = self._fork_point(own) if own else None
        return BranchFamily(
            root_id=root_id, current_id=conversation_id, branches=branches, fork=fork
        )

    def _fork_point(self, branch: Branch) -> ForkPoint:
        parent = self.rehearsal.view(branch.parent_id)
        replaced = parent.turns[branch.fork_index]
        state = self.state_at(branch.conversation_id, branch.fork_index)
        return ForkPoint(
            parent_id=branch.parent_id,
            index=branch.fork_index,
            turn=_practitioner_number(parent.turns, branch.fork_index),
            replaced=replaced.text,
            trust=state.trust,
            emotion=state.emotion,
            released=sorted(state.released),
        )

    def history(self, user_id: int | None = None) -> list[HistoryEntry]:
        """Past conversations, newest first, each original with its branches beneath.

        A branch whose original is not in the list (older than its page) stands alone.
        """
        summaries = self.rehearsal.history(user_id)
        with transaction(self.rehearsal.sessions) as session:
            owner = user_id if user_id is not None else repo.default_user(session).id
            rows = repo.branches_for_user(session, owner)
            branches = {branch.conversation_id: (branch.root_id, turn) for branch, turn in rows}
        shown = {summary.id for summary in summaries}
        entries = {
            summary.id: HistoryEntry(conversation=summary, branches=[])
            for summary in summaries
            if branches.get(summary.id, (None, 0))[0] not in shown
        }
        for summary in reversed(summaries):
            root_id, turn = branches.get(summary.id, (None, 0))
            if root_id in entries:
                entries[root_id].branches.append(
                    HistoryBranch(conversation=summary, fork_turn=turn)
                )
        return list(entries.values())


def _check_fork(parent: Conversation, turn_index: int) -> None:
    """Only one of the practitioner's own turns can be tried again."""
    if not 0 <= turn_index < len(parent.turns):
        raise RehearsalError(
            f"Conversation {parent.id} has no turn {turn_index}; "
            f"its turns are numbered 0 to {len(parent.turns) - 1}."
        )
    if parent.turns[turn_index].speaker != Speaker.PRACTITIONER.value:
        raise RehearsalError(
            f"Turn {turn_index} of conversation {parent.id} is the person's; "
            "choose one of your own turns to try differently."
        )


def _practitioner_number(turns: list[Turn], index: int) -> int:
    """The practitioner's turn number (from 1) of the turn at ``index``."""
    return sum(1 for turn in turns[: index + 1] if turn.speaker is Speaker.PRACTITIONER)


def _original(root: Conversation) -> BranchSummary:
    return BranchSummary(
        conversation_id=root.id,
        label="Original",
        status=ConversationStatus(root.status),
        started_at=root.started_at,
    )


def _summary(
    number: int, branch: Branch, conversation: Conversation, fork_turn: int, turn: TurnRow | None
) -> BranchSummary:
    return BranchSummary(
        conversation_id=conversation.id,
        label=f"Branch {number}",
        status=ConversationStatus(conversation.status),
        started_at=conversation.started_at,
        parent_id=branch.parent_id,
        fork_index=branch.fork_index,
        fork_turn=fork_turn,
        first_turn=turn.text if turn is not None else None,
    )
