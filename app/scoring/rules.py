"""A small, fast, deterministic rule-based coder for practitioner turns (DESIGN.md section 5).

The coder works in three steps:

1. split the turn into sentences and give each one an act (question, reflection, input or
   other) from its opening words and punctuation;
2. pick the turn's main act, AnnoMI style, from those sentence acts;
3. match the fine codes of the code book with regexes compiled at import, keeping the exact
   words that matched as evidence.

It needs no model and runs in well under a millisecond per turn. A trained classifier may
replace step 2 later; the fine codes stay rule-based because AnnoMI does not label them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from re import Pattern

from app.domain.coding import Behaviour, TurnCoding

# The order codes are reported in: the order of the code book.
CODE_ORDER: tuple[str, ...] = (
    "introduction",
    "agenda_setting",
    "open_question",
    "closed_question",
    "screening",
    "simple_reflection",
    "complex_reflection",
    "empathy",
    "affirmation",
    "normalisation",
    "summary",
    "clarification",
    "signposting",
    "ask_permission",
    "giving_information",
    "advice",
    "chunk_check",
    "teach_back",
    "option_talk",
    "benefits",
    "risks",
    "alternatives",
    "do_nothing",
    "what_matters",
    "strengths",
    "involvement",
    "goal_setting",
    "persuade",
    "judgement",
    "jargon",
)
_RANK = {code: i for i, code in enumerate(CODE_ORDER)}

# Codes whose presence makes a turn's main act "therapist_input".
INPUT_CODES = frozenset(
    {
        "giving_information",
        "advice",
        "option_talk",
        "benefits",
        "risks",
        "alternatives",
        "do_nothing",
        "persuade",
    }
)
# Question codes that only check in after information; they do not make a turn a question
# when the turn is mostly information.
_TRAILER_CODES = frozenset({"chunk_check", "ask_permission", "clarification"})

# Curly quotes and dashes map one character to one character, so match spans stay valid
# for the original text and evidence is quoted exactly.
_NORMALISE = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})

_I = re.IGNORECASE


def _rx(*alternatives: str, flags: int = _I) -> Pattern[str]:
    """Compile word-bounded alternatives into one pattern."""
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")", flags)


_YOU_RE = r"(?:you(?:'re| are)|you(?:'ve| have)|you)"
_FEELING = (
    r"worried|worry(?:ing)?|anxious|anxiety|scared|frightened|frightening|afraid|fear(?:ful)?|"
    r"upset(?:ting)?|frustrat\w*|angry|cross|sad|low|down|overwhelm\w*|stress\w*|embarrass\w*|"
    r"ashamed|guilty|relieved|torn|hopeless|helpless|lonely|isolated|nervous|confus\w*|"
    r"fed up|annoyed|disappointed|hurt|excited|hopeful|proud|exhausted|worn out|unsure|uneasy|"
    r"concerned|shock(?:ed)?|devastated|uncertain|trapped|stuck|alone|apprehensive|reluctant|"
    r"ambivalent|conflicted|not sure|tired of|sick of|struggl\w*|daunt\w*|terrif\w*|panick\w*"
)
_FEELING_RE = re.compile(r"\b(?:" + _FEELING + r")\b", _I)

# --- sentence acts --------------------------------------------------------------------------

_LEAD = re.compile(
    r"^(?:(?:so|and|but|okay|ok|well|right|alright|all right|now|um+|uh+|erm|er|oh|ah|yeah|"
    r"yes|no|hmm+|mm+(?:-?hmm)?|uh-huh|great|good|sure|then|also|just|I see|I mean|you know|"
    r"thanks|thank you|fine|lovely|cool|wow|gosh)\b[\s,.\-]*)+",
    _I,
)
_AUX = (
    r"do|does|did|is|are|was|were|have|has|had|can|could|will|would|should|shall|may|might|am|"
    r"isn't|aren't|don't|doesn't|didn't|haven't|hasn't|won't|wouldn't|can't|couldn't|"
    r"shouldn't|wasn't|weren't"
)
_SUBJECT = r"you|i|we|it|there|that|this|they|he|she|your|anyone|anything|someone|things|any"
_CLOSED_START = re.compile(
    rf"^(?:(?:{_AUX})\s+(?:{_SUBJECT})\b|any(?:thing|one|body)?\b|is there|are there|"
    r"i(?:'m| am) wondering (?:if|whether)|i wonder(?:ed)? whether)",
    _I,
)
_OPEN_AS_CLOSED = re.compile(
    r"^(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:tell|say|describe|explain|talk|share|"
    r"walk|help me understand|give me (?:an idea|a sense|a picture)|think of)\b"
    r"(?!.*\b(?:yes or no)\b)",
    _I,
)
_WH = r"what|how|why|where|when|who|whom|whose|which|in what ways?|to what extent"
# Imperatives and indirect questions that ask for an answer.
_ASKING = re.compile(
    r"^(?:tell me|describe|talk me through|walk me through|help me understand|"
    r"i(?:'m| am) (?:curious|wondering)|i wonder(?:ed)? (?:what|how|why|where|who|whether))\b",
    _I,
)
_WH_CLOSED = re.compile(r"^how\s+(?:many|much|often|long|old|far)\b", _I)
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
    r"brings|brought|makes|made|would|comes|came|stops|gets|got|works|worked)\b"
    rf"|^(?:{_WH})'(?:s|re|d|ll)\b",
    _I,
)
_TAG_QUESTION = re.compile(
    r",\s*(?:right|yeah|yes|no|ok|okay|correct|true|(?:isn't|aren't|don't|didn't|doesn't|"
    r"wasn't|won't|wouldn't|haven't|hasn't|is|are|do|did|have|can|would|will)\s+"
    r"(?:it|you|they|we|he|she|that|there|i))\s*\?\s*$",
    _I,
)
_COMPLEX_STEM = _rx(
    r"(?:it |that |this )?sounds? (?:to me )?(?:like|as (?:if|though)|as if|you|that)",
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
_SIMPLE_STEM = _rx(
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
    r"like|go|come|work|live|still|also|never|always|just|both|mostly|usually|only)",
    r"you(?:'re| are)",
    r"that (?:you|your)",
)
# "You could try..." or "You should..." are advice or persuasion, not reflections.
_NOT_REFLECTION = re.compile(
    r"^(?:so,?\s+)?you(?:'ll| will| could| might| may| should| must| need| have to| ought| can|"
    r"'d better| had better|'d need| would need| would have to|'d have to)\b",
    _I,
)
_SECOND_PERSON = re.compile(r"\byou(?:'re|'ve|'d|'ll|r|rs|rself)?\b", _I)
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|I'll|me|my|we|we're|we'll|we've|we'd|us|our)\b", _I)
_WHEN_YOU_SAY = re.compile(r"^when you say\b", _I)


@dataclass
class _Sentence:
    text: str  # normalised text
    start: int  # offset in the turn
    act: str = "other"  # question / reflection / statement / other
    qtype: str = ""
    stem: str = ""  # the reflection stem that matched
    complex_stem: bool = False
    words: int = 0


_SENTENCE = re.compile(
    r"\S.*?(?:(?<!\bDr)(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)[.!?]+"
    r"(?=[\s\"')\]]|$)|$)",
    re.S,
)
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?", _I)
_FILLER = re.compile(
    r"^(?:[\W_]*(?:ok(?:ay)?|alright|all right|right|yeah|yes|yep|no|mm+|mm-?hmm|uh-?huh|hmm+|"
    r"um+|uh+|er+m?|ah+|oh+|sure|great|good|fine|lovely|excellent|wow|gosh|i see|got it|"
    r"thanks|thank you|exactly|absolutely|of course|indeed|cool|perfect|hi|hello|hey|"
    r"good (?:morning|afternoon|evening)|nice to meet you|bye|goodbye|see you)[\W_]*)+$",
    _I,
)


def _split(text: str) -> list[_Sentence]:
    out: list[_Sentence] = []
    for m in _SENTENCE.finditer(text):
        chunk = m.group(0).strip()
        if chunk:
            out.append(_Sentence(text=chunk, start=m.start()))
    return out


def _strip_lead(s: str) -> str:
    return _LEAD.sub("", s.strip(" -\"'\u2013\u2014")).strip()


def _question_type(body: str) -> str:
    """Open or closed for a sentence (or clause) that starts a question; "" if it does not."""
    if _OPEN_AS_CLOSED.match(body):
        return "open"
    if _WH_CLOSED.match(body):
        return "closed"
    if _OPEN_START.match(body):
        return "open"
    if _CLOSED_START.match(body):
        return "closed"
    return ""


_CLAUSE_BREAK = re.compile(r"[,;:]|\s-+\s|--|\b(?:and|but|so|or)\b", _I)


def _clauses(body: str) -> list[str]:
    return [c.strip() for c in _CLAUSE_BREAK.split(body) if c.strip()]


def _classify_question(body: str) -> tuple[str, bool]:
    """(open/closed/"", whether the opening words alone make it a question)."""
    qtype = _question_type(body)
    if qtype:
        strong = bool(
            _CLOSED_START.match(body)
            or _OPEN_AS_CLOSED.match(body)
            or _WH_QUESTION.match(body)
            or _ASKING.match(body)
        )
        return qtype, strong
    for clause in _clauses(body)[1:]:
        clause = _strip_lead(clause)
        if _CLOSED_START.match(clause) or _WH_QUESTION.match(clause) or _ASKING.match(clause):
            return _question_type(clause), True
    return "", False


def _reflection_stem(body: str) -> tuple[str, bool]:
    """The reflection stem at the start of a sentence and whether it marks a complex one."""
    if _NOT_REFLECTION.match(body):
        return "", False
    m = _COMPLEX_STEM.match(body)
    if m:
        return m.group(0), True
    m = _SIMPLE_STEM.match(body)
    if m:
        return m.group(0), False
    return "", False


def _act(sent: _Sentence) -> None:
    """Set the sentence's act, question type and reflection stem."""
    raw = sent.text
    body = _strip_lead(raw)
    sent.words = len(_WORD.findall(raw))
    if not body or _FILLER.match(raw):
        return
    asks = raw.rstrip(" -\"')").endswith("?")
    starts_with_so = bool(re.match(r"^(?:\W*(?:okay|ok|right|yeah|mm-?hmm)\W+)*so\b", raw, _I))
    stem, complex_stem = _reflection_stem(body)
    if not stem and starts_with_so:
        stem, complex_stem = _reflection_stem("so " + body)
    qtype, strong = _classify_question(body)
    if _WHEN_YOU_SAY.match(body):
        qtype, strong = ("open" if asks else ""), asks
    if stem and not (strong and qtype):
        # A reflection may end with rising intonation ("That sounds hard?") and stays one.
        sent.act, sent.stem, sent.complex_stem = "reflection", stem, complex_stem
    elif qtype and (asks or strong):
        sent.act, sent.qtype = "question", qtype
    elif stem:
        sent.act, sent.stem, sent.complex_stem = "reflection", stem, complex_stem
    elif asks and not starts_with_so and not _SECOND_PERSON.search(body):
        sent.act, sent.qtype = "question", "closed"
    elif (asks or starts_with_so or _SECOND_PERSON.search(body)) and not _FIRST_PERSON.search(
        body
    ):
        # A statement about the person, or one said back with rising intonation, mirrors them.
        sent.act, sent.stem = "reflection", ""
    else:
        sent.act = "statement"


