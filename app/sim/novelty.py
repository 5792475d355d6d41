"""Does a reply add a clinical fact that is not in the scenario? A simple detector.

Small models invent details ("my PSA was 12", "they gave me tamsulosin"). A reply adds a
clinical fact when it names a clinical term (a test, a treatment, a drug-like word, a
condition, a dose) or a number that appears nowhere in the scenario file's text. Used by
``rehearse bench`` to compare persona modes, and by the reply checks.
"""

from __future__ import annotations

import re

from app.domain.scenario import Scenario
from app.sim.cache import PerScenario
from app.sim.text import stem, words

_DRUG_SUFFIXES = (
    r"osin|asteride|olol|pril|sartan|statin|azole|cillin|mycin|oxacin|tidine|prazole|afil|"
    r"mab|tinib|formin|gliptin|parin|xaban|codone|azepam|oxetine|aline"
)
_CLINICAL = re.compile(
    r"\b(?:[a-z]{3,}(?:" + _DRUG_SUFFIXES + r")|mg|mcg|ml|mmol|psa|mri|ct scan|scans?|"
    r"biops(?:y|ies)|ultrasound|x-?rays?|ecg|blood tests?|chemo(?:therapy)?|radiotherapy|"
    r"radiation|hormones?|catheters?|turp|laser|prostatectomy|resection|tumou?rs?|cancers?|"
    r"malignan\w*|benign|metasta\w*|diabet\w*|infections?|sepsis|strokes?|dementia|"
    r"parkinson'?s|incontinen\w*|retention|kidneys?|bladder|urethra\w*|antibiotics?|"
    r"steroids?|doses?|dosage|prescri\w+|diagnos\w+|stage \w+|grade \w+|milligrams?|"
    r"injections?|operations?|surgery|surgeon|tablets?|pills?|medications?|medicines?)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?")


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings(item)]
    return [str(value)] if isinstance(value, int | float) and not isinstance(value, bool) else []


def _vocabulary(scenario: Scenario) -> tuple[frozenset[str], frozenset[str]]:
    text = "\n".join(_strings(scenario.model_dump()))
    return frozenset(stem(w) for w in words(text)), frozenset(_NUMBER.findall(text))


vocabulary_of = PerScenario(_vocabulary)
"""The stems and numbers of everything a scenario file says, built once per scenario."""


def novel_clinical_terms(scenario: Scenario, text: str) -> list[str]:
    """Clinical terms and numbers in ``text`` that the scenario never mentions."""
    stems, numbers = vocabulary_of(scenario)
    novel = [
        match.group(0)
        for match in _CLINICAL.finditer(text)
        if not all(stem(w) in stems for w in words(match.group(0)))
    ]
    novel += [number for number in _NUMBER.findall(text) if number not in numbers]
    return novel
