"""Validation messages a trainer can act on: plain words, the right line, all at once."""

from __future__ import annotations

from pathlib import Path

from app.content.scenarios import load_scenario
from tests.content.test_scenarios import edited, issues_of, write

HIDDEN = [
    "hidden_facts:",
    "  - id: lonely",
    "    fact: Sam has been lonely since his brother moved away.",
    '    keywords: ["lonely", "my brother"]',
    "    release:",
    "      - any_of: [open_question]",
    "    say: I've been lonely since my brother moved away.",
    "  - id: money",
    "    fact: Sam cannot afford the heating.",
    '    keywords: ["heating", "afford"]',
    "    release:",
    "      - any_of: [empathy]",
    "    say: I can't afford the heating.",
]
DECISION = [
    "decision:",
    "  question: whether to join a walking group",
    "  options:",
    "    - id: join",
    "      name: Join the group",
    "      person_view: {benefits: [company]}",
    "      clinical_view: {benefits: [activity]}",
    "    - id: swim",
    "      name: Go swimming",
    "      person_view: {benefits: [quiet]}",
    "      clinical_view: {benefits: [activity]}",
    "  values: [company]",
    "  risk_attitude: Careful.",
    "  informed_preference: {option: stay-home, why: he is shy}",
]


def test_no_pydantic_prefix_and_a_suggestion_for_a_misspelt_code(tmp_path: Path) -> None:
    path = write(tmp_path, edited(replace={19: "    - codes: [empathi]"}))
    [issue] = issues_of(path)
    assert issue.startswith(
        f"{path}:19: scripted.lines.1.codes.0: 'empathi' is not a code in the code book "
        "(did you mean 'empathy'?). Codes: introduction,"
    )
    assert "Value error" not in issue


def test_an_unknown_key_name_in_a_mapping_is_named_with_the_allowed_ones(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        edited(insert_after={14: ["state:", "  reactions:", "    premature_advise: cross"]}),
    )
    [issue] = issues_of(path)
    assert issue.startswith(
        f"{path}:17: state.reactions: unknown key name: 'premature_advise' is not a code or an "
        "engine signal (did you mean 'premature_advice'?)"
    )
    assert "engine signals: role_break, closed_question_run, premature_advice, lecture" in issue
    assert "[key]" not in issue
    assert "Value error" not in issue


def test_text_that_reads_as_a_key_value_pair_says_to_quote_it(tmp_path: Path) -> None:
    path = write(tmp_path, edited(insert_after={11: ["  knows:", "    - Dignity: being seen"]}))
    assert issues_of(path) == [
        f"{path}:13: person.knows.0: this line reads as a key: value pair (YAML takes the text "
        "before ': ' as a key); put the text in quotes, e.g. - \"Dignity: being seen\""
    ]


def test_reference_mistakes_come_with_schema_errors_in_one_run(tmp_path: Path) -> None:
    hidden = [*HIDDEN]
    hidden[5] = "      - any_of: [open_question]\n        after_facts: [debts]"
    text = edited(replace={9: "  age: old"}, insert_after={14: [*hidden, *DECISION]})
    path = write(tmp_path, text)
    issues = issues_of(path)
    assert issues[0] == (
        f"{path}:9: person.age: Input should be a valid integer, "
        "unable to parse string as an integer"
    )
    assert any(
        ":21: hidden_facts.0.release.0.after_facts.0: there is no hidden fact 'debts' "
        "(hidden facts: lonely, money)" in issue
        for issue in issues
    )
    assert any("decision.options: no option has do_nothing: true" in issue for issue in issues)
    assert any(
        "decision.informed_preference.option: there is no option 'stay-home' (options: join, swim)"
        in issue
        for issue in issues
    )
    assert len(issues) == 4


def test_a_keyword_in_prompt_text_is_reported_at_the_line_holding_the_word(
    tmp_path: Path,
) -> None:
    about = [
        "  about: >-",
        "    Sam is sixty and walks every day, rain or shine, with",
        "    his brother's old dog. He can't afford the heating.",
    ]
    path = write(tmp_path, edited(replace={10: "\n".join(about)}, insert_after={14: HIDDEN}))
    assert issues_of(path) == [
        f"{path}:12: person.about: 'heating', a keyword of hidden fact 'money', is in this line, "
        "which every prompt contains (person, setting, opening line or open facts), so the "
        "fact could never be kept back; reword this line or choose another keyword",
        f"{path}:12: person.about: 'afford', a keyword of hidden fact 'money', is in this line, "
        "which every prompt contains (person, setting, opening line or open facts), so the "
        "fact could never be kept back; reword this line or choose another keyword",
    ]


def test_a_release_line_naming_another_fact_released_later_is_an_error(tmp_path: Path) -> None:
    hidden = [*HIDDEN]
    hidden[6] = (
        "    say: >-\n"
        "      I've been lonely since my brother moved away.\n"
        "      And the heating is off."
    )
    path = write(tmp_path, edited(insert_after={14: hidden}))
    assert issues_of(path) == [
        f"{path}:23: hidden_facts.0.say: 'heating' is a keyword of hidden fact 'money', and "
        "'lonely' can be released before 'money', so this line would give it away; reword the "
        "line, or add after_facts: [money] to every release condition of 'lonely'"
    ]


def test_a_release_line_may_name_a_fact_always_released_before_it(tmp_path: Path) -> None:
    hidden = [*HIDDEN]
    hidden[6] = "    say: I've been lonely since my brother moved away. And the heating is off."
    hidden[5] = "      - any_of: [open_question]\n        after_facts: [money]"
    path = write(tmp_path, edited(insert_after={14: hidden}))
    assert [fact.id for fact in load_scenario(path).hidden_facts] == ["lonely", "money"]


def test_a_cued_line_naming_a_hidden_keyword_is_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        edited(
            replace={22: "      say: I am worried about the heating."}, insert_after={14: HIDDEN}
        ),
    )
    assert issues_of(path) == [
        f"{path}:35: scripted.lines.2.say: 'heating' is a keyword of hidden fact 'money', and a "
        "cued line can be said before that fact is released (it would never be chosen until "
        "then); reword the line, or let the fact's own say line carry it"
    ]