# --- fine codes ------------------------------------------------------------------------------

_ROLE = (
    r"nurse|doctor|gp|physio\w*|pharmacist|consultant|surgeon|registrar|practitioner|worker|"
    r"coach|counsell?or|therapist|specialist|midwife|urologist|dietitian|student|clinician|"
    r"health visitor|paramedic|advisor|adviser|navigator|link worker|care coordinator|psycholog\w+"
)

# Each code: (pattern, strong?). Weak cues lower the turn's confidence.
_PATTERNS: dict[str, list[tuple[Pattern[str], bool]]] = {
    "introduction": [
        (_rx(r"my name(?:'s| is) (?:dr\.? |doctor |nurse )?\w+"), True),
        (
            re.compile(
                r"\bI(?:'m| am) (?:Dr\.? |Doctor |Nurse )?(?-i:[A-Z])[a-z]+,?\s+"
                r"(?:and I(?:'m| am) )?(?:one of the|a|an|the|your)\b",
                _I,
            ),
            True,
        ),
        (
            _rx(
                rf"I(?:'m| am)(?: one of the| the| a| an| your)(?: \w+){{0,3}} (?:{_ROLE})s?\b",
                r"I(?:'ll| will) be (?:your|the) (?:\w+ ){0,2}(?:nurse|doctor|"
                r"practitioner|specialist|clinician)",
            ),
            True,
        ),
        (
            re.compile(
                r"^\W*(?:hi|hello|hey|good (?:morning|afternoon|evening))\b[\s,!.]*(?:there[\s,!.]*)?"
                r"(?:I(?:'m| am)|it's) (?-i:[A-Z])[a-z]+\b",
                _I,
            ),
            True,
        ),
        (
            _rx(
                r"the (?:reason|purpose) (?:for|of) (?:our|this|today's|the) "
                r"(?:chat|appointment|meeting|conversation|consultation|visit|call)",
                r"I(?:'ve| have) been asked to (?:see|speak (?:to|with)|talk (?:to|with)) you",
            ),
            False,
        ),
    ],
    "agenda_setting": [
        (
            _rx(
                r"we(?:'ve| have)? (?:got |have )?(?:about |around |roughly |up to )?"
                r"(?:\d+|five|ten|fifteen|twenty|thirty|forty|half an hour|an hour)\s*"
                r"(?:minutes?|mins?|hours?)?(?: or so)?(?: (?:today|together|for this))",
                r"(?:how much|how long|the) time (?:we have|we've got|there is|available)",
                r"what (?:would|do) you (?:like|want|hope) to (?:talk about|cover|discuss|focus on|"
                r"get out of|achieve) (?:today|in this|from this|in our)",
                r"what (?:should|shall|do) we (?:talk about|cover|focus on|start with)",
                r"(?:agree|decide|plan) (?:together )?(?:what|how) (?:we|to) "
                r"(?:talk about|cover|focus on|use)",
                r"(?:is there|are there) (?:anything|things) (?:in particular |specific(?:ally)? )?"
                r"(?:you(?:'d| would) like|you want) (?:to|us to) (?:talk about|cover|discuss|"
                r"focus on) today",
                r"(?:a few|some|two|three|a couple of) things (?:I(?:'d| would) like|I want|"
                r"we need) to (?:cover|talk about|go through|discuss) today",
                r"(?:our|today's|the) agenda",
            ),
            True,
        ),
    ],
    "screening": [
        (
            _rx(
                r"anything else",
                r"something else",
                r"what else",
                r"any(?: other|thing more) (?:concerns?|worries|questions?|things?|issues?)",
                r"(?:is there|are there) (?:any )?(?:other|more) (?:things?|concerns?|"
                r"questions?|worries|issues?)",
            ),
            True,
        ),
    ],
    "empathy": [
        (
            _rx(
                r"(?:that|this|it) (?:sounds|must be|must have been|seems|has been|is|was|"
                r"sounds like it (?:was|is|has been))(?: really| so| very| quite| a bit| pretty)? "
                r"(?:hard|difficult|tough|frightening|scary|upsetting|worrying|a lot to|"
                r"a challenge|challenging|stressful|overwhelming|exhausting|frustrating|awful|"
                r"painful|distressing|a worry|a shock|horrible|lonely|rough)",
                r"I can (?:see|imagine|understand|hear|appreciate|tell) (?:how|that|why|"
                r"it's|this|it|you)",
                r"I(?:'m| am) (?:so |really |very )?sorry (?:to hear|that|you|about)",
                rf"you(?:'re| are)? (?:seem|sound|look|feel|feeling|must (?:feel|be)|"
                rf"must be feeling|'ve been feeling|have been feeling|are feeling|'re feeling)"
                rf"(?: really| quite| a bit| a little| so| very| pretty| rather)? (?:{_FEELING})",
                rf"you(?:'re| are) (?:really |quite |a bit |a little |so |very |pretty )?"
                r"(?:worried|anxious|scared|frightened|afraid|upset|frustrated|angry|sad|"
                r"overwhelmed|stressed|embarrassed|nervous|fed up|torn|concerned)",
                r"(?:it's|it is|that's|that is) (?:completely |perfectly |very |really )?"
                r"understandable",
                r"understandably",
                r"no wonder you(?:'re| are| feel)",
            ),
            True,
        ),
    ],
    "affirmation": [
        (
            _rx(
                r"you(?:'ve| have) (?:already |clearly |really |obviously )?(?:done|worked|"
                r"managed|made|put|achieved|thought)(?: so)? (?:a lot|so much|really|really well|"
                r"well|great|hard|brilliantly|a great job|real progress|huge|an effort|"
                r"a big effort|a lot of)",
                r"that (?:shows|took|takes) (?:great |real |a lot of |such |some )?"
                r"(?:determination|commitment|strength|courage|guts|effort|resilience|insight|"
                r"initiative)",
                r"(?:it's|it is|that's|that is) (?:really |so )?(?:great|brilliant|fantastic|"
                r"wonderful|excellent|impressive) (?:that you|you)",
                r"well done",
                r"good for you",
                r"(?:that's|that is|what) (?:a |an )?(?:really |very |so )?(?:impressive|"
                r"great achievement|big step|huge step|real achievement)",
                r"you(?:'re| are) (?:clearly |obviously |really |very )?(?:determined|committed|"
                r"resourceful|resilient|motivated|strong|brave|organised|organized|"
                r"thoughtful|doing (?:really |so )?well|doing a (?:great|good|fantastic) job)",
                r"you did (?:really |so )?(?:well|a great job|brilliantly)",
                r"I (?:really )?(?:appreciate|admire|respect) (?:you|your|that you|how you)",
                r"thank you for (?:sharing|being (?:so )?(?:open|honest)|telling me)",
            ),
            True,
        ),
    ],
    "normalisation": [
        (
            _rx(
                r"(?:lots of|many|most|a lot of|plenty of|some|other) (?:other )?(?:people|men|"
                r"women|patients|folks|others|families|carers)(?: (?:in your|in a similar) "
                r"(?:position|situation|shoes))?(?: I(?:'ve| have)? (?:seen|supported|met|"
                r"worked with|spoken (?:to|with)))? (?:feel|find|say|tell me|worry|have had|"
                r"have|experience|struggle|ask|are|get|go through|notice|describe|had)",
                r"(?:that's|that is|it's|it is|this is|those are|these are) (?:a )?"
                r"(?:completely |perfectly |very |really |quite |entirely |so )?"
                r"(?:normal|common|natural|usual|a common \w+|a very common \w+)",
                r"you(?:'re| are) (?:definitely |certainly |really )?not (?:the only one|alone)",
                r"(?:a |very )?common (?:concern|worry|question|feeling|reaction|experience)",
                r"other people I(?:'ve| have) (?:supported|seen|worked with|spoken to|met)",
            ),
            True,
        ),
    ],
    "summary": [
        (
            _rx(
                r"(?:let me|can I|could I|I'll|I will|I'd like to|I want to|just to|I'll just|"
                r"I'm going to|let's) (?:try (?:and|to) |just |quickly )?(?:sum(?:mari[sz]e)?|"
                r"recap|pull (?:together|that together|all that together)|go (?:back )?over "
                r"what (?:we|you)|bring (?:together|all that))",
                r"to sum(?:mari[sz]e)?(?: up)?",
                r"in summary",
                r"so far (?:we(?:'ve| have)|you(?:'ve| have)) (?:talked|discussed|said|covered|"
                r"mentioned|told me)",
                r"(?:you(?:'ve| have)) (?:told|mentioned to) me (?:about )?(?:a few|several|"
                r"a number of|some|lots of|two|three) (?:things|reasons|concerns)",
                r"(?:what|all) (?:I(?:'ve| have)) heard (?:so far|you say|today)",
                r"(?:so )?(?:we(?:'ve| have)) (?:talked|discussed|covered) (?:about )?"
                r"(?:a lot|quite a bit|a few things|several things)",
            ),
            True,
        ),
    ],
    "clarification": [
        (
            _rx(
                r"(?:do|did) you mean",
                r"what do you mean(?: by)?",
                r"(?:when|where) you say",
                r"are you saying",
                r"is that (?:right|correct)\?",
                r"(?:have|did) I (?:got|get|understood|understand) (?:that|this|you|it) "
                r"(?:right|correctly)",
                r"just to (?:check|clarify|confirm|be clear|make sure I(?:'ve)? (?:understand|"
                r"understood|got|heard))",
                r"(?:can|could) you (?:clarify|explain what you mean|say (?:a bit )?more about "
                r"what you mean)",
                r"if I(?:'ve)? (?:understand|understood|heard) (?:you )?(?:correctly|right)",
                r"let me (?:check|make sure) (?:that )?I(?:'ve)? (?:understand|understood|have|"
                r"got|heard)",
                r"correct me if I(?:'m| am) wrong",
                r"so you mean",
            ),
            True,
        ),
    ],
    "signposting": [
        (
            _rx(
                r"(?:first(?:ly)?|to start(?: with| off)?|next|now|then),? I(?:'d| would) like "
                r"to (?:talk|explain|go through|ask|tell you|share|look|run through|cover)",
                r"I(?:'m| am) (?:going|about) to (?:talk|explain|go through|tell you|start|ask "
                r"you|share|run through|describe|outline|cover|move on)",
                r"I(?:'ll| will) (?:start by|go through|explain|talk (?:you )?through|come back "
                r"to|run through|outline|then|first)",
                r"let's (?:move on|turn to|come back to|start (?:with|by)|go through|talk "
                r"about|look at|think about)",
                r"moving on",
                r"before we (?:go on|move on|finish|talk about|look at|decide|go any further)",
                r"(?:there are|I have|I've got) (?:a few|a couple of|some|two|three|\d+) "
                r"(?:things|questions|points) I(?:'d| would) like to",
                r"(?:put|get) you in touch with",
                r"(?:refer|referral|signpost) (?:you|to)",
            ),
            True,
        ),
        (
            _rx(
                r"leaflets?",
                r"websites?",
                r"helplines?",
                r"support (?:groups?|services?|organisations?|organizations?)",
                r"(?:local|community|peer|patient) (?:groups?|support|services?)",
                r"decision aids?",
                r"booklets?",
                r"information sheets?",
                r"link workers?",
                r"social prescri\w+",
                r"Macmillan",
                r"Prostate Cancer UK",
                r"NHS website",
                r"charit(?:y|ies)",
            ),
            False,
        ),
    ],
    "ask_permission": [
        (
            _rx(
                r"(?:would|will|is|would it|is it) (?:it |that )?be (?:ok|okay|alright|all right)"
                r" (?:if|for me to|with you if)",
                r"(?:is it|would it be|is that|would that be) (?:ok|okay|alright|all right|fine)"
                r" (?:if|to|for me to|with you if)",
                r"(?:can|could|may|might) I (?:just )?(?:share|tell you|give you|offer|suggest|"
                r"explain|mention|make a suggestion|run through|go through|talk (?:to you )?about|"
                r"add|show you)",
                r"do you mind if (?:I|we)",
                r"(?:would|do) you (?:like|want) (?:me to (?:tell|explain|share|go through|give|"
                r"talk|describe|run)|some (?:information|more information|ideas|suggestions)|"
                r"(?:to )?(?:hear|know) (?:more|about|some|what|how))",
                r"(?:would|do) you (?:like|want) (?:more |some )?(?:information|details)",
                r"how (?:would you like|do you (?:like|prefer)|can I best|should I) (?:me to )?"
                r"(?:share|receive|get|have|to receive|to get|give you) (?:the |this |some )?"
                r"information",
                r"how can I best share",
                r"what do you (?:already )?know about",
                r"what have you (?:already )?(?:heard|read|been told|found out|looked up) about",
                r"what (?:would|do) you (?:like|want) to know",
                r"how much (?:information|detail) (?:would you like|do you want)",
                r"(?:is that|would that be) something you(?:'d| would) (?:like|be interested)",
            ),
            True,
        ),
    ],
    "giving_information": [
        (
            _rx(
                r"(?:research|studies|evidence|the evidence|guidelines|guidance|data|"
                r"the figures|the numbers|trials) (?:shows?|suggests?|says?|tells? us|found)",
                r"(?:about|around|roughly|approximately|up to|fewer than|more than|over|less "
                r"than|nearly|almost) (?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
                r" (?:in|out of) (?:\d+|ten|a hundred|every \w+)",
                r"\d+(?:\.\d+)? ?(?:%|percent|per cent)",
                r"what (?:this|that|it) means is",
                r"(?:the|this) (?:operation|procedure|test|treatment|scan|medication|medicine|"
                r"tablet|surgery|drug|therapy) (?:involves|is|takes|works|means|usually|can|"
                r"will|helps|reduces|lasts)",
                r"(?:recovery|it) (?:usually |normally |typically )?takes (?:about |around )?"
                r"(?:\d+|a few|several|one|two|three)",
                r"(?:usually|typically|normally|generally|commonly|on average),? (?:people|"
                r"patients|men|women|it|this|the|most)",
                r"(?:we|doctors|they) (?:usually|normally|generally|often|typically) "
                r"(?:recommend|offer|do|suggest|find|see)",
                r"(?:is|are) (?:caused|used|given|done|carried out|measured|called) (?:by|to|"
                r"for|as|under|in|with)",
                r"(?:it's|it is|this is|that's) (?:called|known as)",
                r"(?:the (?:results?|test|scan|biopsy) (?:shows?|showed|came back))",
            ),
            True,
        ),
    ],
    "advice": [
        (
            _rx(
                r"I(?:'d| would) (?:strongly )?(?:recommend|suggest|advise|encourage)",
                r"I (?:recommend|suggest|advise)",
                r"my (?:advice|recommendation|suggestion) (?:would be|is)",
                r"I think (?:you should|it would be (?:best|good|wise|a good idea|sensible)|"
                r"the best (?:option|thing|choice)|you(?:'d| would) (?:be better|benefit))",
                r"if I were you",
                r"in your (?:shoes|position),? I",
                r"you (?:might|may|could) (?:want to|like to|consider|try|think about)",
                r"(?:why don't you|why not) (?:try|consider|think about|go|start)",
                r"it(?:'s| is| would be| might be) (?:best|a good idea|advisable|worth|sensible)"
                r" (?:to|if you|considering|trying|thinking)",
                r"have you (?:thought about|considered) (?:trying|taking|having|starting|going)",
                r"(?:the best thing|what I(?:'d| would) do) (?:would be|is) to",
                r"you (?:really )?(?:should|ought to|must|need to|have to|'ve got to|have got "
                r"to)(?! (?:decide|choose))",
                r"try (?:to|and) (?:cut|drink|eat|avoid|reduce|keep|take|get|stop|limit)",
            ),
            True,
        ),
    ],
    "chunk_check": [
        (
            _rx(
                r"(?:does|did|do) (?:that|this|it|all that|all of that|everything)(?: all)? "
                r"make sense",
                r"(?:do you have |have you got |are there )?any questions(?: (?:so far|about "
                r"(?:that|this|what I've said)|before (?:we|I) (?:go on|move on|carry on)))?",
                r"is (?:that|this|it|everything|all that) (?:clear|ok so far|okay so far|"
                r"alright so far)",
                r"(?:are you|is that|are we) (?:still )?(?:following|with me)",
                r"(?:how|what) (?:are you|do you) (?:doing|feel|feeling|think) (?:with|about) "
                r"(?:that|this|all that|all this|what I(?:'ve| have) (?:said|told you)) so far",
                r"how does that sound",
                r"(?:is there )?anything (?:you(?:'d| would) like me to|I (?:can|could|should))"
                r" (?:explain|go over|clarify|repeat)",
                r"shall I (?:go on|carry on|continue|stop there|slow down)",
                r"(?:would you like|do you want) me to (?:go over|explain) (?:any|that|this|it)"
                r"(?:thing)? (?:again|more)",
                r"is (?:that|this) (?:too much|a lot)(?: (?:of )?information)?",
                r"(?:how|what) are you (?:making|finding) of (?:that|this|all this|all that)",
            ),
            True,
        ),
    ],
    "teach_back": [
        (
            _rx(
                r"(?:in|using) your own words",
                r"(?:to|just to|so (?:that )?I(?:'m| am)?) (?:make sure|be sure|check|know) "
                r"(?:that )?I(?:'ve| have)? (?:explained|been clear|made (?:that|this|it|"
                r"things) clear|said it|got it across)",
                r"so I (?:know|can check) I(?:'ve| have)? explained",
                r"what (?:will|would|are) you (?:going to )?(?:tell|say to|explain to) "
                r"(?:your|the) \w+",
                r"(?:can|could|would) you (?:tell|explain|run|talk|say|go through) "
                r"(?:it |that |this |them |those )?(?:back to me|back)",
                r"(?:explain|repeat|say) (?:it|that|this|them|those) back",
                r"what have you found most (?:important|useful)",
                r"(?:how|what) (?:will|would) you (?:explain|describe) (?:this|it|that|the \w+)"
                r" to",
                r"tell me (?:back )?what you(?:'ll| will| are going to) do (?:when|if|after|"
                r"at home|next)",
            ),
            True,
        ),
    ],
    "option_talk": [
        (
            _rx(
                r"(?:there are|we have|you have|you've got|there's|we've got) (?:a few|several|"
                r"some|two|three|four|a number of|\d+|different|a couple of|other|a range of|"
                r"various|a choice of)(?: \w+)? (?:options|choices|ways|approaches|treatments|"
                r"possibilities|alternatives|things (?:we|you) (?:could|can) do)",
                r"(?:there is|there's|you have|it's|this is) (?:a |an )?(?:choice|decision|"
                r"real choice|open choice)(?: to (?:be )?made| here| for you| between)?",
                r"(?:one|another|the other|the first|the second|the third|a second|a third|"
                r"a further) (?:option|choice|possibility|approach|treatment|route)",
                r"the (?:options|choices) (?:are|include|would be|we have)",
                r"(?:you|we) (?:could|can|might) (?:either|choose|decide|opt)",
                r"either\b.{1,80}\bor\b",
                r"(?:both|all|these|those|each of the) (?:options|choices|approaches)",
                r"which (?:option|one|of these|of those|treatment|approach)",
            ),
            True,
        ),
    ],
    "benefits": [
        (
            _rx(
                r"(?:benefits?|advantages?|upsides?|pros|plus sides?|positives?|gains?)\b",
                r"(?:improves?|improvement|relie(?:f|ves?)|eases?|helps? (?:with|to|your)|"
                r"works? well|effective|success rate|chance of (?:it working|improvement|"
                r"success|getting better))",
                r"(?:good|better|faster|quick(?:er)?) (?:results?|outcomes?|recovery|control|"
                r"flow)",
            ),
            True,
        ),
    ],
    "risks": [
        (
            _rx(
                r"risks?\b",
                r"side[- ]effects?",
                r"complications?",
                r"downsides?",
                r"disadvantages?",
                r"drawbacks?",
                r"cons\b",
                r"(?:could|can|may|might) (?:cause|lead to|result in|affect|damage)",
                r"danger(?:s|ous)?",
                r"harms?\b",
                r"(?:leaking|incontinence|erectile (?:dysfunction|problems)|impotence|bleeding|"
                r"infection|retrograde ejaculation|dizziness)",
            ),
            True,
        ),
    ],
    "alternatives": [
        (
            _rx(
                r"alternatives?\b",
                r"instead",
                r"another (?:option|way|approach|treatment|possibility|route)",
                r"other (?:options|treatments|approaches|ways|possibilities|choices)",
                r"or (?:else )?you could",
                r"rather than",
                r"as opposed to",
            ),
            True,
        ),
    ],
    "do_nothing": [
        (
            _rx(
                r"watch(?:ful)? and wait",
                r"watchful waiting",
                r"active (?:monitoring|surveillance)",
                r"(?:do|doing|did) nothing",
                r"not (?:having|to have|have) (?:any )?(?:treatment|the operation|surgery)",
                r"no treatment",
                r"without (?:any )?treatment",
                r"leave (?:it|things) (?:for now|as (?:it is|they are)|alone)",
                r"(?:keep|keeping) an eye on (?:it|things)",
                r"wait and see",
                r"hold(?:ing)? off",
                r"(?:if|what if) (?:you|we) (?:don't|do not|didn't|did not) (?:do anything|"
                r"have (?:the|any) (?:treatment|operation|surgery)|treat)",
            ),
            True,
        ),
    ],
    "what_matters": [
        (
            _rx(
                r"what matters (?:most )?to you",
                r"what(?:'s| is) (?:most |really |the most )?important (?:to|for) you",
                r"what (?:are|is) (?:the )?most important (?:thing|things)?(?: (?:to|for) you)?",
                r"what would you (?:love|like) to be able to do",
                r"what (?:are|would be) your (?:priorit\w+|preferences?|values?)",
                r"what (?:do|would) you (?:prefer|value)",
                r"what (?:are you|were you) hoping (?:for|to)",
                r"what would (?:be )?(?:a good|the best|the ideal) (?:outcome|result)",
                r"what (?:do|would) you (?:think|feel) about (?:those|these|the|each|both) "
                r"(?:options|choices)",
                r"how do you feel about (?:the|those|these|each|both) (?:options|choices|risks)",
                r"which (?:option|one|of these|of those)(?: \w+)? (?:appeals|matters|feels|"
                r"seems|sounds|suits)",
                r"what(?:'s| is| are) your (?:biggest|main|greatest) (?:concerns?|worr(?:y|ies)|"
                r"priorit\w+)",
                r"what worries you (?:most|the most)",
            ),
            True,
        ),
    ],
    "strengths": [
        (
            _rx(
                r"what (?:has|'s|have) (?:worked|helped)(?: well)?(?: for you)?(?: before| in "
                r"the past| so far)?",
                r"what ideas do you have",
                r"what (?:are|would you say are) your (?:strengths|skills)",
                r"what are you (?:good at|already doing)",
                r"what are you doing that you find helpful",
                r"how (?:have|did) you (?:managed?|coped?|cope|got through|get through|dealt "
                r"with|deal with)",
                r"who (?:supports|helps) you",
                r"what would you love to do",
                r"if you could do anything",
                r"what(?:'s| is| has) (?:going|gone|been going) well",
                r"what (?:do|would) you (?:already )?(?:think|reckon) (?:would|will|might) "
                r"(?:work|help)",
            ),
            True,
        ),
    ],
    "involvement": [
        (
            _rx(
                r"how do you (?:like|prefer|want|usually) (?:to )?(?:make|go about making|"
                r"take) (?:decisions|a decision|choices)",
                r"how (?:would|do) you (?:like|want) to (?:make|go about|reach) (?:this|the|a)? ?"
                r"(?:decision|choice)",
                r"who (?:else )?(?:would you like|do you want|would you want|should we|might "
                r"you want|else) (?:to )?(?:be )?(?:involved|involve|with you|to talk (?:to|"
                r"with)|help you decide|to be (?:here|there))",
                r"(?:would you like|do you want) (?:to bring|to involve|someone|anyone|your \w+)"
                r" (?:with you|along|involved|to be (?:involved|here|there))",
                r"how (?:much|involved) (?:would you like|do you want) to be",
                r"(?:make|making|take|taking|reach|reaching) (?:the|this|a) decision together",
                r"(?:decide|work (?:this|it) out|make (?:a|the|this) decision) together",
                r"(?:it's|it is) (?:your|entirely your|completely your) (?:decision|choice|call)",
                r"(?:the|this) (?:decision|choice) is (?:yours|up to you|entirely yours)",
                r"(?:it's|it is|that's) (?:entirely |completely |totally )?up to you",
                r"talk (?:it|this|things) (?:over|through) with (?:your|someone|anyone|family)",
                r"discuss (?:it|this) with your",
            ),
            True,
        ),
    ],
    "goal_setting": [
        (
            _rx(
                r"what (?:will|would|could|might) you (?:do|try|start with|change) (?:first|"
                r"next|tomorrow|this week|today|between now)",
                r"when (?:will|would|could) you (?:start|begin|try)",
                r"what(?:'s| is| would be) (?:your|the) (?:first|next) steps?",
                r"what (?:would|does|will) good look like",
                r"how will you know (?:if|when|that) you(?:'ve| have)?",
                r"what (?:are|would be) your goals?",
                r"(?:let's|shall we|can we|could we) (?:set|agree|make|write down|plan) "
                r"(?:on )?(?:a |some |your )?(?:goals?|plan|action plan|targets?|next steps?)",
                r"(?:your|a|an|the|our) (?:goal|action plan|target) (?:is|will be|for|could be)",
                r"what would you like to (?:achieve|aim for|work towards|work on)",
                r"what do you want to (?:achieve|work on|aim for)",
                r"(?:a |the )?review (?:date|appointment)",
                r"(?:next|first) steps?",
            ),
            True,
        ),
    ],
    "persuade": [
        (
            _rx(
                r"you (?:really |absolutely |definitely )?(?:should|must|need to|have to|ought "
                r"to|'ve got to|have got to)(?! (?:decide|choose))",
                r"you(?:'d| had) better",
                r"I(?:'m| am) (?:telling|warning) you",
                r"if you don't (?:\w+ ){0,5}(?:you'll|you will|it will|it'll|you could|you "
                r"might|things will|you may)",
                r"(?:it's|it is) (?:really |very |absolutely )?(?:important|essential|vital|"
                r"crucial) (?:that you|for you to)",
                r"trust me",
                r"believe me",
                r"(?:the sensible|the right|the only|the obvious) (?:thing|choice|option|"
                r"decision) (?:is|would be|to)",
                r"I (?:strongly )?(?:urge|insist)",
                r"there(?:'s| is) no (?:point|reason) (?:in )?(?:waiting|worrying|delaying)",
                r"(?:otherwise|or else) (?:you|it)(?:'ll| will| could| might)",
                r"you(?:'ll| will) (?:end up|regret|be sorry)",
            ),
            True,
        ),
    ],
    "judgement": [
        (
            _rx(
                r"calm down",
                r"you(?:'re| are) being (?:\w+ )?(?:silly|ridiculous|difficult|unreasonable|"
                r"stubborn|irrational|dramatic|naive|naïve|irresponsible|paranoid|over\w+|"
                r"childish|lazy|foolish)",
                r"you(?:'re| are) being",
                r"(?:that's|that is|it's|it is) (?:just |a bit |really |quite |rather )?"
                r"(?:silly|ridiculous|irresponsible|stupid|foolish|nonsense|unreasonable|daft|"
                r"lazy)",
                r"(?:it's|it is|that's|that is) (?:all )?your (?:own )?fault",
                r"you (?:only )?have (?:only )?yourself to blame",
                r"you (?:should|shouldn't|should not) have",
                r"why (?:didn't|haven't|hadn't|don't|did|won't) you (?:just )?(?:come|listen|"
                r"stop|take|do|tell|go|see|try)",
                r"you(?:'re| are) (?:overreacting|exaggerating|making a fuss)",
                r"what were you thinking",
                r"you can't (?:just )?keep",
                r"you (?:never|always) (?:listen|do|take|come|follow)",
                r"I(?:'m| am) (?:disappointed|surprised) (?:in|with|that) you",
            ),
            True,
        ),
    ],
}

