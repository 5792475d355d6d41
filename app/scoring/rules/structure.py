"""Cues for the structure of the talk: introduction, agenda, screening, summary,
clarification and signposting (DESIGN.md section 5; seeds B01-B06, B14-B17)."""

from __future__ import annotations

_ROLE = (
    r"nurse|doctor|gp|physio\w*|pharmacist|consultant|surgeon|registrar|practitioner|worker|"
    r"coach|counsell?or|therapist|specialist|midwife|urologist|dietitian|student|clinician|"
    r"health visitor|paramedic|advisor|adviser|navigator|care coordinator|psychologist"
)
# code -> regex alternatives (case-insensitive, word-bounded at the start). Keep each
# alternative free of a top-level "|" so that its required words can be read off it.
STRONG: dict[str, tuple[str, ...]] = {
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
        r"hoping (?:we'd|we would|we could|to) (?:cover|talk about|discuss|focus on)",
        r"(?:like|want) (?:us )?to cover",
        r"we(?:'ve| have) got (?:until|till|to) (?:half past|quarter|\d+)",
        r"(?:like|want) (?:us )?to cover in (?:this|today's|our) (?:session|appointment|visit|"
        r"chat)",
        r"(?:get|want) (?:out of|from) (?:our|this|today's) (?:conversation|session|chat|"
        r"appointment|visit)",
        r"(?:get|want|hope to get) from (?:this|today's|our) (?:session|appointment|visit)",
        r"(?:things|anything)(?: else)? (?:on your list|you(?:'d| would) add)",
        r"what's on your (?:list|agenda)",
        r"on (?:your|the) list for today",
        r"(?:shall we|let's|let us) talk about today",
        r"how much time do you have",
        r"I(?:'d| would) like to (?:go through|cover|talk about) (?:a few|a couple of|some|two|"
        r"three) things today",
        r"(?:what|which)(?: of the things)?(?: on your list)? (?:shall|should) we (?:talk about|"
        r"cover|start with)",
        r"where would you like to start",
        r"what would make (?:today|today's \w+|this (?:visit|session|appointment)) worthwhile",
        r"the most important thing for us to cover",
    ),
    "screening": (
        r"anything else",
        r"something else",
        r"what else",
        r"any(?: other|thing more) (?:concerns?|worries|questions?|things?|issues?)",
        r"(?:is there|are there) (?:any )?(?:other|more) (?:things?|concerns?|questions?|"
        r"worries|issues?)",
    ),
    "summary": (
        r"(?:let me|can I|could I|I'll|I will|I'd like to|I want to|just to|I'll just|I'm "
        r"going to|let's) (?:try (?:and|to) |just |quickly )?(?:sum(?:mari[sz]e)?|recap|pull "
        r"(?:together|that together|all that together|this together)|go (?:back )?over what "
        r"(?:we|you)|bring (?:together|all that))",
        r"to sum(?:mari[sz]e)?(?: up)?",
        r"to recap",
        r"(?:let me|I'll|I will|I'm going to|I want to) (?:just )?recap",
        r"if I pull together",
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
        r"is that (?:right|correct)(?:\?|,)",
        r"did you say",
        r"let me check I(?:'ve| have) heard you",
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
        r"(?:hear|understand|talk|explain|go through|ask|tell you|share|look|run through|cover)",
        r"(?:first(?:ly)?|to start(?: with| off)?|next|now|then),? I(?:'d| would) like to "
        r"(?:talk|explain|go through|ask|tell you|share|look|run through|cover)",
        r"let me (?:just )?(?:explain|tell you (?:about|how|what)|go through|describe|talk you "
        r"through|run through)",
        r"I(?:'m| am) (?:going|about) to (?:talk|explain|go through|tell you|start|ask you|"
        r"share|run through|describe|outline|cover|move on)",
        r"I(?:'ll| will) (?:start by|go through|explain|talk (?:you )?through|come back to|run "
        r"through|outline)",
        r"let's (?:move on|turn to|come back to|start (?:with|by)|go through|talk about|look "
        r"at|think about)",
        r"moving on",
        r"before we (?:go on|move on|talk about|look at|decide|go any further)",
        r"(?:there are|I have|I've got) (?:a few|a couple of|some|two|three|\d+) (?:things|"
        r"questions|points) I(?:'d| would) like to",
        r"(?:put|get) you in touch with",
        r"(?:refer|signpost) you",
        r"(?:a )?referral to",
    ),
}

# Cues read as case-sensitive where a capital letter marks a name.
CASED: dict[str, tuple[str, ...]] = {
    "introduction": (
        r"\b(?i:I'm|I am) (?:(?i:dr)\.? |Doctor |Nurse )?[A-Z][a-z]+,?\s+(?i:and I'm )?"
        r"(?i:one of the|a|an|the|your)\b",
        r"^\W*(?i:hi|hello|hey|good morning|good afternoon|good evening)\b[\s,!.]*"
        r"(?i:there[\s,!.]*)?(?i:I'm|I am|it's) [A-Z][a-z]+\b",
    ),
}

# Weak cues: they add a code but lower the turn's confidence.
WEAK: dict[str, tuple[str, ...]] = {
    "introduction": (
        r"the (?:reason|purpose) (?:for|of) (?:our|this|today's|the) (?:chat|appointment|"
        r"meeting|conversation|consultation|visit|call)",
        r"I(?:'ve| have) been asked to (?:see|speak (?:to|with)|talk (?:to|with)) you",
    ),
    "signposting": (
        r"leaflets?",
        r"(?:local|carers'?|stop smoking|befriending|support|community|drop-in) (?:service|"
        r"centre|center|café|cafe|group|sessions?)s?",
        r"Age UK",
        r"(?:write down|give you) the (?:number|details)",
        r"websites?",
        r"helplines?",
        r"support (?:groups?|services?|organisations?|organizations?)",
        r"(?:local|community|peer|patient) (?:groups?|support|services?)",
        r"decision aids?",
        r"booklets?",
        r"information sheets?",
        r"link workers?",
        r"social prescri\w+",
        r"Macmillan(?! nurse)",
        r"Prostate Cancer UK",
        r"NHS website",
        r"charit(?:y|ies)",
    ),
}
