"""Authored rephrasings: how a missed moment might have been said, in the turn's own context.

Used whenever no capable model is configured (and as the fallback when one fails). Each
suggestion must read as something a practitioner would say aloud: one or two whole
sentences, no quoted fragments of anyone's words, no repeated jargon. Closed questions are
opened on their own topic ("Are you taking your tablets?" becomes "How are you getting on
with your tablets?"); where no pattern fits, the suggestion reflects the person's last words
back (first person turned to second) or asks a plain open question.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[A-Za-z']+")
_LEAD_WORDS = 22  # a sentence longer than this is not repeated in a suggestion

Opener = Callable[[re.Match[str]], str]


def _any_noun(found: re.Match[str]) -> str:
    return f"Tell me about any {found['what']} you {found['verb']}."


def _noticed(found: re.Match[str]) -> str:
    return f"Tell me about anything you've noticed, such as {found['what']}."


def _how_often(found: re.Match[str]) -> str:
    return f"What is it like when you {found['what']}? How is it affecting you?"


def _is_it(found: re.Match[str]) -> str:
    first, rest = _split(found["what"])
    be, it = found["be"].lower(), found["it"]
    it = it if it.lower().startswith("your ") else it.lower()
    if first.lower() in _JUDGED:
        return f"How {be} {it}{rest}?"
    if first.endswith("ing"):
        return f"How {be} {it} {first}{rest}?"
    if not rest:
        return f"How {first} {be} {it}?"
    return f"Tell me more about how {it} {be} {first}{rest}."


def _are_you_ing(found: re.Match[str]) -> str:
    first, rest = _split(found["what"])
    if first in {"taking", "using", "doing", "having"}:
        return f"How are you getting on with{rest or ' it'}?"
    if first in {"getting", "going"}:
        return f"What is it like {first}{rest}?"
    rest = re.sub(r"\s+(?:ok|okay|well|alright|all right|properly)$", "", rest, flags=re.I)
    return f"How are you {first}{rest}?"


def _worried(found: re.Match[str]) -> str:
    return f"What worries you most about {found['what']}?"


def _are_you(found: re.Match[str]) -> str:
    return f"How does being {found['what']} affect you day to day?"


def _do_you(found: re.Match[str]) -> str:
    verb, rest = _split(found["what"])
    tense = "did" if found["aux"].lower() == "did" else "do"
    return f"How {tense} you get on with {gerund(verb)}{rest}?"


def _want(found: re.Match[str]) -> str:
    return f"How would you feel about {found['who']} {gerund(found['verb'])}{found['rest']}?"


def _does(found: re.Match[str]) -> str:
    return f"Tell me about how {found['who']} {third(found['verb'])}{found['rest']}."


def _has_any(found: re.Match[str]) -> str:
    return f"Tell me about any {found['what']} {found['who']} has had."


def _would_you(found: re.Match[str]) -> str:
    verb, rest = _split(found["what"])
    if verb in {"like", "want"} and rest.startswith(" to "):
        verb, rest = _split(rest[4:])
    return f"How would you feel about {gerund(verb)}{rest}?"


def _tried(found: re.Match[str]) -> str:
    return f"What have you tried so far, such as {found['what']}, and how did it go?"


def _had_any(found: re.Match[str]) -> str:
    return f"Tell me about any {found['what']} you've had."


def _been(found: re.Match[str]) -> str:
    what = re.sub(r"\s+yet$", "", found["what"], flags=re.I)
    return f"Where have things got to with {_object(what)}?"


def _check(_: re.Match[str]) -> str:
    return "What do you make of that so far?"


def _feel(_: re.Match[str]) -> str:
    return "How do you feel about that?"


def _anything_else(_: re.Match[str]) -> str:
    return "What else would you like us to talk about?"


def _what_have_you(found: re.Match[str]) -> str:
    return f"What {found['what'].lower()} do you have about all this?"


# Words that judge a state ("Is it OK?"): the open question drops them ("How is it?").
_JUDGED = frozenset({"ok", "okay", "alright", "good", "bad", "better", "worse", "fine"})


_I = re.IGNORECASE
# Closed question patterns -> an open question on the same topic, most specific first.
_OPENERS: tuple[tuple[re.Pattern[str], Opener], ...] = (
    (
        re.compile(
            r"^(?:does (?:that|this) (?:make sense|sound right)|do you understand|"
            r"is (?:that|it|this) (?:ok|okay|clear|all right|alright|right|correct)|"
            r"have i got that right|do you know that)\b.*\?$",
            _I,
        ),
        _check,
    ),
    (
        re.compile(
            r"^are you (?:happy|ok|okay|alright|all right|comfortable|sure) with "
            r"(?:that|this|it)\?$",
            _I,
        ),
        _feel,
    ),
    (re.compile(r"^(?:is there )?anything else\b.*\?$", _I), _anything_else),
    (re.compile(r"^any (?P<what>questions|worries|concerns)\?$", _I), _what_have_you),
    (
        re.compile(r"^any (?P<what>.+?)\?$", _I),
        lambda m: f"What have you noticed, for example any {m['what']}?",
    ),
    (
        re.compile(r"^(?:how many times|how often) do you (?P<what>.+?)\?$", _I),
        _how_often,
    ),
    (
        re.compile(
            r"^(?P<be>is|are|was|were) (?P<it>it|this|that|they|things|he|she|your \w+) "
            r"(?P<what>.+?)\?$",
            _I,
        ),
        _is_it,
    ),
    (
        re.compile(
            r"^are you (?:worried|concerned|scared|frightened|anxious|nervous) about "
            r"(?P<what>.+?)\?$",
            _I,
        ),
        _worried,
    ),
    (
        re.compile(r"^(?:are you on|are you taking) any (?P<what>.+?)\?$", _I),
        lambda m: f"Tell me about any {m['what']} you take.",
    ),
    (re.compile(r"^are you (?P<what>\w+ing\b.*?)\?$", _I), _are_you_ing),
    (re.compile(r"^are you (?P<what>.+?)\?$", _I), _are_you),
    (
        re.compile(r"^(?:do|did) you (?P<verb>have|get|take|use|need) any (?P<what>.+?)\?$", _I),
        _any_noun,
    ),
    (
        re.compile(r"^(?:do|did) you (?:have|get|notice|feel) (?P<what>an? .+?)\?$", _I),
        _noticed,
    ),
    (re.compile(r"^have you (?:had|got) any (?P<what>.+?)\?$", _I), _had_any),
    (re.compile(r"^have you tried (?P<what>.+?)\?$", _I), _tried),
    (re.compile(r"^have you (?:been to|filled in|seen|done) (?P<what>.+?)\?$", _I), _been),
    (
        re.compile(r"^do you want (?P<who>.+?) to (?P<verb>\w+)(?P<rest>.*?)\?$", _I),
        _want,
    ),
    (
        re.compile(r"^has (?P<who>he|she|they|your \w+) had any (?P<what>.+?)\?$", _I),
        _has_any,
    ),
    (
        re.compile(
            r"^does (?P<who>he|she|your \w+|(?:his|her) \w+) (?P<verb>\w+)(?P<rest>.*?)\?$", _I
        ),
        _does,
    ),
    (re.compile(r"^(?P<aux>do|did|can|could) you (?P<what>.+?)\?$", _I), _do_you),
    (re.compile(r"^(?:would|will) you (?P<what>.+?)\?$", _I), _would_you),
)

# First person (the person's words) -> second person (the practitioner reflecting them).
_SWAP = {
    "i": "you",
    "i'm": "you're",
    "i've": "you've",
    "i'd": "you'd",
    "i'll": "you'll",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "we": "you",
    "we're": "you're",
    "our": "your",
    "us": "you",
}
_HESITANT = re.compile(r"\b(?:don't know|not sure|suppose|if you say so|maybe|dunno)\b|^\W*$", _I)
_FILLER = re.compile(r"^(?:well|oh|um|erm|so|look|honestly|right|yes|no|ok|okay),?\s+", _I)
_TAIL = re.compile(r",?\s+(?:to be honest|you know|I suppose|really|though)$", _I)
# A reflection starting with one of these is lower-cased after "So" (a name is not).
_LOWER_FIRST = frozenset(
    {*_SWAP.values(), "it", "it's", "the", "that", "there", "this", "he", "she", "they", "a"}
)
_REFLECT_MIN_WORDS = 4
_REFLECT_MAX_WORDS = 20


def sentences(text: str) -> list[str]:
    """The text split into sentences."""
    return [part.strip() for part in _SENTENCE.split(" ".join(text.split())) if part.strip()]


def last_question(text: str) -> str:
    """The last sentence ending in a question mark (or the last sentence)."""
    parts = sentences(text)
    questions = [part for part in parts if part.endswith("?")]
    return (questions or parts or [text])[-1]


def open_question(closed: str, person_before: str) -> str:
    """A closed question rewritten as an open one on the same topic."""
    question = last_question(closed)
    for pattern, opener in _OPENERS:
        found = pattern.match(question)
        if found:
            return _sentence_case(opener(found))
    reflected = reflection(person_before)
    if reflected:
        return f"{reflected} Tell me more about that."
    return "What can you tell me about how things have been?"


def ask_first(advice: str) -> str:
    """Ask what the person thinks, and permission, before any advice.

    The advice itself is not repeated: it often carries the jargon or the pressure that
    made the moment a missed one.
    """
    del advice
    return (
        "Before I suggest anything, what have you been thinking about it yourself? "
        "Then, if it would help, I can tell you what I would recommend."
    )


def check_after(information: str, jargon: str | None) -> str:
    """Information in plain words, or in a smaller chunk, followed by a check."""
    check = "Let me pause there. What do you make of that so far?"
    if jargon:
        terms = [_plain_case(t.strip()) for t in jargon.split(",") if t.strip()]
        words, mean = ("some medical words", "they mean")
        if len(terms) == 1:
            words, mean = "a medical term", "it means"
        return (
            f"I've just used {words} there: {join_terms(terms)}. Let me say what "
            f"{mean} in everyday words, and then you tell me what you make of it."
        )
    first = lead(information)
    if len(first.split()) > _LEAD_WORDS or not first.endswith("."):
        return f"That was a lot at once. {check}"
    return f"{first} {check}"


def add_doing_nothing(option_talk: str) -> str:
    """Option talk that names doing nothing (watchful waiting) as an option too."""
    first = lead(option_talk)
    tail = (
        "Another option is to do nothing for now and keep an eye on things, and we can weigh "
        "that up alongside the others."
    )
    if len(first.split()) > _LEAD_WORDS or not first.endswith("."):
        return f"There are a few options here. {tail}"
    return f"{first} {tail}"


def reflect_instead(person_before: str) -> str:
    """A reflection of the person's last words and an open question, instead of a lecture."""
    reflected = reflection(person_before)
    if reflected:
        return f"{reflected} What worries you most about it?"
    if person_before and _HESITANT.search(person_before):
        return "You don't sound sure about this. What's on your mind?"
    return "I've been doing most of the talking. What do you make of it all so far?"


