"""Cues for options and their BRAN content: option talk, benefits, risks,
alternatives and doing nothing (seeds B29-B30, 003:38)."""

from __future__ import annotations

# code -> regex alternatives (case-insensitive, word-bounded at the start). Keep each
# alternative free of a top-level "|" so that its required words can be read off it.
STRONG: dict[str, tuple[str, ...]] = {
    "option_talk": (
        r"(?:there are|we have|you have|you've got|there's|we've got) (?:a few|several|some|two|"
        r"three|four|a number of|\d+|different|a couple of|a range of|various|a choice "
        r"of)(?: \w+)? (?:options|choices|ways|approaches|treatments|possibilities|alternatives|"
        r"things (?:we|you) (?:could|can) do)",
        r"(?:there is|there's|you have|it's|this is) (?:a |an )?(?:choice|decision|real choice|"
        r"open choice)(?: to (?:be )?made| here| for you| between)?",
        r"(?:one|another|the other|the first|the second|the third|a second|a third|a further) "
        r"(?:option|choice|possibility|approach|treatment|route|way)",
        r"the (?:options|choices)(?: for (?:\w+ ){1,2}?)? (?:are|include|would be|we have)",
        r"(?:you|we) (?:could|can|might) (?:also )?(?:either|choose|decide|opt)",
        r"you (?:do )?have (?:some |a few |several |other )?(?:options|choices|a choice)",
        r"both (?:are|would be) (?:possible|reasonable|options|fine)",
        r"(?:options|a choice|choices) (?:here|for you)",
        r"(?:if|should) you (?:decide|choose)",
        r"(?:these|those|both|all) (?:are|would be) (?:all )?(?:options|reasonable)",
        r"either\b.{1,80}\bor",
        r"(?:both|all|these|those|each of the|any of the|of the) (?:options|choices|approaches)",
        r"which (?:option|one|of these|of those|treatment|approach)",
        r"(?:prefer|rather)\b[^.?!]{1,60}\bor\b",
    ),
    "benefits": (
        r"(?:benefits?|advantages?|upsides?|pros|plus sides?|positives?)\b",
        r"(?:reduces?|lowers?|cuts?|halves?) (?:the|your) (?:chance|risk|likelihood)",
        r"(?:improves?|improvement|relief|relieves?\b|eases?|(?<!would it )(?<!does it )(?<!will "
        r"it )(?<!might it )(?<!that )helps? (?:with|to|your)|works? well|"
        r"helps? (?:most |many |a lot of |some )?(?:men|women|people|patients)|"
        r"effective|success rate|chance of (?:it working|improvement|success|getting better))",
        r"(?:good|better|faster|quick(?:er)?) (?:results?|outcomes?|recovery|control|flow)",
        r"(?:helps?|help) (?:to )?(?:stop|prevent|reduce|the \w+ (?:get|to))",
        r"so (?:the|your) \w+ (?:is|are|gets?|will be) (?:stronger|better|easier|less)",
    ),
    "risks": (
        r"(?<!reduce the )(?<!reduces the )(?<!lower the )(?<!lowers the )(?<!cuts the )risks?\b",
        r"side[- ]effects?",
        r"complications?",
        r"downsides?",
        r"disadvantages?",
        r"drawbacks?",
        r"cons\b",
        r"(?:could|can|may|might) (?:cause|lead to|result in|affect|damage|make you (?:drowsy|"
        r"dizzy|sick|tired|unsteady)|irritate|raise|slow|increase)",
        r"harm(?:ful|less)",
        r"problems? (?:getting|with (?:erections?|leaking|bleeding))",
        r"(?:narrows?|damages?) (?:the|your)",
        r"(?:more|less) likely to (?:fall|bleed|get|have)",
        r"make (?:falls|infections?|bleeding) more likely",
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
        r"rather than(?! (?:later|a \w+$|a (?:one|two|three|four|five|six|seven|eight|nine|ten)))",
        r"another (?:is|would be)",
        r"the other (?:option|choice|possibility)",
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
        r"(?:choose|chose|decide|opt|prefer) not to (?:have|take|start|go ahead|treat)",
        r"(?:leave|leaving|keep|keeping|kept) things as they are",
        r"not (?:do|doing) anything",
        r"(?:not|no) treating",
        r"(?:if|what if) (?:you|we) (?:don't|do not|didn't|did not) (?:do anything|have (?:the|"
        r"any) (?:treatment|operation|surgery)|treat)",
    ),
}

# Cues read as case-sensitive where a capital letter marks a name.
CASED: dict[str, tuple[str, ...]] = {}

# Weak cues: they add a code but lower the turn's confidence.
WEAK: dict[str, tuple[str, ...]] = {}
