"""Cues for relational talk: empathy, affirmation and normalisation (seeds B09-B11)."""

from __future__ import annotations

from app.scoring.rules.text import FEELING

EMPATHY_FEELING = FEELING + r"|low|down|alone|hurt|stuck|cross|awful|terrible"
# code -> regex alternatives (case-insensitive, word-bounded at the start). Keep each
# alternative free of a top-level "|" so that its required words can be read off it.
STRONG: dict[str, tuple[str, ...]] = {
    "empathy": (
        r"(?:that|this|it) (?:sounds|must be|must have been|seems|has been|is|was|sounds like "
        r"it(?:'s| has)? (?:was|is|been|has been))(?: really| so| very| quite| a bit| pretty)? "
        r"(?:hard|difficult|"
        r"tough|frightening|scary|upsetting|worrying|a lot to|a challenge|challenging|stressful|"
        r"overwhelming|exhausting|frustrating|awful|painful|distressing|a worry|a shock|"
        r"horrible|lonely|rough)",
        r"I can (?:see|imagine|understand|hear|appreciate|tell) (?:how|why|it's|this is|this "
        r"must|it must|that this|that it)",
        r"I(?:'m| am) (?:so |really |very )?sorry (?:to hear|that|you|about)",
        r"(?<!when )(?<!if )you(?:'re| are)? (?:seem|sound|look|feel|feeling|must (?:feel|be)|"
        r"must be feeling|"
        r"'ve been feeling|have been feeling|are feeling|'re feeling)(?: really| quite| a bit| "
        rf"a little| so| very| pretty| rather)? (?:{EMPATHY_FEELING})\b",
        r"you(?:'re| are) (?:really |quite |a bit |a little |so |very |pretty )?(?:worried|"
        r"anxious|scared|frightened|afraid|upset|frustrated|angry|sad|overwhelmed|stressed|"
        r"embarrassed|nervous|fed up|torn|concerned)",
        r"(?:it's|it is|that's|that is) (?:completely |perfectly |very |really )?"
        r"understandable",
        r"understandably",
        r"no wonder you(?:'re| are| feel)",
        r"(?:sounds|seems) (?:as though|as if|like) you (?:feel|felt|are feeling)",
        r"(?:it's|it has|this has|that's) been (?:a )?(?:really |very |such a |so )?(?:tough|"
        r"hard|difficult|rough|awful|horrible|painful|frightening) (?:time|few|year|couple|"
        r"months|weeks|road)",
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
        r"you(?:'re| are) (?:clearly |obviously |really |very |so )*(?:determined|committed|"
        r"resourceful|resilient|motivated|strong|brave|organised|organized|thoughtful|doing "
        r"(?:really |so )?well|doing a (?:great|good|fantastic) job)",
        r"you did (?:really |so )?(?:well|a great job|brilliantly)",
        r"I (?:really )?(?:appreciate|admire|respect) (?:you|your|that you|how you)",
        r"thank you for (?:sharing|being (?:so )?(?:open|honest)|telling me)",
        r"you(?:'re| are) (?:clearly |obviously )?(?:someone|a person) who (?:knows|cares|has|"
        r"really|never)",
        r"you (?:handled|coped with|managed|dealt with|did) (?:that|this|it|things) (?:really |"
        r"so |very )?well",
        r"you(?:'ve| have) (?:really )?thought (?:carefully|hard|a lot|it through)",
        r"(?:that's|that is|what) a (?:big|huge|real|great) (?:step|achievement)",
    ),
    "normalisation": (
        r"(?:lots of|many|most|a lot of|plenty of|some|other) (?:other )?(?:people|men|women|"
        r"patients|folks|others|families|carers)(?: who \w+)?(?: (?:in your|in a similar) "
        r"(?:position|situation|shoes))?(?: I(?:'ve| have)? (?:seen|supported|met|worked with|"
        r"spoken (?:to|with)))? (?:feel|find(?! (?:it |them |this |that )?(?:useful|helpful))|"
        r"say|tell me|worry|have had|have|experience|struggle|ask|are|go through|notice|"
        r"describe|had|need)",
        r"(?:that's|that is|it's|it is|this is|those are|these are|which is) (?:a )?(?:completely |"
        r"perfectly |very |really |quite |entirely |so )?(?:normal|common|natural|usual)",
        r"you(?:'re| are) (?:definitely |certainly |really )?not (?:the only one|alone)",
        r"(?:a |very )?common (?:concern|worry|question|feeling|reaction|experience)",
        r"(?:other|some|many) (?:people|men|women|patients|carers|families) I(?:'ve| have) "
        r"(?:supported|seen|worked with|spoken to|met)",
    ),
}

# Cues read as case-sensitive where a capital letter marks a name.
CASED: dict[str, tuple[str, ...]] = {}

# Weak cues: they add a code but lower the turn's confidence.
WEAK: dict[str, tuple[str, ...]] = {}