_JARGON_WORDS = re.compile(
    r"\b(?:prostatectomy|prostatectomies|urodynamics?|catheteri[sz]ation|catheteri[sz]e|"
    r"alpha[- ]?blockers?|alpha[- ]?adrenergic|5[- ]alpha[- ]reductase(?: inhibitors?)?|"
    r"titrat(?:e|ed|es|ing|ion)|comorbidit(?:y|ies)|co-morbidit(?:y|ies)|prognosis|prognoses|"
    r"palliative|metasta(?:tic|sis|ses|sised|sized)|benign prostatic (?:hyperplasia|"
    r"hypertrophy|enlargement)|transurethral|cystoscopy|cystoscopies|uroflow(?:metry)?|"
    r"post[- ]void residual|bladder outlet obstruction|haematuria|hematuria|nocturia|dysuria|"
    r"Gleason(?: score)?|brachytherapy|adjuvant|neoadjuvant|prophyla(?:xis|ctic)|"
    r"contraindicat\w+|idiopathic|aetiology|etiology|sequelae|polypharmacy|analgesi[ac]|"
    r"myocardial infarction|hyperglycaemia|hypoglycaemia|malignan(?:t|cy)|neoplasm|"
    r"oncolog\w+|retrograde ejaculation|antimuscarinics?|anticholinergics?|"
    r"phosphodiesterase|morbidity|mortality|asymptomatic|bilateral|contralateral|"
    r"efficacy|sensitivity and specificity|false positives?|false negatives?|"
    r"absolute risk|relative risk|number needed to treat|hypertension|dyslipidaemia|"
    r"mg/dl|mmol)\b",
    _I,
)
# Acronyms are matched case-sensitively so that ordinary words are left alone.
_JARGON_ACRONYMS = re.compile(
    r"\b(?:TURP|TUIP|HoLEP|BPH|BPE|PSA|LUTS|IPSS|HbA1c|eGFR|COPD|NSAIDs?|DNACPR|DNAR|5-ARIs?|"
    r"PDE5i?|MRI|CT|TRUS|MI|CKD|AKI|UTI|QoL|NNT|RCTs?|ACE inhibitors?|ARBs?|SGLT2i?|GLP-1|"
    r"OAB|PVR|DRE)\b"
)
_NOT_DEFINITION = r"(?! (?:good |common |possible |real |other |better )?(?:option|choice|possibility|alternative))"
_EXPLAINED_AFTER = re.compile(
    r"\s*\(|\s*[-\u2013\u2014]{1,2}\s|\.\s+(?:that|this|it)(?:'s| is| means)\b"
    r"|,?\s+(?:[^,.;:?!()]{0,30}?\s)?(?:which|that|this|it) (?:means|stands for|refers to|"
    rf"is (?:a|an|when|where|the)\b{_NOT_DEFINITION}|are\b)"
    r"|,?\s+(?:[^,.;:?!()]{0,30}?\s)?(?:meaning|that is,|i\.e\.|in other words|basically|"
    r"simply put|in plain (?:english|terms|language)|or in plain|means|what (?:that|this) means)"
    rf"|\s+(?:is|are) (?:a|an|the|when|where|what)\b{_NOT_DEFINITION}"
    r"|,\s+(?:a|an|the) (?:\w+ ){0,3}(?:test|operation|blood|tablet|medicine|gland|condition|"
    r"procedure|treatment|scan|drug|camera|tube|measure|score)s?\b",
    _I,
)
_EXPLAINED_BEFORE = re.compile(
    r"(?:\bcalled|\bknown as|\bthe (?:medical|technical|proper) (?:name|term|word)"
    r"(?: for (?:this|that|it))? is|\bwe call (?:this|that|it))\s*[\"']?$",
    _I,
)

