"""Cues for the person's own view: what matters, strengths, involvement in the decision
and goal setting (seeds B22-B25, B40-B42)."""

from __future__ import annotations

# code -> regex alternatives (case-insensitive, word-bounded at the start). Keep each
# alternative free of a top-level "|" so that its required words can be read off it.
STRONG: dict[str, tuple[str, ...]] = {
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
        r"how (?:do|would) you feel about (?:the (?:idea|risk|thought|chance|prospect)|taking|"
        r"having|leaving|being|surgery|the operation|an operation|the (?:tablets|treatment))",
        r"how do you feel about (?:each|any|all) of (?:the|these|those) (?:options|choices)",
        r"what (?:would|do) you most (?:want|like|hope)",
        r"what do you (?:most )?want to avoid",
        r"what makes a good day",
        r"what are you hoping (?:the|that|this|we|will)",
        r"what would you love to",
        r"what (?:are|were) your (?:thoughts|initial thoughts) (?:on|about)",
        r"how (?:would|do) you weigh up",
        r"what are you (?:most )?(?:concerned|worried) about",
        r"what are your hopes",
        r"how would (?:that|it) feel",
        r"(?:what|which)(?: \w+)? (?:feels|seems|sounds) right for you",
    ),
    "strengths": (
        r"what (?:has|'s|have) (?:worked|helped)(?: well)?(?: for you)?(?: before| in the past|"
        r" so far)?",
        r"what ideas do you have",
        r"what (?:are|would you say are) your (?:strengths|skills)",
        r"what (?:strengths|skills)",
        r"what (?:has )?helped you (?:do it|stop|get through|through|cope|manage|before)",
        r"what(?:'s| has) helped you",
        r"how do you (?:manage|cope|deal with|look after)",
        r"who (?:are the people|can you|could you) (?:you can )?(?:rely|call|turn) (?:on|to)",
        r"(?:the people|someone|anyone) you can rely on",
        r"what do you already do",
        r"what (?:has made|made) the biggest difference",
        r"what would work (?:best )?for you",
        r"what are you (?:good at|already doing)",
        r"what are you doing that you find helpful",
        r"how (?:have|did) you (?:managed?|coped?|cope|got through|get through|dealt with|deal "
        r"with)",
        r"who (?:supports|helps) you(?! (?:make|decide|with (?:the )?decisions?))",
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
        r"(?:decide|work (?:this|it) out|make (?:a|the|this) decision) together(?! what| how we)",
        r"(?:it's|it is|this is|that's) (?:your|entirely your|completely your) (?:decision|"
        r"choice|call)",
        r"(?:the )?(?:decision|choice) is (?:yours|up to you|entirely yours)",
        r"whatever you (?:decide|choose)",
        r"(?:anyone|someone) you(?:'d| would) like to (?:talk|speak|discuss)",
        r"who (?:would you like|do you want) me to (?:speak|talk) (?:to|with)",
        r"part of (?:these|the|this|those) (?:conversations?|decisions?|planning|discussions?)",
        r"how do you(?: and your \w+)? (?:usually )?make (?:decisions|choices|big decisions)",
        r"(?:as )?involved as you (?:want|would like|wish)",
        r"(?:talk|speak) to your \w+ as well",
        r"(?:helps?|help) you (?:make|with) (?:decisions|the decision|big decisions)",
        r"(?:would you like|do you want) (?:your|someone|anyone)(?: \w+)? (?:here|there|with "
        r"you|to come)",
        r"(?:how|would you like) (?:would you like )?to be involved",
        r"how (?:decisions|the decision|choices) (?:are|is|get) made",
        r"discuss (?:it|this|things) with your",
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
        r"quit date",
        r"(?:one |a )?small (?:thing|step) you (?:could|can|might) (?:do|try)",
        r"(?:the|your) plan(?:,)? (?:is|in your words)",
        r"how will you know (?:if|when|that|the)",
        r"what (?:do|would) you want to be able to do by",
        r"what would success look like",
        r"when (?:do|would) you (?:want|like) to (?:start|set|begin)",
        r"what target",
        r"what do you think you need to do next",
        r"what(?:'s| is) the next step",
        r"what will you (?:do|try) (?:tomorrow|first|next)",
        r"what would you like (?:your goal|to aim for)",
        r"what would you like to aim",
    ),
}

# Cues read as case-sensitive where a capital letter marks a name.
CASED: dict[str, tuple[str, ...]] = {}

# Weak cues: they add a code but lower the turn's confidence.
WEAK: dict[str, tuple[str, ...]] = {
    "goal_setting": (r"(?:next|first) steps?",),
}
