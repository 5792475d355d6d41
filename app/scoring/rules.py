"""A small, fast, deterministic rule-based coder for practitioner turns (DESIGN.md section 5).

It works in three steps:

1. split the turn into sentences and give each one an act (question, reflection, input,
   statement or other) from its opening words and punctuation;
2. pick the turn's main act, AnnoMI style, from the sentence acts and the fine codes;
3. match the fine codes of the code book with regexes compiled at import, keeping the exact
   words that matched as evidence.

No model is needed. Each cue pattern carries the literal words it cannot match without, so most
patterns are skipped by a substring test and a turn is coded in well under a millisecond. A
trained classifier may replace step 2 later; the fine codes stay rule-based because AnnoMI does
not label them.
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

# Codes that make a sentence information or advice rather than a reflection or other talk.
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
# Content about options; stated, it is also information.
_OPTION_CONTENT = ("option_talk", "benefits", "risks", "alternatives", "do_nothing")
# Questions that only check in around information; they do not make an information turn a
# question.
_TRAILER_CODES = ("chunk_check", "ask_permission", "clarification")
# Codes that on their own make a statement social talk ("other"), not information.
_SOCIAL_CODES = frozenset(
    {
        "introduction",
        "agenda_setting",
        "affirmation",
        "empathy",
        "normalisation",
        "summary",
        "signposting",
        "screening",
        "clarification",
        "involvement",
    }
)

_I = re.IGNORECASE
# Curly quotes map one character to one character, so match spans in the normalised text are
# also spans in the original text and evidence is quoted exactly.
_NORMALISE = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


# --- words -----------------------------------------------------------------------------------

_FEELING = (
    r"worried|worry(?:ing)?|anxious|anxiety|scared|frightened|frightening|afraid|fearful|"
    r"upset(?:ting)?|frustrat\w*|angry|sad|overwhelm\w*|stressed|stressful|embarrass\w*|"
    r"ashamed|guilty|relieved|torn|hopeless|helpless|lonely|isolated|nervous|confused|"
    r"fed up|annoyed|disappointed|excited|hopeful|proud|exhausted|worn out|unsure|uneasy|"
    r"concerned|shocked|devastated|uncertain|trapped|apprehensive|reluctant|ambivalent|"
    r"conflicted|not sure|tired of|sick of|struggling|daunting|daunted|terrified|panick\w*"
)
_FEELING_RE = re.compile(rf"\b(?:{_FEELING})\b", _I)
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?", _I)
_SECOND_PERSON = re.compile(r"\byou(?:'re|'ve|'d|'ll|r|rs|rself)?\b", _I)
_FIRST_PERSON = re.compile(
    r"\b(?:i|i'm|i've|i'd|i'll|me|my|we|we're|we'll|we've|we'd|us|our)\b", _I
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


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _content_words(text: str) -> set[str]:
    words = (w.lower() for w in _WORD.findall(text))
    return {_stem(w) for w in words if w not in _STOP and len(w) > 2}


# --- sentences and their acts ----------------------------------------------------------------


@dataclass
class _Sentence:
    text: str  # normalised text
    start: int  # offset in the turn
    act: str = "other"  # question / reflection / input / statement / other
    qtype: str = ""  # open / closed, for a question
    stem: str = ""  # the reflection stem that matched, if any
    complex_stem: bool = False
    words: int = 0

    @property
    def end(self) -> int:
        return self.start + len(self.text)


_BOUNDARY = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)|\n+")
_ABBREVIATION = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Prof|vs|etc|e\.g|i\.e|approx|St)\.$", _I)


def _split(text: str) -> list[_Sentence]:
    """Sentences with their offsets; abbreviations such as "Dr." do not end one."""
    out: list[_Sentence] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.group(0)[0] == "." and _ABBREVIATION.search(text, max(0, m.start() - 5), m.end()):
            continue
        _add_sentence(out, text, start, m.end())
        start = m.end()
    _add_sentence(out, text, start, len(text))
    return out


def _add_sentence(out: list[_Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        out.append(_Sentence(text=stripped, start=start + chunk.index(stripped)))


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
_RESOURCE = re.compile(r"touch|refer", _I)
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


def _classify_question(body: str) -> tuple[str, bool]:
    """(open / closed / "", whether the words alone make it a question, without a "?")."""
    qtype = _question_type(body)
    if qtype:
        return qtype, _opens_as_question(body) or bool(_OPEN_IN_CLOSED_FORM.match(body))
    for clause in _CLAUSE_BREAK.split(body)[1:]:
        clause = _strip_lead(clause)
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


def _act(sent: _Sentence) -> None:
    """Set a sentence's act, question type and reflection stem."""
    raw = sent.text
    body = _strip_lead(raw)
    sent.words = len(_WORD.findall(raw))
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
    elif asks and not starts_with_so and not _SECOND_PERSON.search(body):
        sent.act, sent.qtype = "question", "closed"
    elif (asks or starts_with_so or _SECOND_PERSON.search(body)) and not (
        _FIRST_PERSON.search(body) or (not asks and _NOT_MIRRORING.search(body))
    ):
        # A statement about the person, or one said back with rising intonation, mirrors them.
        sent.act = "reflection"
    else:
        sent.act = "statement"


# --- cue table -------------------------------------------------------------------------------

_ROLE = (
    r"nurse|doctor|gp|physio\w*|pharmacist|consultant|surgeon|registrar|practitioner|worker|"
    r"coach|counsell?or|therapist|specialist|midwife|urologist|dietitian|student|clinician|"
    r"health visitor|paramedic|advisor|adviser|navigator|care coordinator|psychologist"
)
_EMPATHY_FEELING = _FEELING + r"|low|down|alone|hurt|stuck|cross|awful|terrible"

# "What do you think you should do?" asks for the person's view; it does not push one.
_NOT_ASKED = r"(?<!think )(?<!feel )(?<!believe )(?<!what )(?<!telling )(?<!told )"