_STOP = frozenset(
    """a an the and or but so if of to in on at for with from by as is are was were be been
    being am do does did have has had having i i'm i've i'd me my you you're you've you'd your
    yours we our us he she they them their it it's its this that these those there here what
    how why when where who which not no yes yeah okay ok um uh mm like just really very quite
    kind sort bit little lot about can could would will should shall may might must get got
    sounds sound seems seem feel feeling feels so then also too well right now still more
    much some any all one thing things say said saying mean know think""".split()
)


def _content_words(text: str) -> set[str]:
    words = (w.lower() for w in _WORD.findall(text))
    return {_stem(w) for w in words if w not in _STOP and len(w) > 2}


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


# --- the coder -------------------------------------------------------------------------------


@dataclass
class _Found:
    """Codes found in a turn, with evidence and whether a weak cue gave them."""

    evidence: dict[str, str] = field(default_factory=dict)
    weak: set[str] = field(default_factory=set)

    def add(self, code: str, words: str, *, strong: bool = True) -> None:
        if code in self.evidence:
            if strong:
                self.weak.discard(code)
            return
        self.evidence[code] = words.strip()
        if not strong:
            self.weak.add(code)

    def drop(self, code: str) -> None:
        self.evidence.pop(code, None)
        self.weak.discard(code)


