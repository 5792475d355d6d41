"""Formative feedback for one criterion: where you are, what showed it, and the next step.

Built only from the rubric's own level descriptors and the quoted turns, so every sentence
is specific to this conversation; there is no generic praise and no pass mark.
"""

from __future__ import annotations

from app.domain.rubric import Criterion
from app.domain.rubric_rules import LEVEL_ORDER, Evidence, LevelName
from app.domain.scorecard import Quote
from app.scoring.labels import LEVEL_LABELS, first_upper, join
from app.scoring.levels import Verdict
from app.scoring.measures import Measure

_SHOWN = 3  # quotes shown per list; the rest are counted


def feedback(criterion: Criterion, found: Measure, verdict: Verdict) -> str:
    """The feedback paragraph for ``criterion``."""
    level = verdict.level
    parts = [f"{LEVEL_LABELS[level]}: {criterion.levels.text(level).descriptor}"]
    parts.append(_seen(criterion.evidence, found))
    parts.extend(limit.reason for limit in verdict.limits)
    if verdict.limits:
        blocked = verdict.limits[0].blocked
        what_not = criterion.levels.text(blocked).what_it_is_not
        parts.append(f"What {LEVEL_LABELS[blocked].lower()} is not: {what_not}")
    if level is not LevelName.EXEMPLARY:
        following = LEVEL_ORDER[level.rank + 1]
        parts.append(f"Next step: {criterion.levels.text(following).descriptor}")
    return " ".join(part.strip() for part in parts if part)


def judged_feedback(
    criterion: Criterion, level: LevelName, rationale: str, cited: list[Quote]
) -> str:
    """Feedback for a level the LLM judge chose: the same shape as the rules' feedback, with
    the judge's reason in place of the measure."""
    parts = [f"{LEVEL_LABELS[level]}: {criterion.levels.text(level).descriptor}", rationale]
    if cited:
        parts.append(f"Seen at {cite(cited)}.")
    if level is not LevelName.EXEMPLARY:
        following = LEVEL_ORDER[level.rank + 1]
        parts.append(f"Next step: {criterion.levels.text(following).descriptor}")
    return " ".join(part.strip() for part in parts if part.strip())


def quotes(found: Measure, verdict: Verdict) -> list[Quote]:
    """Every quoted turn behind the level, in turn order, each once."""
    everything = [*found.hits, *found.misses, *(q for limit in verdict.limits for q in limit.turns)]
    unique = list({(q.turn, q.code): q for q in everything}.values())
    return sorted(unique, key=lambda q: q.turn)


def cite(items: list[Quote]) -> str:
    """'turn 7 ("What matters most to you") and turn 25 ("...")', at most three shown."""
    shown = [f'turn {q.turn} ("{q.words}")' for q in items[:_SHOWN]]
    if len(items) > _SHOWN:
        shown.append(f"{len(items) - _SHOWN} more")
    if len(shown) < 2:
        return "".join(shown)
    return f"{', '.join(shown[:-1])} and {shown[-1]}"


def _seen(evidence: Evidence, found: Measure) -> str:
    kind = evidence.kind
    if kind == "absence":
        return _seen_absence(evidence, found)
    if kind == "coverage":
        return _seen_coverage(found)
    if found.chances == 0:
        return f"No turn had {join(evidence.rule.codes)}, so there was nothing to build this on."
    if kind == "count":
        if not found.hits:
            return f"Not seen in this conversation: {join(evidence.rule.codes)}."
        return f"Seen at {cite(found.hits)}."
    return _seen_chances(evidence, found)


def _seen_chances(evidence: Evidence, found: Measure) -> str:
    """For share, after and before: how many chances were taken, and which were not."""
    rule = evidence.rule
    percent = round(100 * (found.share or 0))
    if evidence.kind == "after":
        what = f"were followed by {_followers(evidence)}"
    elif evidence.kind == "before":
        what = f"came after {_preceders(evidence)}"
    else:
        what = f"had {join(rule.codes)}"
    chances = join(getattr(rule, "of", rule.codes))
    text = f"{found.count} of {found.chances} turns with {chances} {what} ({percent}%)."
    taken = [q for q in found.hits if q.code in rule.codes or evidence.kind == "share"]
    if taken:
        text += f" Taken at {cite(taken)}."
    if found.misses:
        text += f" {'Not at' if evidence.kind == 'share' else 'Missed at'} {cite(found.misses)}."
    return text


def _followers(evidence: Evidence) -> str:
    rule = evidence.after
    assert rule is not None
    word = "and" if rule.need == "all" else "or"
    span = "the same turn" if rule.within_turns == 0 else f"within {rule.within_turns} turn(s)"
    return f"{join(rule.followed_by, word)} ({span})"


def _preceders(evidence: Evidence) -> str:
    rule = evidence.before
    assert rule is not None
    if rule.within_turns is None:
        return f"{join(rule.preceded_by)} earlier on"
    return f"{join(rule.preceded_by)} within the {rule.within_turns} turn(s) before"


def _seen_coverage(found: Measure) -> str:
    heard = ", ".join(f"{join([q.code])} at turn {q.turn}" for q in found.hits)
    text = f"Heard: {heard}." if heard else "None of them came up."
    if found.absent and found.hits:
        text += f" Not yet heard: {join(found.absent, 'and')}."
    elif found.absent:
        text = f"Not yet heard: {join(found.absent, 'and')}."
    return text


def _seen_absence(evidence: Evidence, found: Measure) -> str:
    rule = evidence.absence
    assert rule is not None
    if not found.judgeable:
        return f"Too little of the conversation to judge: it needs at least {rule.min_turns} turns."
    if not found.misses:
        return f"Not heard in this conversation: {join(rule.codes)}."
    return f"{first_upper(join(rule.codes))} at {cite(found.misses)}."