# code -> regex alternatives (case-insensitive, word-bounded at the start). Keep each
# alternative free of a top-level "|" so that its required words can be read off it.
_CUES: dict[str, tuple[str, ...]] = {
    "introduction": (
        r"my name(?:'s| is) (?:dr\.? |doctor |nurse )?\w+",
        rf"I(?:'m| am)(?: one of the| the| a| an| your)(?: \w+){{0,3}} (?:{_ROLE})s?\b",
        r"I(?:'ll| will) be (?:your|the) (?:\w+ ){0,2}(?:nurse|doctor|practitioner|specialist|"
        r"clinician|coach)",
    ),
    "agenda_setting": (
        r"we(?:'ve| have)? (?:got |have )?(?:about |around |roughly |up to )?(?:\d+|five|ten|"
        r"fifteen|twenty|thirty|forty|half an hour|an hour)\s*(?:minutes?|mins?|hours?)?"
        r"(?: or so)? (?:today|together|for this)",
        r"(?:how much|how long|the) time (?:we have|we've got|there is|available)",
        r"what (?:would|do) you (?:like|want|hope) to (?:talk about|cover|discuss|focus on|"
        r"get out of|achieve) (?:today|in this|from this|in our)",
        r"what (?:should|shall|do) we (?:talk about|cover|focus on|start with)",
        r"(?:agree|decide|plan) (?:together )?(?:what|how) (?:we|to) (?:talk about|cover|"
        r"focus on|use)",
        r"(?:is there|are there) (?:anything|things) (?:in particular |specific(?:ally)? )?"
        r"(?:you(?:'d| would) like|you want) (?:to|us to) (?:talk about|cover|discuss|"
        r"focus on) today",
        r"(?:a few|some|two|three|a couple of) things (?:I(?:'d| would) like|I want|we need) "
        r"to (?:cover|talk about|go through|discuss) today",
        r"(?:our|today's|the) agenda",
    ),
    "screening": (
        r"anything else",
        r"something else",
        r"what else",
        r"any(?: other|thing more) (?:concerns?|worries|questions?|things?|issues?)",
        r"(?:is there|are there) (?:any )?(?:other|more) (?:things?|concerns?|questions?|"
        r"worries|issues?)",
    ),
    "empathy": (
        r"(?:that|this|it) (?:sounds|must be|must have been|seems|has been|is|was|sounds like "
        r"it (?:was|is|has been))(?: really| so| very| quite| a bit| pretty)? (?:hard|difficult|"
        r"tough|frightening|scary|upsetting|worrying|a lot to|a challenge|challenging|stressful|"
        r"overwhelming|exhausting|frustrating|awful|painful|distressing|a worry|a shock|"
        r"horrible|lonely|rough)",
        r"I can (?:see|imagine|understand|hear|appreciate|tell) (?:how|that|why|it's|this|it|"
        r"you)",
        r"I(?:'m| am) (?:so |really |very )?sorry (?:to hear|that|you|about)",
        r"you(?:'re| are)? (?:seem|sound|look|feel|feeling|must (?:feel|be)|must be feeling|"
        r"'ve been feeling|have been feeling|are feeling|'re feeling)(?: really| quite| a bit| "
        rf"a little| so| very| pretty| rather)? (?:{_EMPATHY_FEELING})\b",
        r"you(?:'re| are) (?:really |quite |a bit |a little |so |very |pretty )?(?:worried|"
        r"anxious|scared|frightened|afraid|upset|frustrated|angry|sad|overwhelmed|stressed|"
        r"embarrassed|nervous|fed up|torn|concerned)",
        r"(?:it's|it is|that's|that is) (?:completely |perfectly |very |really )?"
        r"understandable",
        r"understandably",
        r"no wonder you(?:'re| are| feel)",
    ),
    "affirmation": (
        r"you(?:'ve| have) (?:already |clearly |really |obviously )?(?:done|worked|managed|made|"
        r"put|achieved|thought)(?: so)? (?:a lot|so much|really|really well|well|great|hard|"
        r"brilliantly|a great job|real progress|huge|an effort|a big effort|a lot of)",
        r"that (?:shows|took|takes) (?:great |real |a lot of |such |some )?(?:determination|"
        r"commitment|strength|courage|guts|effort|resilience|insight|initiative)",
        r"(?:it's|it is|that's|that is) (?:really |so )?(?:great|brilliant|fantastic|"
        r"wonderful|excellent|impressive) (?:that you|you)",
        r"well done",
        r"good for you",
        r"(?:that's|that is|what) (?:a |an )?(?:really |very |so )?(?:impressive|great "
        r"achievement|big step|huge step|real achievement)",
        r"you(?:'re| are) (?:clearly |obviously |really |very )?(?:determined|committed|"
        r"resourceful|resilient|motivated|strong|brave|organised|organized|thoughtful|doing "
        r"(?:really |so )?well|doing a (?:great|good|fantastic) job)",
        r"you did (?:really |so )?(?:well|a great job|brilliantly)",
        r"I (?:really )?(?:appreciate|admire|respect) (?:you|your|that you|how you)",
        r"thank you for (?:sharing|being (?:so )?(?:open|honest)|telling me)",
    ),
    "normalisation": (
        r"(?:lots of|many|most|a lot of|plenty of|some|other) (?:other )?(?:people|men|women|"
        r"patients|folks|others|families|carers)(?: (?:in your|in a similar) (?:position|"
        r"situation|shoes))?(?: I(?:'ve| have)? (?:seen|supported|met|worked with|spoken "
        r"(?:to|with)))? (?:feel|find|say|tell me|worry|have had|have|experience|struggle|ask|"
        r"are|get|go through|notice|describe|had)",
        r"(?:that's|that is|it's|it is|this is|those are|these are) (?:a )?(?:completely |"
        r"perfectly |very |really |quite |entirely |so )?(?:normal|common|natural|usual)",
        r"you(?:'re| are) (?:definitely |certainly |really )?not (?:the only one|alone)",
        r"(?:a |very )?common (?:concern|worry|question|feeling|reaction|experience)",
        r"other people I(?:'ve| have) (?:supported|seen|worked with|spoken to|met)",
    ),
    "summary": (
        r"(?:let me|can I|could I|I'll|I will|I'd like to|I want to|just to|I'll just|I'm "
        r"going to|let's) (?:try (?:and|to) |just |quickly )?(?:sum(?:mari[sz]e)?|recap|pull "
        r"(?:together|that together|all that together|this together)|go (?:back )?over what "
        r"(?:we|you)|bring (?:together|all that))",
        r"to sum(?:mari[sz]e)?(?: up)?",
        r"in summary",
        r"so far (?:we(?:'ve| have)|you(?:'ve| have)) (?:talked|discussed|said|covered|"
        r"mentioned|told me)",
        r"you(?:'ve| have) (?:told|mentioned to) me (?:about )?(?:a few|several|a number of|"
        r"some|lots of|two|three) (?:things|reasons|concerns)",
        r"(?:what|all) I(?:'ve| have) heard (?:so far|you say|today)",
        r"we(?:'ve| have) (?:talked|discussed|covered) (?:about )?(?:a lot|quite a bit|"
        r"a few things|several things)",
    ),
    "clarification": (
        r"(?:do|did) you mean",
        r"what do you mean(?: by)?",
        r"(?:when|where) you say",
        r"are you saying",
        r"is that (?:right|correct)\?",
        r"(?:have|did) I (?:got|get|understood|understand) (?:that|this|you|it) (?:right|"
        r"correctly)",
        r"just to (?:check|clarify|confirm|be clear|make sure I(?:'ve)? (?:understand|"
        r"understood|got|heard))",
        r"(?:can|could) you (?:clarify|explain what you mean|say (?:a bit )?more about what "
        r"you mean)",
        r"if I(?:'ve)? (?:understand|understood|heard) (?:you )?(?:correctly|right)",
        r"let me (?:check|make sure) (?:that )?I(?:'ve)? (?:understand|understood|have|got|"
        r"heard)",
        r"correct me if I(?:'m| am) wrong",
        r"so you mean",
    ),
    "signposting": (
        r"(?:first(?:ly)?|to start(?: with| off)?|next|now|then),? I(?:'d| would) like to "
        r"(?:talk|explain|go through|ask|tell you|share|look|run through|cover)",
        r"I(?:'m| am) (?:going|about) to (?:talk|explain|go through|tell you|start|ask you|"
        r"share|run through|describe|outline|cover|move on)",
        r"I(?:'ll| will) (?:start by|go through|explain|talk (?:you )?through|come back to|run "
        r"through|outline)",
        r"let's (?:move on|turn to|come back to|start (?:with|by)|go through|talk about|look "
        r"at|think about)",
        r"moving on",
        r"before we (?:go on|move on|finish|talk about|look at|decide|go any further)",
        r"(?:there are|I have|I've got) (?:a few|a couple of|some|two|three|\d+) (?:things|"
        r"questions|points) I(?:'d| would) like to",
        r"(?:put|get) you in touch with",
        r"(?:refer|signpost) you",
        r"(?:a )?referral to",
    ),
    "ask_permission": (
        r"(?:would|will|is) it be (?:ok|okay|alright|all right) (?:if|for me to|with you if)",
        r"(?:is it|would it be|is that|would that be) (?:ok|okay|alright|all right|fine) "
        r"(?:if|to|for me to|with you if)",
        r"(?:can|could|may|might) I (?:just )?(?:share|tell you|give you|offer|suggest|explain|"
        r"mention|make a suggestion|run through|go through|talk (?:to you )?about|add|show you)",
        r"do you mind if (?:I|we)",
        r"(?:would|do) you (?:like|want) (?:me to (?:tell|explain|share|go through|give|talk|"
        r"describe|run)|some (?:information|more information|ideas|suggestions)|(?:to )?"
        r"(?:hear|know) (?:more|about|some|what|how))",
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
    "giving_information": (
        r"(?:research|studies|evidence|guidelines|guidance|data|figures|numbers|trials) "
        r"(?:shows?|suggests?|says?|tells? us|found)",
        r"(?:about|around|roughly|approximately|up to|fewer than|more than|over|less than|"
        r"nearly|almost) (?:\d+|one|two|three|four|five|six|seven|eight|nine|ten) (?:in|out of) "
        r"(?:\d+|ten|a hundred|every \w+)",
        r"\d+(?:\.\d+)? ?(?:%|percent|per cent)",
        r"what (?:this|that|it) means is",
        r"(?:the|this) (?:operation|procedure|test|treatment|scan|medication|medicine|tablet|"
        r"surgery|drug|therapy) (?:involves|is|takes|works|means|usually|can|will|helps|"
        r"reduces|lasts)",
        r"(?:recovery|it) (?:usually |normally |typically )?takes (?:about |around )?(?:\d+|"
        r"a few|several|one|two|three)",
        r"(?:usually|typically|normally|generally|commonly|on average),? (?:people|patients|"
        r"men|women|it|this|the|most)",
        r"(?:we|doctors|they) (?:usually|normally|generally|often|typically) (?:recommend|"
        r"offer|do|suggest|find|see)",
        r"(?:is|are) (?:caused|used|given|done|carried out|measured|called) (?:by|to|for|as|"
        r"under|in|with)",
        r"(?:it's|it is|this is|that's) (?:called|known as)",
        r"the (?:results?|test|scan|biopsy) (?:shows?|showed|came back)",
    ),
    "advice": (
        r"I(?:'d| would) (?:strongly )?(?:recommend|suggest|advise|encourage)",
        r"I (?:recommend|suggest|advise)",
        r"my (?:advice|recommendation|suggestion) (?:would be|is)",
        r"I think (?:you should|it would be (?:best|good|wise|a good idea|sensible)|the best "
        r"(?:option|thing|choice)|you(?:'d| would) (?:be better|benefit))",
        r"if I were you",
        r"in your (?:shoes|position),? I",
        r"you (?:might|may|could) (?:want to|like to|consider|try|think about)",
        r"(?:why don't you|why not) (?:try|consider|think about|go|start)",
        r"it(?:'s| is| would be| might be) (?:best|a good idea|advisable|worth|sensible) (?:to|"
        r"if you|considering|trying|thinking)",
        r"have you (?:thought about|considered) (?:trying|taking|having|starting|going)",
        r"(?:the best thing|what I(?:'d| would) do) (?:would be|is) to",
        rf"{_NOT_ASKED}you (?:really )?(?:should|ought to|must|need to|have to|'ve got to|"
        r"have got to)(?! (?:decide|choose))",
        r"try (?:to|and) (?:cut|drink|eat|avoid|reduce|keep|take|get|stop|limit)",
        r"you(?:'ll| will) need to",
        r"you (?:could|can) (?:also |always |just )?(?:try|use|start|ask|call|take|talk to|join|"
        r"cut down|book|consider)",
        r"what I(?:'d| would) like you to do",
        r"(?:would be|is) (?:the )?best (?:option )?for you",
    ),
    "chunk_check": (
        r"(?:does|did|do) (?:that|this|it|all that|all of that|everything)(?: all)? make sense",
        r"(?:do you have |have you got |are there )?any questions(?: (?:so far|about (?:that|"
        r"this|what I've said)|before (?:we|I) (?:go on|move on|carry on)))?",
        r"is (?:that|this|it|everything|all that) (?:clear|ok so far|okay so far|alright so "
        r"far)",
        r"(?:are you|is that|are we) (?:still )?(?:following|with me)",
        r"(?:how|what) (?:are you|do you) (?:doing|feel|feeling|think) (?:with|about) (?:that|"
        r"this|all that|all this|what I(?:'ve| have) (?:said|told you)) so far",
        r"how does that sound",
        r"(?:is there )?anything (?:you(?:'d| would) like me to|I (?:can|could|should)) "
        r"(?:explain|go over|clarify|repeat)",
        r"shall I (?:go on|carry on|continue|stop there|slow down)",
        r"(?:would you like|do you want) me to (?:go over|explain) (?:any|that|this|it)(?:thing)?"
        r" (?:again|more)",
        r"is (?:that|this) (?:too much|a lot)(?: (?:of )?information)?",
        r"(?:how|what) are you (?:making|finding) of (?:that|this|all this|all that)",
    ),
    "teach_back": (
        r"(?:in|using) your own words",
        r"(?:to|just to|so (?:that )?I(?:'m| am)?) (?:make sure|be sure|check|know) (?:that )?"
        r"I(?:'ve| have)? (?:explained|been clear|made (?:that|this|it|things) clear|said it|"
        r"got it across)",
        r"so I (?:know|can check) I(?:'ve| have)? explained",
        r"what (?:will|would|are) you (?:going to )?(?:tell|say to|explain to) (?:your|the) \w+",
        r"(?:can|could|would) you (?:tell|explain|run|talk|say|go through) (?:it |that |this |"
        r"them |those )?(?:back to me|back)",
        r"(?:explain|repeat|say) (?:it|that|this|them|those) back",
        r"what have you found most (?:important|useful)",
        r"(?:how|what) (?:will|would) you (?:explain|describe) (?:this|it|that|the \w+) to",
        r"tell me (?:back )?what you(?:'ll| will| are going to) do (?:when|if|after|at home|"
        r"next)",
    ),
    "option_talk": (
        r"(?:there are|we have|you have|you've got|there's|we've got) (?:a few|several|some|two|"
        r"three|four|a number of|\d+|different|a couple of|other|a range of|various|a choice "
        r"of)(?: \w+)? (?:options|choices|ways|approaches|treatments|possibilities|alternatives|"
        r"things (?:we|you) (?:could|can) do)",
        r"(?:there is|there's|you have|it's|this is) (?:a |an )?(?:choice|decision|real choice|"
        r"open choice)(?: to (?:be )?made| here| for you| between)?",
        r"(?:one|another|the other|the first|the second|the third|a second|a third|a further) "
        r"(?:option|choice|possibility|approach|treatment|route)",
        r"the (?:options|choices) (?:are|include|would be|we have)",
        r"(?:you|we) (?:could|can|might) (?:either|choose|decide|opt)",
        r"either\b.{1,80}\bor",
        r"(?:both|all|these|those|each of the) (?:options|choices|approaches)",
        r"which (?:option|one|of these|of those|treatment|approach)",
    ),
    "benefits": (
        r"(?:benefits?|advantages?|upsides?|pros|plus sides?|positives?)\b",
        r"(?:improves?|improvement|relief|relieves?|eases?|helps? (?:with|to|your)|works? well|"
        r"helps? (?:most |many |a lot of |some )?(?:men|women|people|patients)|"
        r"effective|success rate|chance of (?:it working|improvement|success|getting better))",
        r"(?:good|better|faster|quick(?:er)?) (?:results?|outcomes?|recovery|control|flow)",
    ),
    "risks": (
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
    "alternatives": (
        r"alternatives?\b",
        r"instead",
        r"another (?:option|way|approach|treatment|possibility|route)",
        r"other (?:options|treatments|approaches|ways|possibilities|choices)",
        r"or (?:else )?you could",
        r"rather than",
        r"as opposed to",
    ),
    "do_nothing": (
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
        r"(?:if|what if) (?:you|we) (?:don't|do not|didn't|did not) (?:do anything|have (?:the|"
        r"any) (?:treatment|operation|surgery)|treat)",
    ),
    "what_matters": (
        r"what matters (?:most )?to you",
        r"what(?:'s| is) (?:most |really |the most )?important (?:to|for) you",
        r"what (?:are|is) (?:the )?most important(?: things?)?(?: (?:to|for) you)?",
        r"what would you (?:love|like) to be able to do",
        r"what (?:are|would be) your (?:priorit\w+|preferences?|values?)",
        r"what (?:do|would) you (?:prefer|value)",
        r"what (?:are you|were you) hoping (?:for|to)",
        r"what would (?:be )?(?:a good|the best|the ideal) (?:outcome|result)",
        r"what (?:do|would) you (?:think|feel) about (?:those|these|the|each|both) (?:options|"
        r"choices)",
        r"how do you feel about (?:the|those|these|each|both) (?:options|choices|risks)",
        r"which (?:option|one|of these|of those)(?: \w+)? (?:appeals|matters|feels|seems|"
        r"sounds|suits)",
        r"what(?:'s| is| are) your (?:biggest|main|greatest) (?:concerns?|worr(?:y|ies)|"
        r"priorit\w+)",
        r"what worries you (?:most|the most)",
    ),
    "strengths": (
        r"what (?:has|'s|have) (?:worked|helped)(?: well)?(?: for you)?(?: before| in the past|"
        r" so far)?",
        r"what ideas do you have",
        r"what (?:are|would you say are) your (?:strengths|skills)",
        r"what are you (?:good at|already doing)",
        r"what are you doing that you find helpful",
        r"how (?:have|did) you (?:managed?|coped?|cope|got through|get through|dealt with|deal "
        r"with)",
        r"who (?:supports|helps) you",
        r"what would you love to do",
        r"if you could do anything",
        r"what(?:'s| is| has) (?:going|gone|been going) well",
        r"what (?:do|would) you (?:already )?(?:think|reckon) (?:would|will|might) (?:work|help)",
    ),
    "involvement": (
        r"how do you (?:like|prefer|want|usually) (?:to )?(?:make|go about making|take) "
        r"(?:decisions|a decision|choices)",
        r"how (?:would|do) you (?:like|want) to (?:make|go about|reach) (?:this |the |a )?"
        r"(?:decision|choice)",
        r"who (?:else )?(?:would you like|do you want|would you want|should we|might you want) "
        r"(?:to )?(?:be )?(?:involved|involve|with you|to talk (?:to|with)|help you decide|"
        r"to be (?:here|there))",
        r"(?:would you like|do you want) (?:to bring|to involve|someone|anyone|your \w+) (?:with "
        r"you|along|involved|to be (?:involved|here|there))",
        r"how (?:much|involved) (?:would you like|do you want) to be",
        r"(?:make|making|take|taking|reach|reaching) (?:the|this|a) decision together",
        r"(?:decide|work (?:this|it) out|make (?:a|the|this) decision) together",
        r"(?:it's|it is) (?:your|entirely your|completely your) (?:decision|choice|call)",
        r"(?:the|this) (?:decision|choice) is (?:yours|up to you|entirely yours)",
        r"(?:it's|it is|that's) (?:entirely |completely |totally )?up to you",
        r"talk (?:it|this|things) (?:over|through) with (?:your|someone|anyone|family)",
        r"discuss (?:it|this) with your",
    ),
    "goal_setting": (
        r"what (?:will|would|could|might) you (?:do|try|start with|change) (?:first|next|"
        r"tomorrow|this week|today|between now)",
        r"when (?:will|would|could) you (?:start|begin|try)",
        r"what(?:'s| is| would be) (?:your|the) (?:first|next) steps?",
        r"what (?:would|does|will) good look like",
        r"how will you know (?:if|when|that) you",
        r"what (?:are|would be) your goals?",
        r"(?:let's|shall we|can we|could we) (?:set|agree|make|write down|plan) (?:on )?(?:a |"
        r"some |your )?(?:goals?|plan|action plan|targets?|next steps?)",
        r"(?:your|a|an|the|our) (?:goal|action plan|target) (?:is|will be|for|could be)",
        r"what would you like to (?:achieve|aim for|work towards|work on)",
        r"what do you want to (?:achieve|work on|aim for)",
        r"review (?:date|appointment)",
    ),
    "persuade": (
        rf"{_NOT_ASKED}you (?:really |absolutely |definitely )?(?:should|must|need to|have to|"
        r"ought to|'ve got to|have got to)(?! (?:decide|choose))",
        r"you(?:'d| had) better",
        r"I(?:'m| am) (?:telling|warning) you",
        r"if you don't (?:\w+ ){0,5}(?:you'll|you will|it will|it'll|you could|you might|"
        r"things will|you may)",
        r"(?:it's|it is) (?:really |very |absolutely )?(?:important|essential|vital|crucial) "
        r"(?:that you|for you to)",
        r"trust me",
        r"believe me",
        r"(?:the sensible|the right|the only|the obvious) (?:thing|choice|option|decision) "
        r"(?:is|would be|to)",
        r"I (?:strongly )?(?:urge|insist)",
        r"there(?:'s| is) no (?:point|reason) (?:in )?(?:waiting|worrying|delaying)",
        r"(?:otherwise|or else) (?:you|it)(?:'ll| will| could| might)",
        r"you(?:'ll| will) (?:end up|regret|be sorry)",
    ),
    "judgement": (
        r"(?<!you )(?<!to )(?<!me )(?<!him )(?<!her )(?<!them )(?<!helps )(?<!help )calm down",
        r"you (?:need|have|ought|must|should) (?:to )?(?:just )?calm down",
        r"you(?:'re| are) being(?: (?:really |so |very |a bit |just )?(?:silly|ridiculous|"
        r"difficult|unreasonable|stubborn|irrational|dramatic|naive|irresponsible|paranoid|"
        r"childish|lazy|foolish|over\w+))?",
        r"(?:that's|that is|it's|it is) (?:just |a bit |really |quite |rather )?(?:silly|"
        r"ridiculous|irresponsible|stupid|foolish|nonsense|unreasonable|daft|lazy)",
        r"(?:it's|it is|that's|that is) (?:all )?your (?:own )?fault",
        r"you (?:only )?have (?:only )?yourself to blame",
        r"you (?:should|shouldn't|should not) have",
        r"why (?:didn't|haven't|hadn't|won't|wouldn't) you (?:just )?(?:come|listen|stop|take|"
        r"do|tell|go|see|try)",
        r"you(?:'re| are) (?:overreacting|exaggerating|making a fuss)",
        r"what were you thinking",
        r"you can't (?:just )?keep",
        r"you (?:never|always) (?:listen|do|take|come|follow)",
        r"I(?:'m| am) (?:disappointed|surprised) (?:in|with|that) you",
    ),
}

# Cues read as case-sensitive where a capital letter marks a name.
_CASED_CUES: dict[str, tuple[str, ...]] = {
    "introduction": (
        r"\b(?i:I'm|I am) (?:(?i:dr)\.? |Doctor |Nurse )?[A-Z][a-z]+,?\s+(?i:and I'm )?"
        r"(?i:one of the|a|an|the|your)\b",
        r"^\W*(?i:hi|hello|hey|good morning|good afternoon|good evening)\b[\s,!.]*"
        r"(?i:there[\s,!.]*)?(?i:I'm|I am|it's) [A-Z][a-z]+\b",
    ),
}

# Weak cues: they add a code but lower the turn's confidence.
_WEAK_CUES: dict[str, tuple[str, ...]] = {
    "introduction": (
        r"the (?:reason|purpose) (?:for|of) (?:our|this|today's|the) (?:chat|appointment|"
        r"meeting|conversation|consultation|visit|call)",
        r"I(?:'ve| have) been asked to (?:see|speak (?:to|with)|talk (?:to|with)) you",
    ),
    "goal_setting": (r"(?:next|first) steps?",),
    "signposting": (
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
}


# --- compiling the cues, with the words each one needs ---------------------------------------

_RE_CLASS = re.compile(r"\[(?:[^\]\\]|\\.)*\](?:[?*+]|\{[^}]*\})?\??")
_RE_ESCAPE = re.compile(r"\\.(?:[?*+]|\{[^}]*\})?\??")
_RE_GROUP = re.compile(r"\((?:[^()\\]|\\.)*\)(?:[?*+]|\{[^}]*\})?\??")
_RE_OPTIONAL_CHAR = re.compile(r".(?:[?*]|\{[^}]*\})\??")
_RE_META = re.compile(r"[\0.^$+?*{}()\[\]\\|]")


def _required_literal(sequence: str) -> str:
    """The longest run of plain text outside groups, classes and optional characters."""
    s = _RE_CLASS.sub("\0", sequence)
    s = _RE_ESCAPE.sub("\0", s)
    previous = None
    while previous != s:
        previous, s = s, _RE_GROUP.sub("\0", s)
    if "|" in s:
        return ""
    s = _RE_OPTIONAL_CHAR.sub("\0", s)
    return max(_RE_META.split(s), key=len).strip().lower()


def _top_level(pattern: str) -> tuple[list[str], list[str]]:
    """The pattern's top-level branches, and the bodies of its top-level groups that must match."""
    branches: list[str] = []
    groups: list[str] = []
    depth, in_class, start, group_start, i = 0, False, 0, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            group_start = i if depth == 0 else group_start
            depth += 1
        elif c == ")":
            depth -= 1
            optional = pattern[i + 1 : i + 2] in ("?", "*") or pattern.startswith("{0", i + 1)
            body = pattern[group_start + 1 : i]
            if depth == 0 and not optional and not body.startswith(("?!", "?=", "?<")):
                groups.append(re.sub(r"^\?[a-zA-Z-]*:", "", body))
        elif c == "|" and depth == 0:
            branches.append(pattern[start:i])
            start = i + 1
        i += 1
    branches.append(pattern[start:])
    return branches, groups


def required_words(pattern: str) -> tuple[str, ...]:
    """Lower-cased words of which every match of `pattern` contains at least one; () if unknown.

    Read off the pattern itself: a plain run of text outside groups, or else the branches of a
    group that must match. Used to skip a pattern's search when none of its words is present.
    """
    branches, groups = _top_level(pattern)
    if len(branches) > 1:
        words: list[str] = []
        for branch in branches:
            needed = required_words(branch)
            if not needed:
                return ()
            words.extend(needed)
        return tuple(dict.fromkeys(words))
    literal = _required_literal(pattern)
    options: list[tuple[str, ...]] = [(literal,)] if literal else []
    options += [needed for needed in map(required_words, groups) if needed]
    return max(options, key=lambda words: min(map(len, words)), default=())


@dataclass(frozen=True)
class Cue:
    """One code's compiled alternatives, and the words that must appear for any to match."""

    code: str
    pattern: Pattern[str]
    needs: tuple[str, ...] | None  # None: no cheap test, always search
    strong: bool = True
    cased: bool = False  # matched against the text as written, not lower-cased

    def may_match(self, lower: str) -> bool:
        return self.needs is None or any(map(lower.__contains__, self.needs))

    def search(self, norm: str, lower: str) -> re.Match[str] | None:
        """The first match, with offsets valid in both `norm` and its lower-case form."""
        if not self.may_match(lower):
            return None
        return self.pattern.search(norm if self.cased else lower)

    def starts(self, norm: str, lower: str) -> list[int]:
        if not self.may_match(lower):
            return []
        return [m.start() for m in self.pattern.finditer(norm if self.cased else lower)]


def _compile(code: str, alternatives: tuple[str, ...], *, strong: bool, cased: bool) -> Cue:
    if cased:
        pattern = re.compile("|".join(f"(?:{a})" for a in alternatives))
    else:
        # Lower-cased patterns run on lower-cased text: faster than IGNORECASE.
        if any(re.search(r"\\[A-Z]", a) for a in alternatives):
            raise ValueError(f"{code}: an upper-case escape would change meaning when lowered")
        pattern = re.compile(r"\b(?:" + "|".join(alternatives).lower() + ")")
    needs = [required_words(a) for a in alternatives]
    words = {w for n in needs for w in n}
    # A word that contains another needed word adds nothing to the test.
    kept = tuple(sorted(w for w in words if not any(o != w and o in w for o in words)))
    return Cue(code, pattern, kept if all(needs) else None, strong, cased)


def _build_cues() -> tuple[Cue, ...]:
    cues: list[Cue] = []
    for code in CODE_ORDER:
        if code in _CUES:
            cues.append(_compile(code, _CUES[code], strong=True, cased=False))
        if code in _CASED_CUES:
            cues.append(_compile(code, _CASED_CUES[code], strong=True, cased=True))
        if code in _WEAK_CUES:
            cues.append(_compile(code, _WEAK_CUES[code], strong=False, cased=False))
    return tuple(cues)


CUES = _build_cues()


# --- jargon ----------------------------------------------------------------------------------

_JARGON_TERMS = (
    r"prostatectom(?:y|ies)",
    r"urodynamics?",
    r"catheteri[sz]ation",
    r"catheteri[sz]e",
    r"alpha[- ]?blockers?",
    r"alpha[- ]?adrenergic",
    r"5[- ]alpha[- ]reductase(?: inhibitors?)?",
    r"titrat(?:e|ed|es|ing|ion)",
    r"co-?morbidit(?:y|ies)",
    r"prognos(?:is|es)",
    r"palliative",
    r"metasta(?:tic|sis|ses|sised|sized)",
    r"benign prostatic (?:hyperplasia|hypertrophy|enlargement)",
    r"transurethral",
    r"cystoscop(?:y|ies)",
    r"uroflow(?:metry)?",
    r"post[- ]void residual",
    r"bladder outlet obstruction",
    r"h(?:a)?ematuria",
    r"nocturia",
    r"dysuria",
    r"Gleason(?: score)?",
    r"brachytherapy",
    r"(?:neo)?adjuvant",
    r"prophyla(?:xis|ctic)",
    r"contraindicat\w+",
    r"idiopathic",
    r"a?etiology",
    r"sequelae",
    r"polypharmacy",
    r"analgesi[ac]",
    r"myocardial infarction",
    r"hyperglyc(?:a)?emia",
    r"hypoglyc(?:a)?emia",
    r"malignan(?:t|cy)",
    r"neoplasm",
    r"oncolog\w+",
    r"retrograde ejaculation",
    r"antimuscarinics?",
    r"anticholinergics?",
    r"phosphodiesterase",
    r"morbidity",
    r"mortality",
    r"asymptomatic",
    r"contralateral",
    r"efficacy",
    r"false (?:positives?|negatives?)",
    r"absolute risk",
    r"relative risk",
    r"number needed to treat",
    r"hypertension",
    r"dyslipid(?:a)?emia",
)
_JARGON = _compile("jargon", tuple(t + r"\b" for t in _JARGON_TERMS), strong=True, cased=False)
# Acronyms are matched case-sensitively so that ordinary words are left alone.
_ACRONYMS = re.compile(
    r"\b(?:TURP|TUIP|HoLEP|BPH|BPE|PSA|LUTS|IPSS|HbA1c|eGFR|COPD|NSAIDs?|DNACPR|DNAR|5-ARIs?|"
    r"PDE5i?|MRI|CT|TRUS|MI|CKD|AKI|UTI|QoL|NNT|RCTs?|ARBs?|SGLT2i?|GLP-1|OAB|PVR|DRE)\b"
)
_NOT_A_DEFINITION = (
    r"(?! (?:good |common |possible |real |other |better )?(?:option|choice|possibility|"
    r"alternative))"
)
_EXPLAINED_AFTER = re.compile(
    r"\s*\(|\s*[-\u2013\u2014]{1,2}\s|\.\s+(?:that|this|it)(?:'s| is| means)\b"
    r"|,?\s+(?:[^,.;:?!()]{0,30}?\s)?(?:which|that|this|it) (?:means|stands for|refers to|"
    rf"is (?:a|an|when|where|the)\b{_NOT_A_DEFINITION}|are\b)"
    r"|,?\s+(?:[^,.;:?!()]{0,30}?\s)?(?:meaning|that is,|i\.e\.|in other words|basically|"
    r"simply put|in plain (?:english|terms|language)|or in plain|means|what (?:that|this) means)"
    rf"|\s+(?:is|are) (?:a|an|the|when|where|what)\b{_NOT_A_DEFINITION}"
    r"|,\s+(?:a|an|the) (?:\w+ ){0,3}(?:test|operation|blood|tablet|medicine|gland|condition|"
    r"procedure|treatment|scan|drug|camera|tube|measure|score)s?\b",
    _I,
)
_EXPLAINED_BEFORE = re.compile(
    r"(?:\bcalled|\bknown as|\bthe (?:medical|technical|proper) (?:name|term|word)"
    r"(?: for (?:this|that|it))? is|\bwe call (?:this|that|it))(?: an?| the)?\s*[\"']?$",
    _I,
)


def _unexplained_jargon(norm: str, original: str, lower: str, prev_lower: str) -> list[str]:
    """Technical terms used without a plain explanation, in order of first appearance.

    A term is explained when a definition follows it ("PSA, which is...", "TURP (an
    operation...)", "BPH is a...") or it is introduced by name ("what is called BPH"); a term
    the person used first is theirs and not counted.
    """
    spans = [m.span() for m in _JARGON.pattern.finditer(lower)] if _JARGON.may_match(lower) else []
    spans.extend(m.span() for m in _ACRONYMS.finditer(norm))
    terms: list[str] = []
    for start, end in sorted(spans):
        word = original[start:end]
        if word in terms or word.lower() in prev_lower:
            continue
        if _EXPLAINED_AFTER.match(norm, end) or _EXPLAINED_BEFORE.search(
            norm, max(0, start - 50), start
        ):
            continue
        terms.append(word)
    return terms


# --- the coder -------------------------------------------------------------------------------


@dataclass
class _Found:
    """Codes found in a turn, with evidence, and those that only weak cues gave."""

    evidence: dict[str, str] = field(default_factory=dict)
    weak: set[str] = field(default_factory=set)

    def add(self, code: str, words: str, *, strong: bool = True) -> None:
        if code in self.evidence:
            if strong and code in self.weak:
                self.weak.discard(code)
                self.evidence[code] = words.strip()
            return
        self.evidence[code] = words.strip()
        if not strong:
            self.weak.add(code)

    def drop(self, code: str) -> None:
        self.evidence.pop(code, None)
        self.weak.discard(code)


def _lower(norm: str) -> str:
    """Lower-case text with the same length, so offsets carry over to the original."""
    lower = norm.lower()
    if len(lower) == len(norm):
        return lower
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in norm)


def _match_cues(norm: str, original: str, lower: str, found: _Found) -> None:
    for cue in CUES:
        if cue.code in found.evidence and cue.code not in found.weak:
            continue
        m = cue.search(norm, lower)
        if m:
            found.add(cue.code, original[m.start() : m.end()], strong=cue.strong)


def _mark_input(sentences: list[_Sentence], norm: str, lower: str, found: _Found) -> None:
    """Statements, and reflections without a stem, that carry information or advice."""
    starts: list[int] = []
    for cue in CUES:
        if cue.strong and cue.code in INPUT_CODES and cue.code in found.evidence:
            starts.extend(cue.starts(norm, lower))
    for sent in sentences:
        if sent.act == "statement" or (sent.act == "reflection" and not sent.stem):
            if any(sent.start <= pos < sent.end for pos in starts):
                sent.act = "input"


def _reflection_type(sentences: list[_Sentence], prev_norm: str) -> str:
    """Complex when the reflection adds meaning or feeling; simple when it repeats the person."""
    refl = [s for s in sentences if s.act == "reflection"]
    text = " ".join(s.text for s in refl)
    prev_lower = prev_norm.lower()
    if any(s.complex_stem for s in refl):
        return "complex"
    if any(m.group(0).lower() not in prev_lower for m in _FEELING_RE.finditer(text)):
        return "complex"  # names a feeling the person did not
    if re.search(r"\b(?:as if|as though|like a|like an)\b", text, _I):
        return "complex"  # a metaphor or simile
    words = _content_words(text)
    prev_words = _content_words(prev_norm)
    if len(prev_words) < 3 or not words:
        return "simple"  # nothing to compare with: without added cues it is simple
    overlap = len(words & prev_words) / len(words)
    return "simple" if overlap >= 0.3 else "complex"


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
        return Behaviour.REFLECTION, 0.85 if any(r.stem for r in reflections) else 0.6
    if words["input"]:
        return Behaviour.THERAPIST_INPUT, 0.8 if not reflections else 0.6
    if words["statement"] >= 8 and not _social_only(found):
        return Behaviour.THERAPIST_INPUT, 0.5  # a longer statement with no cue: information
    return Behaviour.OTHER, 0.6 if words["statement"] else 0.9


def _social_only(found: _Found) -> bool:
    """Whether a statement's codes are all social talk; pointing to resources is information."""
    signpost = found.evidence.get("signposting", "")
    if "signposting" in found.weak or _RESOURCE.search(signpost):
        return False
    return bool(found.evidence) and set(found.evidence) <= _SOCIAL_CODES


def _is_trailer(question: _Sentence, found: _Found) -> bool:
    low = question.text.lower()
    return any(_same(found.evidence.get(code, "\0")) in low for code in _TRAILER_CODES)


def _same(evidence: str) -> str:
    """Evidence (quoted from the original) as it reads in the normalised, lower-cased text."""
    return evidence.translate(_NORMALISE).lower()


def _within(words: str, sentences: list[_Sentence], acts: tuple[str, ...]) -> bool:
    low = _same(words)
    return any(s.act in acts and low in s.text.lower() for s in sentences)


def _resolve(sentences: list[_Sentence], norm: str, found: _Found) -> None:
    """Settle codes that share words or imply one another."""
    ev = found.evidence
    if "chunk_check" in ev and "teach_back" in ev and ev["chunk_check"] in ev["teach_back"]:
        found.drop("chunk_check")
    if "teach_back" in ev and _within(ev.get("option_talk", "\0"), sentences, ("question",)):
        found.drop("option_talk")  # asking for the options back is not presenting them
    if "do_nothing" in ev and re.search(r"\b(?:option|choice|choose|could)\b", norm, _I):
        found.add("option_talk", ev["do_nothing"])
    for code in _OPTION_CONTENT:
        if code in ev and _within(ev[code], sentences, ("input",)):
            found.add("giving_information", ev[code], strong=False)
            break


def _quote(original: str, sent: _Sentence) -> str:
    return original[sent.start : sent.end]


class RuleCoder:
    """Codes a practitioner turn with regex rules: deterministic, local and fast."""

    method = "rules"

    def code(self, text: str, prev_text: str = "") -> TurnCoding:
        """Code one practitioner turn; `prev_text` is what the person said just before."""
        text = text or ""
        norm = text.translate(_NORMALISE)
        if not norm.strip():
            return TurnCoding(behaviour=Behaviour.OTHER, confidence=1.0, method=self.method)
        prev_norm = (prev_text or "").translate(_NORMALISE)
        lower = _lower(norm)
        sentences = _split(norm)
        for sent in sentences:
            _act(sent)
        found = _Found()
        _match_cues(norm, text, lower, found)
        _mark_input(sentences, norm, lower, found)
        for sent in sentences:
            if sent.act == "question":
                found.add(f"{sent.qtype}_question", _quote(text, sent))
        terms = _unexplained_jargon(norm, text, lower, prev_norm.lower())
        if terms:
            found.add("jargon", ", ".join(terms))
        _resolve(sentences, norm, found)
        return self._finish(sentences, found, text, prev_norm)

    def _finish(
        self, sentences: list[_Sentence], found: _Found, text: str, prev_norm: str
    ) -> TurnCoding:
        behaviour, sure = _main_act(sentences, found)
        qtype = rtype = ""
        if behaviour is Behaviour.QUESTION:
            qtype = [s for s in sentences if s.act == "question"][-1].qtype  # the one answered
        elif behaviour is Behaviour.REFLECTION:
            rtype = _reflection_type(sentences, prev_norm)
            first = next(s for s in sentences if s.act == "reflection")
            found.add(f"{rtype}_reflection", _quote(text, first))
        if found.weak:
            sure *= 0.85
        codes = sorted(found.evidence, key=_RANK.__getitem__)
        return TurnCoding(
            behaviour=behaviour,
            question_type=qtype,
            reflection_type=rtype,
            codes=codes,
            evidence={code: found.evidence[code] for code in codes},
            confidence=round(max(0.05, min(1.0, sure)), 3),
            method=self.method,
        )
