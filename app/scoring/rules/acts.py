"""The act of each sentence: question (open or closed), reflection (with its stem), input,
statement or other, from its opening words and punctuation."""

from __future__ import annotations

import re
from re import Pattern

from app.scoring.rules.text import FIRST_PERSON, SECOND_PERSON, WORD, Sentence

_I = re.IGNORECASE

_LEAD = re.compile(
    r"^(?:(?:so|and|but|okay|ok|well|right|alright|all right|now|um+|uh+|erm|er|oh|ah|yeah|"
    r"yes|no|hmm+|mm+(?:-?hmm)?|uh-huh|great|good|sure|then|also|just|I see|I mean|you know|"
    r"thanks|thank you|fine|lovely|cool|wow|gosh)\b[\s,.\-]*)+",
    _I,
)
_FILLER = re.compile(
    r"^(?:[\W_]*(?:ok(?:ay)?|alright|all right|right|yeah|yes|yep|no|mm+|mm-?hmm|uh-?huh|hmm+|"
    r"um+|uh+|er+m?|ah+|oh+|sure|great|good|fine|lovely|excellent|wow|gosh|i see|got it|"
    r"thanks|thank you|exactly|absolutely|of course|indeed|cool|perfect|hi|hello|hey|"
    r"good (?:morning|afternoon|evening)|nice to meet you|bye|goodbye|take care|"
    r"see you(?: (?:next time|soon|next week|then|later|again))?|thanks for coming(?: in)?)"
    r"[\W_]*)+$",
    _I,
)
_AUX = (
    r"do|does|did|is|are|was|were|have|has|had|can|could|will|would|should|shall|may|might|am|"
    r"isn't|aren't|don't|doesn't|didn't|haven't|hasn't|won't|wouldn't|can't|couldn't|"
    r"shouldn't|wasn't|weren't"
)
_SUBJECT = r"you|i|we|it|there|that|this|they|he|she|your|anyone|anything|someone|things|any"
_WH = r"what|how|why|where|when|who|whom|whose|which|in what ways?|to what extent"
_CLOSED_START = re.compile(
    rf"^(?:(?:{_AUX})\s+(?:{_SUBJECT})\b|any(?:thing|one|body)?\b|is there|are there|"
    r"i(?:'m| am) wondering (?:if|whether)|i wonder(?:ed)? whether)",
    _I,
)
# "Can you tell me about..." is closed in form but asks for an open answer.
_OPEN_IN_CLOSED_FORM = re.compile(
    r"^(?:(?:can|could|would|will) you (?:please )?|would you (?:like|mind|be willing) to )"
    r"(?:tell|say|describe|explain|talk|share|walk|help me understand|think of|"
    r"give me (?:an idea|a sense|a picture))\b",
    _I,
)
_WH_CLOSED = re.compile(r"^(?:how\s+(?:many|much|often|long|old|far)|why (?:don't you|not))\b", _I)
_OPEN_START = re.compile(
    rf"^(?:(?:{_WH})\b|tell me|describe|explain to me|talk me through|walk me through|"
    r"help me understand|i(?:'m| am) (?:curious|wondering)|i wonder (?:what|how|why|where|who)|"
    r"i(?:'d| would) (?:like|love) to (?:hear|know|understand)|say (?:a bit |a little |more )"
    r"|let's (?:think|talk) about (?:what|how))\b",
    _I,
)
# A wh-word starts a question without a "?" only when a verb or auxiliary follows it.
_WH_QUESTION = re.compile(
    rf"^(?:{_WH})(?:\s+(?:else|kind of \w+|sort of \w+|things?|ideas?|options?|part|\w+ly))?"
    rf"\s+(?:{_AUX}|'s|'re|'d|'ll|matters|worries|concerns|happens|happened|helps|helped|"
    r"brings|brought|makes|made|comes|came|stops|gets|got|works|worked)\b"
    rf"|^(?:{_WH})'(?:s|re|d|ll)\b",
    _I,
)
# Imperatives and indirect questions that ask for an answer.
_ASKING = re.compile(
    r"^(?:tell me|describe|talk me through|walk me through|help me understand|"
    r"i(?:'m| am) (?:curious|wondering)|i wonder(?:ed)? (?:what|how|why|where|who|whether))\b",
    _I,
)
# A check tagged onto a reflection ("So you're worried, is that right?").
_CHECK_TAG = re.compile(
    r"[\s,;\-]*(?:is that (?:right|correct|fair)|have I got that right|did I get that right|"
    r"right|yeah|correct|(?:isn't|aren't|don't|didn't|doesn't|wasn't|won't|haven't|is|are|do|"
    r"did) (?:it|you|that|they|there))\s*\?\s*$",
    _I,
)
_CLAUSE_BREAK = re.compile(r"[,;:]|\s-+\s|--|\b(?:and|but|so|or)\b", _I)
_SO_START = re.compile(r"^(?:\W*(?:okay|ok|right|yeah|mm-?hmm)\W+)*so\b", _I)
# Offers and existence claims are information, even when they mention the person.
_NOT_MIRRORING = re.compile(
    r"\byou(?: could| might| may| should|'ll need| will need| need)\b|^there(?:'s| is| are)\b", _I
)
_WHEN_YOU_SAY = re.compile(r"^when you say\b", _I)


def _stems(*alternatives: str) -> Pattern[str]:
    return re.compile(r"(?:" + "|".join(alternatives) + r")\b", _I)