def _match_patterns(norm: str, original: str, found: _Found) -> None:
    for code, patterns in _PATTERNS.items():
        for pattern, strong in patterns:
            m = pattern.search(norm)
            if m:
                found.add(code, original[m.start() : m.end()], strong=strong)
                if strong:
                    break


def _mark_input(sentences: list[_Sentence], norm: str, found: _Found) -> None:
    """Statements, and reflections without a stem, that carry information or advice."""
    spans: list[int] = []
    for code in INPUT_CODES & found.evidence.keys():
        for pattern, strong in _PATTERNS[code]:
            if strong:
                spans.extend(m.start() for m in pattern.finditer(norm))
    if not spans:
        return
    for sent in sentences:
        if sent.act == "statement" or (sent.act == "reflection" and not sent.complex_stem):
            end = sent.start + len(sent.text)
            if any(sent.start <= pos < end for pos in spans):
                sent.act = "input"


def _jargon(norm: str, original: str, prev_norm: str) -> list[str]:
    """Unexplained technical terms, in order of appearance."""
    terms: list[tuple[int, str]] = []
    prev_lower = prev_norm.lower()
    for pattern in (_JARGON_WORDS, _JARGON_ACRONYMS):
        for m in pattern.finditer(norm):
            word = original[m.start() : m.end()]
            if word.lower() in prev_lower:
                continue  # the person used the term first
            if _EXPLAINED_AFTER.match(norm, m.end()) or _EXPLAINED_BEFORE.search(
                norm, max(0, m.start() - 50), m.start()
            ):
                continue
            if word not in (t for _, t in terms):
                terms.append((m.start(), word))
    return [t for _, t in sorted(terms)]