def reflection(person_words: str) -> str:
    """The person's last sentence said back to them ("So your mate Brian..."), or "" when
    it is too short, a question, or too long to say back whole."""
    parts = sentences(person_words)
    if not parts or parts[-1].endswith("?"):
        return ""
    said = _TAIL.sub("", _FILLER.sub("", parts[-1]).rstrip(".!")).strip()
    words = said.split()
    if not _REFLECT_MIN_WORDS <= len(words) <= _REFLECT_MAX_WORDS or _HESITANT.search(said):
        return ""
    if not any(w.lower() in _SWAP for w in _WORD.findall(said)):
        return ""
    said = re.sub(r"\bI am\b", "you are", re.sub(r"\bI was\b", "you were", said))
    swapped = _WORD.sub(lambda m: _swap(m.group(0)), said)
    first = swapped.split(" ", 1)[0]
    if first.lower() in _LOWER_FIRST:
        swapped = swapped[:1].lower() + swapped[1:]
    return f"So {swapped}."


def lead(text: str) -> str:
    """The first sentence with some substance (skips openers such as 'Right.')."""
    parts = sentences(text) or [text]
    return next((part for part in parts if len(part.split()) >= 4), parts[0])


def gerund(verb: str) -> str:
    """'take' -> 'taking', 'stop' -> 'stopping', 'go' -> 'going' (regular English verbs)."""
    lower = verb.lower()
    if lower.endswith("ing") or not lower.isalpha():
        return verb
    if lower.endswith("ie"):
        return verb[:-2] + "ying"
    if lower.endswith("e") and not lower.endswith(("ee", "ye", "oe")) and len(lower) > 2:
        return verb[:-1] + "ing"
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", lower) and len(lower) <= 4:
        return verb + verb[-1] + "ing"
    return verb + "ing"