_COMPLEX_STEM = _stems(
    r"(?:it |that |this )?sounds? (?:to me )?(?:like|as (?:if|though)|you|that)",
    r"(?:it |that )?(?:seems|seemed) (?:to me )?(?:like|as if|as though|that)",
    r"it seems",
    r"you (?:seem|sound)",
    r"i(?:'m| am) (?:hearing|sensing|getting the (?:sense|feeling|impression))",
    r"i (?:hear (?:that )?you|sense|get the (?:sense|feeling|impression)|can see (?:that )?you|"
    r"notice (?:that )?you|wonder if you)",
    r"what i(?:'m| am) hearing",
    r"part of you",
    r"on (?:the )?one hand",
    r"on the other hand",
    r"in other words",
    r"(?:it's|it is|that's|that is) (?:almost |kind of |sort of )?(?:like|as if)",
    r"for you,? (?:it's|it is|this is|that's|the)",
    r"you(?:'re| are) (?:someone|a person|the kind of person) who",
    r"you(?:'re| are) (?:really |quite |pretty |a bit |a little )?(?:kind of|sort of)",
)
_SIMPLE_STEM = _stems(
    r"you (?:really )?(?:value|care about|want|don't want|wish|would like|'d like|hope)",
    r"you feel(?: like| that)?",
    r"you(?:'re| are| have been|'ve been) (?:really |quite |pretty |a bit |a little )?"
    r"(?:feeling|wondering|torn|not sure|unsure|struggling)",
    r"so you(?:'re|'ve|'d|'ll)?",
    r"you(?:'re| are) saying",
    r"you said",
    r"you (?:mentioned|told me|say|described)",
    r"you(?:'ve| have) (?:been|had|tried|got|noticed|decided|done|made|already|never|found|"
    r"always|just|managed|started|stopped|cut)",
    r"you (?:have|had|don't|do|did|didn't|can't|cannot|haven't|were|weren't|are|aren't|"
    r"think|thought|find|found|went|drink|smoke|use|used to|eat|get|got|take|took|know|"
    r"like|go|come|work|live|still|also|never|always|just|both|mostly|usually|only|felt)",
    r"you(?:'re| are)",
    r"that (?:you|your)",
)
# "You could try..." or "You should..." are advice or persuasion, not reflections.
_NOT_REFLECTION = re.compile(
    r"^(?:so,?\s+)?you(?:'ll| will| could| might| may| should| must| need| have to| ought| can|"
    r"'d better| had better|'d need| would need| would have to|'d have to)\b",
    _I,
)


def _strip_lead(s: str) -> str:
    return _LEAD.sub("", s.strip(" -\"'\u2013\u2014")).strip()


def _question_type(body: str) -> str:
    """Open or closed for a sentence (or clause) that opens as a question; "" if it does not."""
    if _OPEN_IN_CLOSED_FORM.match(body):
        return "open"
    if _WH_CLOSED.match(body):
        return "closed"
    if _OPEN_START.match(body):
        return "open"
    if _CLOSED_START.match(body):
        return "closed"
    return ""


def _opens_as_question(body: str) -> bool:
    return bool(_CLOSED_START.match(body) or _WH_QUESTION.match(body) or _ASKING.match(body))


# A clause opened by a relative word, in a sentence with no "?".
_RELATIVE = re.compile(r"^(?:which|who|whom|whose|where|when|what|that)\b", _I)


def _classify_question(body: str) -> tuple[str, bool]:
    """(open / closed / "", whether the words alone make it a question, without a "?")."""
    qtype = _question_type(body)
    if qtype:
        return qtype, _opens_as_question(body) or bool(_OPEN_IN_CLOSED_FORM.match(body))
    asks = body.rstrip(" -\"')").endswith("?")
    for clause in _CLAUSE_BREAK.split(body)[1:]:
        clause = _strip_lead(clause)
        if not asks and _RELATIVE.match(clause):
            continue  # "..., which is why" goes on with a statement; it asks nothing
        if clause and _opens_as_question(clause):
            return _question_type(clause), True
    return "", False


def _reflection_stem(body: str) -> tuple[str, bool]:
    """The reflection stem that opens a sentence, and whether it marks a complex one."""
    if _NOT_REFLECTION.match(body):
        return "", False
    m = _COMPLEX_STEM.match(body)
    if m:
        return m.group(0), True
    m = _SIMPLE_STEM.match(body)
    if m:
        return m.group(0), False
    return "", False


def set_act(sent: Sentence) -> None:
    """Set a sentence's act, question type and reflection stem."""
    raw = sent.text
    body = _strip_lead(raw)
    sent.words = len(WORD.findall(raw))
    if not body or _FILLER.match(raw):
        return
    asks = raw.rstrip(" -\"')").endswith("?")
    starts_with_so = bool(_SO_START.match(raw))
    stem, complex_stem = _reflection_stem(body)
    if not stem and starts_with_so:
        stem, complex_stem = _reflection_stem("so " + body)
    # A reflection with a check tagged on stays a reflection; the tag is a clarification.
    qtype, strong = _classify_question(_CHECK_TAG.sub("", body) if stem else body)
    if _WHEN_YOU_SAY.match(body):
        qtype, strong = ("open" if asks else ""), asks
    if stem and not (strong and qtype):
        # A reflection may end with rising intonation ("That sounds hard?") and stays one.
        sent.act, sent.stem, sent.complex_stem = "reflection", stem, complex_stem
    elif qtype and (asks or strong):
        sent.act, sent.qtype = "question", qtype
    elif asks and not starts_with_so and not SECOND_PERSON.search(body):
        sent.act, sent.qtype = "question", "closed"
    elif (asks or starts_with_so or SECOND_PERSON.search(body)) and not (
        FIRST_PERSON.search(body) or (not asks and _NOT_MIRRORING.search(body))
    ):
        # A statement about the person, or one said back with rising intonation, mirrors them.
        sent.act = "reflection"
    else:
        sent.act = "statement"
