"""Cues for information giving and checking: ask permission, information, advice,
chunk-and-check and teach-back (seeds B18-B20)."""

from __future__ import annotations

from app.scoring.rules.pressure import DIRECTIVE

# code -> regex alternatives (case-insensitive, word-bounded at the start). Keep each
# alternative free of a top-level "|" so that its required words can be read off it.
STRONG: dict[str, tuple[str, ...]] = {
    "ask_permission": (
        r"(?:would|will|is) it be (?:ok|okay|alright|all right) (?:if|for me to|with you if)",
        r"(?:is it|would it be|is that|would that be) (?:ok|okay|alright|all right|fine) "
        r"(?:if|to|for me to|with you if)",
        r"(?:can|could|may|might) I (?:just )?(?:share|tell you|give you|offer|suggest|explain|"
        r"mention|make a suggestion|run through|go through|talk (?:to you )?about|add|show you)",
        r"do you mind if (?:I|we)",
        r"(?:would|do) you (?:like|want) (?:me to (?:tell|explain|share|go through|give|talk "
        r"(?:you )?(?:through|about)|describe|run)|some (?:information|more information|ideas|"
        r"suggestions)|(?:to )?(?:hear|know) (?:more|about|some|what|how))",
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
        r"what (?:way|format) would be best for you to (?:take|get|receive|have)",
        r"would you find it (?:useful|helpful) if I",
        r"would it help if I (?:explained|went through|told you|shared)",
        r"would you like to hear (?:them|it|about|more|what|my)",
        r"(?:I have|I've got) (?:some )?(?:thoughts|ideas|suggestions)\b.{0,40}would you like",
        r"what do you (?:already )?understand about",
        r"is (?:now|this|today) a good time to (?:talk|go through|discuss)",
        r"what (?:did|has) (?:the|your) \w+ (?:tell|told|say|said)(?: to)? you",
        r"what have you been told",
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
        r"a few|several|one|two|three|an hour|a day|a week|a month)",
        r"(?:usually|typically|normally|generally|commonly|on average),? (?:people|patients|"
        r"men|women|it|this|the|most)",
        r"(?:we|doctors|they) (?:usually|normally|generally|often|typically) (?:recommend|"
        r"offer|do|suggest|find|see)",
        r"(?:is|are) (?:caused|used|given|done|carried out|measured|called) (?:by|to|for|as|"
        r"under|in|with)",
        r"(?:it's|it is|this is|that's) (?:called|known as)",
        r"the (?:results?|test|scan|biopsy) (?:shows?|showed|came back)",
        r"the (?:results?|test|scan|biopsy|x-ray|blood tests?) (?:were|was|is|are) (?:normal|"
        r"clear|fine|abnormal|raised|high|low)",
    ),
    "advice": (
        r"I(?:'d| would) (?:strongly )?(?:recommend|suggest|advise|encourage)\b",
        r"I (?:recommend|suggest|advise)\b",
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
        DIRECTIVE,
        r"try (?:to|and) (?:cut|drink|eat|avoid|reduce|keep|take|get|stop|limit)",
        r"you(?:'ll| will) need to",
        r"you (?:could|can) (?:also |always |just )?(?:try|use|start|ask|call|take|talk to|join|"
        r"cut down|book|consider)",
        r"what I(?:'d| would) like you to do",
        r"(?:would be|is) (?:the )?best (?:option )?for you",
        r"what I(?:'d| would) do is",
        r"how would you feel about (?:adding|trying|doing|starting|using|going|cutting|joining)",
        r"have you (?:thought about|considered) (?:not |the |a |an |having |using )",
        r"(?:try|remember) (?:to )?(?:stand|get up|sit|keep|take|drink|use|pace|move)",
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
        r"(?:are you|is that) (?:happy|okay|ok|alright|all right|comfortable) with (?:that|this|"
        r"all that|all this|what I(?:'ve| have) said)(?: so far)?\s*\?",
        r"how are you finding (?:all )?(?:this|that|the) (?:information|explanation)",
        r"shall I (?:stop|pause) (?:there|for a (?:moment|minute|second))",
        r"does that answer your question",
        r"have I explained (?:that|this|it|things) (?:clearly|well)",
        r"any questions about (?:that|this|what)",
        r"questions about what we(?:'ve| have) covered",
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
        r"(?:tell|explain|run|talk|say|go|walk)(?: \w+){0,5} back (?:to me|with me|through)",
        r"(?:tell|say|repeat) (?:me )?back\b",
        r"(?:can|could) you (?:explain|show) (?:to )?me how you(?:'ll| will| would)",
        r"so (?:that )?I (?:know|can check) I(?:'ve| have) (?:explained|shown|been clear|got it)",
        r"I can check I(?:'ve| have) (?:explained|been clear)",
        r"so I know (?:it|that) made sense",
        r"(?:main|most important) things? you(?:'ll| will) take away",
        r"what have you found most (?:important|useful|helpful)",
    ),
}

# Cues read as case-sensitive where a capital letter marks a name.
CASED: dict[str, tuple[str, ...]] = {}

# Weak cues: they add a code but lower the turn's confidence.
WEAK: dict[str, tuple[str, ...]] = {}