def _reflection_type(sentences: list[_Sentence], prev_norm: str) -> str:
    refl = [s for s in sentences if s.act == "reflection"]
    text = " ".join(s.text for s in refl)
    prev_lower = prev_norm.lower()
    new_feelings = [
        m.group(0) for m in _FEELING_RE.finditer(text) if m.group(0).lower() not in prev_lower
    ]
    if any(s.complex_stem for s in refl) or new_feelings:
        return "complex"
    if re.search(r"\b(?:as if|as though|like a|like an)\b", text, _I):
        return "complex"  # a metaphor or simile adds meaning
    if not prev_norm.strip():
        return "simple"
    words = _content_words(text)
    if not words:
        return "simple"
    overlap = len(words & _content_words(prev_norm)) / len(words)
    return "simple" if overlap >= 0.4 else "complex"


def _main_act(sentences: list[_Sentence], found: _Found) -> tuple[Behaviour, float]:
    """The turn's main act and how sure the rules are of it."""
    words = {"question": 0, "reflection": 0, "input": 0, "statement": 0, "other": 0}
    for sent in sentences:
        words[sent.act] += sent.words
    questions = [s for s in sentences if s.act == "question"]
    reflections = [s for s in sentences if s.act == "reflection"]
    if questions:
        trailer_only = all(_is_trailer(q, found) for q in questions)
        if trailer_only and words["input"] > words["question"]:
            return Behaviour.THERAPIST_INPUT, 0.7
        return Behaviour.QUESTION, 0.9 if questions[-1] is sentences[-1] else 0.75
    if reflections and words["reflection"] >= words["input"]:
        strong = any(r.stem for r in reflections)
        return Behaviour.REFLECTION, 0.85 if strong else 0.6
    if words["input"]:
        return Behaviour.THERAPIST_INPUT, 0.8 if words["input"] > words["reflection"] else 0.6
    if words["statement"] >= 8 and not _social_only(found):
        return Behaviour.THERAPIST_INPUT, 0.5
    return Behaviour.OTHER, 0.9 if not words["statement"] else 0.6