def third(verb: str) -> str:
    """'take' -> 'takes', 'go' -> 'goes', 'try' -> 'tries', 'have' -> 'has'."""
    lower = verb.lower()
    if lower == "have":
        return "has"
    if lower.endswith(("s", "sh", "ch", "x", "o")):
        return verb + "es"
    if lower.endswith("y") and lower[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def join_terms(terms: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(terms) < 2:
        return "".join(terms)
    return f"{', '.join(terms[:-1])} and {terms[-1]}"


def _split(text: str) -> tuple[str, str]:
    """The first word, and the rest with its leading space."""
    first, _, rest = text.strip().partition(" ")
    return first, f" {rest}" if rest else ""


def _object(text: str) -> str:
    """A question's remainder as the object of 'with': 'on any X' -> 'X'."""
    return re.sub(r"^(?:on|in|at)\s+", "", text.strip(), flags=re.I)


def _swap(word: str) -> str:
    swapped = _SWAP.get(word.lower())
    if swapped is None:
        return word
    return swapped.capitalize() if word[:1].isupper() and word.lower() != "i" else swapped


def _plain_case(term: str) -> str:
    """'Retrograde ejaculation' -> 'retrograde ejaculation'; 'BPH' and 'IPSS' stay."""
    return term if term[1:2].isupper() else term[:1].lower() + term[1:]


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]
