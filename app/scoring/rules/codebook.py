"""The codes the rule coder reports, in code-book order, and the groups its rules use."""

from __future__ import annotations

from app.domain.coding import CODE_BOOK

# The order codes are reported in: the order of the code book.
CODE_ORDER: tuple[str, ...] = CODE_BOOK
RANK = {code: i for i, code in enumerate(CODE_ORDER)}

# Codes that make a sentence information or advice rather than a reflection or other talk.
INPUT_CODES = frozenset(
    {
        "giving_information",
        "advice",
        "option_talk",
        "benefits",
        "risks",
        "alternatives",
        "do_nothing",
        "persuade",
    }
)
# Content about options; stated, it is also information.
OPTION_CONTENT = ("option_talk", "benefits", "risks", "alternatives", "do_nothing")
# Questions that only check in around information; they do not make an information turn a
# question.
TRAILER_CODES = ("chunk_check", "ask_permission", "clarification")
# Codes that on their own make a statement social talk ("other"), not information.
SOCIAL_CODES = frozenset(
    {
        "introduction",
        "agenda_setting",
        "affirmation",
        "empathy",
        "normalisation",
        "summary",
        "signposting",
        "screening",
        "clarification",
        "involvement",
    }
)
