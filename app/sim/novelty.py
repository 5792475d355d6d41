"""Does a reply add a clinical fact that is not in the scenario? A simple detector.

Small models invent details ("my PSA was 12", "they gave me tamsulosin"). A reply adds a
clinical fact when it names a clinical term (a test, a treatment, a drug-like word, a
condition, a dose) or a number that appears nowhere in the scenario file's text. Used by
``rehearse bench`` to compare persona modes, and by the reply checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.scenario import Scenario
from app.sim.cache import PerScenario
from app.sim.text import stem, words

_DRUG_SUFFIXES = (
    r"osin|asteride|olol|pril|sartan|statin|azole|cillin|mycin|oxacin|tidine|prazole|afil|"
    r"mab|tinib|formin|gliptin|parin|xaban|codone|azepam|oxetine|aline|adol|profen|etamol|"
    r"codamol|oxen|pentin|gabalin|triptyline"
)
_CLINICAL = re.compile(
    r"\b(?:[a-z]{3,}(?:"
    + _DRUG_SUFFIXES
    + r")|codeine|morphine|aspirin|insulin|warfarin|mg|mcg|ml|mmol|psa|mri|ct scan|scans?|"
    r"biops(?:y|ies)|ultrasound|x-?rays?|ecg|blood tests?|chemo(?:therapy)?|radiotherapy|"
    r"radiation|hormones?|catheters?|turp|laser|prostatectomy|resection|tumou?rs?|cancers?|"
    r"malignan\w*|benign|metasta\w*|diabet\w*|infections?|sepsis|strokes?|dementia|"
    r"parkinson'?s|incontinen\w*|retention|kidneys?|bladder|urethra\w*|antibiotics?|"
    r"steroids?|doses?|dosage|prescri\w+|diagnos\w+|stage \w+|grade \w+|milligrams?|"
    r"injections?|operations?|surgery|surgeon|tablets?|pills?|medications?|medicines?|"
    # Conditions and body parts a small model attaches to the wrong person ("my knee" for a
    # back-pain patient, "a heart attack" for a lonely widow): seen in the persona-mode study.
    r"heart attacks?|heart failure|angina|asthma|copd|emphysema|arthritis|alzheimer'?s|"
    r"epilepsy|seizures?|hypertension|blood pressure|cholesterol|fractures?|knees?|hips?|"
    r"ankles?|shoulders?|wrists?|foot|feet|lungs?|liver|chest pains?)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?")


_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
} | {
    word: str(value)
    for value, word in zip(
        range(30, 100, 10), "thirty forty fifty sixty seventy eighty ninety".split(), strict=True
    )
}


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings(item)]
    return [str(value)] if isinstance(value, int | float) and not isinstance(value, bool) else []


@dataclass(frozen=True)
class Vocabulary:
    """The stems and numbers a reply may use without adding a clinical fact."""

    stems: frozenset[str]
    numbers: frozenset[str]

    @classmethod
    def of(cls, text: str) -> Vocabulary:
        """Everything ``text`` says; number words count as their digits ("three" is 3)."""
        tokens = words(text)
        spelled = {_NUMBER_WORDS[w] for w in tokens if w in _NUMBER_WORDS}
        numbers = frozenset(_NUMBER.findall(text)) | spelled
        return cls(frozenset(stem(w) for w in tokens), numbers)

    def plus(self, text: str) -> Vocabulary:
        """This vocabulary and that of ``text`` (e.g. what the practitioner has said)."""
        other = Vocabulary.of(text)
        return Vocabulary(self.stems | other.stems, self.numbers | other.numbers)

    def novel(self, text: str) -> list[str]:
        """Clinical terms and numbers in ``text`` that this vocabulary lacks."""
        found = [
            match.group(0)
            for match in _CLINICAL.finditer(text)
            if not all(stem(w) in self.stems for w in words(match.group(0)))
        ]
        return found + [number for number in _NUMBER.findall(text) if number not in self.numbers]


def _vocabulary(scenario: Scenario) -> Vocabulary:
    return Vocabulary.of("\n".join(_strings(scenario.model_dump())))


vocabulary_of = PerScenario(_vocabulary)
"""The vocabulary of everything a scenario file says, built once per scenario."""


def novel_clinical_terms(scenario: Scenario, text: str, context: str = "") -> list[str]:
    """Clinical terms and numbers in ``text`` that neither the scenario nor ``context`` has.

    ``context`` is what was said in the conversation: a person may repeat a term the
    practitioner used ("an MRI? what's that?") without inventing anything.
    """
    vocabulary = vocabulary_of(scenario)
    return (vocabulary.plus(context) if context else vocabulary).novel(text)
