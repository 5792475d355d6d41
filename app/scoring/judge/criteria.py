"""The judge levels every criterion of a rubric, quoting the turns behind each level.

The reply must give each criterion of the rubric exactly once. Evidence must cite
practitioner turns with words from that turn (repaired by ``locate`` when nearly right);
evidence that cannot be found is left out. Feedback is written from the rubric's own
descriptors, the judge's rationale and the quotes, as for the rules.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from app.domain.rubric import Criterion, Rubric
from app.domain.rubric_rules import LevelName
from app.domain.scorecard import CodedTurn, CriterionScore, Quote
from app.domain.transcript import Transcript
from app.llm.base import ChatMessage, Role
from app.scoring.feedback import judged_feedback
from app.scoring.judge.asking import Asker, Checked
from app.scoring.judge.codes import practitioner_turns
from app.scoring.judge.quotes import locate
from app.scoring.judge.schemas import CriteriaReply, CriterionLevel
from app.scoring.moments import reaction_to


async def judge_criteria(
    asker: Asker, transcript: Transcript, rubric: Rubric, turns: Sequence[CodedTurn]
) -> tuple[list[CriterionScore], list[str]]:
    """Each criterion's level by the judge, in rubric order, and notes on repairs."""
    messages = [
        ChatMessage(role=Role.SYSTEM, content=asker.prompts.render("judge_system")),
        ChatMessage(role=Role.USER, content=criteria_prompt(asker, rubric, turns)),
    ]
    return await asker.ask(
        messages, CriteriaReply, lambda reply: check_criteria(reply, transcript, rubric)
    )


def criteria_prompt(asker: Asker, rubric: Rubric, turns: Sequence[CodedTurn]) -> str:
    """The user prompt: the criteria with their level descriptors, the coded turns, the schema."""
    shown = [
        {"index": t.index, "speaker": t.speaker.value, "text": t.text, "codes": t.codes}
        for t in turns
    ]
    schema = json.dumps(CriteriaReply.model_json_schema())
    return asker.prompts.render("judge_criteria", rubric=rubric, turns=shown, schema=schema)


def check_criteria(
    reply: CriteriaReply, transcript: Transcript, rubric: Rubric
) -> Checked[list[CriterionScore]]:
    """The criterion scores the reply supports, in rubric order, and what is wrong with it."""
    known = {c.id: c for c in rubric.criteria}
    given: dict[str, CriterionLevel] = {}
    checked: Checked[list[CriterionScore]] = Checked(value=None)
    for entry in reply.criteria:
        if entry.id not in known:
            checked.problems.append(f"'{entry.id}' is not a criterion of this rubric")
        elif entry.id in given:
            checked.problems.append(f"criterion '{entry.id}' is given twice")
        else:
            given[entry.id] = entry
    missing = [cid for cid in known if cid not in given]
    if missing:
        checked.problems.append(f"criteria {', '.join(missing)} are missing; give every one")
    if checked.problems:
        checked.fatal = True
        return checked
    checked.value = [_score(known[cid], given[cid], transcript, checked.problems) for cid in known]
    return checked


def _score(
    criterion: Criterion, entry: CriterionLevel, transcript: Transcript, problems: list[str]
) -> CriterionScore:
    """One criterion's score from the judge's entry; evidence not found is left out."""
    texts = practitioner_turns(transcript)
    quotes: list[Quote] = []
    for item in entry.evidence:
        words = locate(item.quote, texts[item.turn]) if item.turn in texts else None
        if words is None:
            where = "that turn" if item.turn in texts else "a practitioner turn"
            problems.append(
                f'{criterion.id}: the quote "{item.quote}" (turn {item.turn}) is not in {where}'
            )
            continue
        quotes.append(
            Quote(turn=item.turn, code="", words=words, reaction=reaction_to(transcript, item.turn))
        )
    quotes.sort(key=lambda q: q.turn)
    level = LevelName(entry.level)
    return CriterionScore(
        id=criterion.id,
        title=criterion.title,
        level=level,
        evidence_turns=sorted({q.turn for q in quotes}),
        quotes=quotes,
        feedback=judged_feedback(criterion, level, entry.rationale, quotes),
        method="judge",
    )
