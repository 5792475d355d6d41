"""Cues for pressure and blame: persuading and judging (seed B37, the "what it is not"
lists).

Persuasion is advice given with pressure, so the coder also codes every persuading turn as
advice (docs/fine-codes.md); judgement blames or dismisses and needs no action.
"""

from __future__ import annotations

# "What do you think you should do?" asks for the person's view; it does not push one.
NOT_ASKED = r"(?<!think )(?<!feel )(?<!believe )(?<!what )(?<!telling )(?<!told )"
# "You should have come sooner" blames the past; "You must be tired" guesses a feeling.
_NOT_PAST = (
    r"(?! have (?:\w+ed|come|done|known|told|gone|been|seen|taken|had|thought|said|let)\b)"
    r"(?! (?:decide|choose)\b)"
)
# you should / must / need to / have to, the directive at the heart of pushing.
DIRECTIVE = (
    rf"{NOT_ASKED}you (?:really |absolutely |definitely |just )?(?:should|must(?! be\b)|"
    rf"need to|have to|ought to|'ve got to|have got to)\b{_NOT_PAST}"
)
_JUDGED = (
    r"silly|ridiculous|irresponsible|stupid|foolish|nonsense|unreasonable|daft|lazy|"
    r"unhealthy|selfish|careless|reckless"
)

# code -> regex alternatives (case-insensitive, word-bounded at the start). Keep each
# alternative free of a top-level "|" so that its required words can be read off it.
STRONG: dict[str, tuple[str, ...]] = {
    "persuade": (
        DIRECTIVE,
        r"you(?:'ve| have) got to\b",
        r"you(?:'d| had) better",
        r"I(?:'m| am) (?:telling|warning) you",
        r"if you (?:don't|do not|keep|carry on|continue) (?:\w+ ){0,5}(?:you'll|you will|"
        r"it will|it'll|it won't|you could|you might|things will|you may|the \w+ (?:won't|will))",
        r"(?:it's|it is) (?:really |very |absolutely )?(?:important|essential|vital|crucial) "
        r"(?:that you|for you to)",
        r"trust me",
        r"believe me",
        r"(?:the sensible|the right|the only|the obvious)(?: sensible| real| right)? (?:thing|"
        r"choice|option|decision) (?:is|would be|to)",
        r"(?:it's|that's) the (?:obvious|only sensible|right) (?:choice|option|thing)",
        r"I (?:strongly )?(?:urge|insist)",
        r"there(?:'s| is) no (?:point|reason) (?:in )?(?:waiting|worrying|delaying)",
        r"(?:otherwise|or else) (?:you|it)(?:'ll| will| could| might)",
        r"you(?:'ll| will) (?:end up|regret|be sorry)",
        r"don't you think (?:you|it)(?:'d| would)",
        r"you(?:'d| would) (?:agree|be better off)",
        r"surely you (?:can see|know|agree|must)",
        r"you could lose",
    ),
    "judgement": (
        r"(?<!you )(?<!to )(?<!me )(?<!him )(?<!her )(?<!them )(?<!helps )(?<!help )calm down",
        r"you (?:need|have|ought|must|should) (?:to )?(?:just )?calm down",
        r"you(?:'re| are) being (?:really |so |very |a bit |just )?(?:silly|ridiculous|"
        r"difficult|unreasonable|stubborn|irrational|dramatic|naive|irresponsible|paranoid|"
        r"childish|lazy|foolish|over\w+)",
        rf"(?:that's|that is|it's|it is|that was|it was) (?:just |a bit |really |quite |rather )?"
        rf"(?:a |an )?(?:really |very |bit )?(?:{_JUDGED})",
        r"(?:it's|it is|that's|that is) (?:all )?your (?:own )?fault",
        r"whose fault",
        r"you (?:only )?have (?:only )?yourself to blame",
        r"you (?:should|shouldn't|should not) have (?:\w+ed|come|done|known|told|gone|been|seen|"
        r"taken|had|thought|said|let)\b",
        r"why (?:didn't|haven't|hadn't|won't|wouldn't) you (?:just )?(?:been )?(?:come|listen|"
        r"stop|take|do|tell|go|see|try|doing|taking|using)",
        r"you(?:'re| are) (?:overreacting|exaggerating|making a fuss)",
        r"don't be (?:so )?(?:silly|daft|dramatic|ridiculous|soft)",
        r"(?:there's|there is) no need to (?:get|be) (?:upset|so upset|worked up|emotional)",
        r"stop worrying",
        r"what were you thinking",
        r"you (?:never|always) (?:listen|do|take|come|follow)",
        r"I(?:'m| am) (?:disappointed|surprised) (?:in |with |that )?you",
        r"you(?:'ve| have) let (?:things|it|yourself) (?:get|go)",
    ),
}

# Cues read as case-sensitive where a capital letter marks a name.
CASED: dict[str, tuple[str, ...]] = {}

# Weak cues: they add a code but lower the turn's confidence.
WEAK: dict[str, tuple[str, ...]] = {}