def _is_trailer(question: _Sentence, found: _Found) -> bool:
    low = question.text.lower()
    return any(found.evidence.get(code, "\0").lower() in low for code in _TRAILER_CODES)


def _social_only(found: _Found) -> bool:
    social = {"introduction", "affirmation", "empathy", "signposting", "agenda_setting"}
    return bool(found.evidence) and set(found.evidence) <= social


def _ordered(found: _Found) -> tuple[list[str], dict[str, str]]:
    codes = sorted(found.evidence, key=_RANK.__getitem__)
    return codes, {c: found.evidence[c] for c in codes}


class RuleCoder:
    """Codes a practitioner turn with regex rules; deterministic and fast."""

    method = "rules"

    def code(self, text: str, prev_text: str = "") -> TurnCoding:
        norm = (text or "").translate(_NORMALISE)
        prev_norm = (prev_text or "").translate(_NORMALISE)
        if not norm.strip():
            return TurnCoding(behaviour=Behaviour.OTHER, confidence=1.0, method=self.method)
        sentences = _split(norm)
        for sent in sentences:
            _act(sent)
        found = _Found()
        _match_patterns(norm, text, found)
        _mark_input(sentences, norm, found)
        self._add_acts(sentences, text, found)
        terms = _jargon(norm, text, prev_norm)
        if terms:
            found.add("jargon", ", ".join(terms))
        self._resolve(sentences, norm, text, found)
        behaviour, sure = _main_act(sentences, found)
        qtype = _main_question_type(sentences) if behaviour is Behaviour.QUESTION else ""
        rtype = (
            _reflection_type(sentences, prev_norm) if behaviour is Behaviour.REFLECTION else ""
        )
        if rtype:
            refl = next(s for s in sentences if s.act == "reflection")
            found.add(f"{rtype}_reflection", _quote(text, refl))
        codes, evidence = _ordered(found)
        if found.weak:
            sure *= 0.85
        return TurnCoding(
            behaviour=behaviour,
            question_type=qtype,
            reflection_type=rtype,
            codes=codes,
            evidence=evidence,
            confidence=round(max(0.05, min(1.0, sure)), 3),
            method=self.method,
        )

    @staticmethod
    def _add_acts(sentences: list[_Sentence], original: str, found: _Found) -> None:
        for sent in sentences:
            if sent.act == "question":
                found.add(f"{sent.qtype}_question", _quote(original, sent))

    @staticmethod
    def _resolve(sentences: list[_Sentence], norm: str, original: str, found: _Found) -> None:
        """Settle overlaps between codes that share words."""
        ev = found.evidence
        if "teach_back" in ev and "chunk_check" in ev:
            # "can you tell me in your own words... does that make sense" keeps both only when
            # the chunk check is its own words.
            if ev["chunk_check"].lower() in ev["teach_back"].lower():
                found.drop("chunk_check")
        if "chunk_check" in ev and "screening" in ev and "question" in ev["chunk_check"].lower():
            found.drop("screening") if "anything else" not in norm.lower() else None
        if "persuade" in ev and "advice" not in ev:
            found.add("advice", ev["persuade"])
        if "do_nothing" in ev and re.search(r"\b(?:option|choice|choose|could)\b", norm, _I):
            found.add("option_talk", ev["do_nothing"])
        informative = {"benefits", "risks", "alternatives", "do_nothing", "option_talk"}
        statement_text = " ".join(s.text for s in sentences if s.act == "input").lower()
        for code in (c for c in CODE_ORDER if c in informative and c in ev):
            if ev[code].lower() in statement_text and "giving_information" not in ev:
                found.add("giving_information", ev[code], strong=False)
        if "judgement" in ev and ev["judgement"].lower().startswith("you"):
            # "you're being" alone is weak; a named judgement word makes it strong.
            if re.fullmatch(r"you(?:'re| are) being", ev["judgement"], _I):
                found.weak.add("judgement")


def _main_question_type(sentences: list[_Sentence]) -> str:
    """The type of the main question: the last one asked, as it is the one answered."""
    questions = [s for s in sentences if s.act == "question"]
    return questions[-1].qtype if questions else ""


def _quote(original: str, sent: _Sentence) -> str:
    return original[sent.start : sent.start + len(sent.text)]
