"""Jargon: technical terms and acronyms used without a plain explanation (seed B21)."""

from __future__ import annotations

import re

from app.scoring.rules.matching import compile_cue

_I = re.IGNORECASE

_TERMS = (
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
    r"hypotension",
    r"postural",
    r"carcinoma\w*",
    r"infarct\w*",
    r"anticoagula\w+",
    r"(?:partial )?(?:ant)?agonists?",
    r"nicotinic",
    r"syringe driver",
    r"aspiration",
    r"ischa?emi\w+",
    r"thromb\w+",
    r"emboli\w*",
    r"lumbar",
    r"vertebra\w*",
    r"cognitive",
    r"(?:bi|uni|ipsi)lateral",
    r"residual",
    r"degenerative",
    r"curative",
)
# Word shapes of medical terms: -ectomy, -itis, -pathy, -phagia, drug-name endings and so on.
_SHAPES = re.compile(
    r"\b[a-z]{3,}(?:ectom(?:y|ies)|otomy|ostomy|plasty|scopy|itis|a?emia|pathy|plegia|paresis|"
    r"phagia|phasia|uria|algia|stenosis|metry|lysis|azolam|azepam|olol|pril|sartan|parin|"
    r"xaban|gliflozin|icline|prazole|ectasis)\b"
)
# Everyday words with those shapes, and acronyms everyone knows.
_LAY = frozenset(
    """arthritis osteoarthritis bronchitis tonsillitis appendicitis conjunctivitis sympathy
    empathy apathy telepathy anaemia anemia leukaemia leukemia analysis paralysis symmetry
    geometry""".split()
)
_LAY_ACRONYMS = frozenset(
    "NHS GP GPs OK UK TV ID AM PM BBC COVID DVD USA EU PIN IT ENT CPR AI".split()
)
# Two or more capitals, at least half the letters: PSA, eGFR, HbA1c, FEV1, DNACPR.
_ACRONYM_SHAPE = re.compile(r"\b[A-Za-z][A-Za-z0-9]{1,6}\b")
_JARGON = compile_cue("jargon", tuple(t + r"\b" for t in _TERMS), strong=True, cased=False)
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
    r"(?: for (?:this|that|it))? is|\b(?:we|doctors|they|nurses|people) call"
    r"(?: this| that| it)?)(?: an?| the)?\s*[\"']?$",
    _I,
)


def unexplained_jargon(norm: str, original: str, lower: str, prev_lower: str) -> list[str]:
    """Technical terms used without a plain explanation, in order of first appearance.

    A term is explained when a definition follows it ("PSA, which is...", "TURP (an
    operation...)", "BPH is a...") or it is introduced by name ("what is called BPH"); a term
    the person used first is theirs and not counted.
    """
    spans = [m.span() for m in _JARGON.pattern.finditer(lower)] if _JARGON.may_match(lower) else []
    spans.extend(m.span() for m in _ACRONYMS.finditer(norm))
    spans.extend(m.span() for m in _SHAPES.finditer(lower) if m.group(0) not in _LAY)
    spans.extend(m.span() for m in _ACRONYM_SHAPE.finditer(norm) if _is_acronym(m.group(0)))
    terms: list[str] = []
    covered = -1
    for start, end in sorted(spans):
        if start < covered:
            continue  # inside a longer term already judged
        covered = end
        word = original[start:end]
        if word in terms or word.lower() in prev_lower:
            continue
        if _EXPLAINED_AFTER.match(norm, end) or _EXPLAINED_BEFORE.search(
            norm, max(0, start - 50), start
        ):
            continue
        terms.append(word)
    return terms


def _is_acronym(word: str) -> bool:
    capitals = sum(c.isupper() for c in word)
    letters = sum(c.isalpha() for c in word)
    return capitals >= 2 and capitals * 2 >= letters and word not in _LAY_ACRONYMS
