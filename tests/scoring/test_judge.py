"""The optional LLM judge: schema-checked replies, real quotes, bounded retries, fallbacks.

Most tests drive the judge with ``FakeChatModel`` replies; the last ones run it against a
real OpenAI-compatible HTTP server on 127.0.0.1 that answers with canned chat completions,
so the LangChain structured-output path (``response_format`` json_schema, and the json_object
fallback after an HTTP 500) is exercised end to end, including through the CLI.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

import httpx
import openai
import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.config import ScoringMethod, Settings
from app.content.prompts import PromptLibrary
from app.content.rubrics import load_rubric
from app.domain.coding import Behaviour, TurnCoding
from app.domain.conversation import Speaker
from app.domain.rubric_rules import CODE_BOOK, RULE_CODES, LevelName
from app.domain.scorecard import ScoreCard
from app.domain.transcript import Transcript, TranscriptTurn
from app.llm.base import LLMUnavailable
from app.llm.fake import FakeChatModel
from app.scoring.engine import score
from app.scoring.judge.asking import Asker
from app.scoring.judge.backends import ChatModelBackend, refuses_json_schema
from app.scoring.judge.codes import codes_prompt
from app.scoring.judge.quotes import locate
from app.scoring.judge.schemas import CodeName
from app.scoring.judge.scorer import score_transcript, score_with_judge
from tests.support.loopback import Posted, Reply, serve_posts

REPO = Path(__file__).resolve().parents[2]
PROMPTS = PromptLibrary(REPO / "prompts")
MECC = load_rubric(REPO / "rubrics" / "mecc-brief.yaml")
SDM = load_rubric(REPO / "rubrics" / "sdm-core.yaml")
PERSON_CENTRED = REPO / "tests" / "fixtures" / "transcripts" / "person_centred.json"

TURNS = [
    ("practitioner", "Hello, I'm Sam, one of the nurses. What matters most to you about "
     "your knee?"),
    ("person", "Being able to walk the dog."),
    ("practitioner", "Walking the dog really matters to you. There are a few options, including "
     "waiting to see how it goes."),
    ("person", "What would you do?"),
    ("practitioner", "Can I share what other people have found? Physiotherapy often helps and "
     "has few risks."),
    ("person", "OK, that sounds worth a try."),
]  # fmt: skip
TRANSCRIPT = Transcript(
    scenario=None, turns=[TranscriptTurn(speaker=Speaker(s), text=t) for s, t in TURNS]
)


class FakeCoder:
    """Codes a turn with the code names written in it (none here): the rules' stand-in."""

    method = "fake"

    def code(self, text: str, prev_text: str = "") -> TurnCoding:
        codes = [word for word in text.split() if word in RULE_CODES]
        return TurnCoding(behaviour=Behaviour.OTHER, codes=codes, method=self.method)


def codes_reply(**changes: Any) -> str:
    """A valid codes reply for TRANSCRIPT; ``changes`` replaces whole turn entries by index."""
    turns: dict[int, list[dict[str, str]]] = {
        0: [
            {"code": "introduction", "quote": "I'm Sam, one of the nurses"},
            {"code": "open_question", "quote": "What matters most to you about your knee?"},
            {"code": "what_matters", "quote": "what matters most to you"},  # case differs
        ],
        2: [
            {"code": "complex_reflection", "quote": "Walking the dog really matters to you"},
            {"code": "option_talk", "quote": "There are a few options"},
            {"code": "do_nothing", "quote": "waiting to see how it goes"},
        ],
        4: [
            {"code": "ask_permission", "quote": "Can I share what other people have found?"},
            {"code": "benefits", "quote": "Physiotherapy often helps"},
            {"code": "risks", "quote": "has few risks"},
        ],
    }
    for key, value in changes.items():
        turns[int(key.removeprefix("turn"))] = value
    return json.dumps({"turns": [{"turn": i, "codes": c} for i, c in sorted(turns.items())]})


def criteria_reply(rubric: Any = MECC, level: str = "established", **evidence: Any) -> str:
    """A valid criteria reply: every criterion at ``level`` with a quote from turn 0."""
    entries = [
        {
            "id": c.id,
            "level": level,
            "evidence": evidence.get(
                c.id.replace("-", "_"), [{"turn": 0, "quote": "What matters most to you"}]
            ),
            "rationale": f"You asked about what matters ({c.id}).",
        }
        for c in rubric.criteria
    ]
    return json.dumps({"criteria": entries})


def asker(model: FakeChatModel, attempts: int = 3) -> Asker:
    return Asker(backend=ChatModelBackend(model), prompts=PROMPTS, attempts=attempts)


async def judged(model: FakeChatModel, rubric: Any = MECC, attempts: int = 3) -> ScoreCard:
    return await score_with_judge(TRANSCRIPT, rubric, FakeCoder(), asker(model, attempts))


def practitioner(card: ScoreCard) -> list[Any]:
    return [t for t in card.turns if t.speaker is Speaker.PRACTITIONER]


# --- schema and prompts ------------------------------------------------------------------


def test_the_schema_names_exactly_the_code_book() -> None:
    assert get_args(CodeName) == CODE_BOOK


def test_the_codes_prompt_defines_every_code_and_numbers_the_turns() -> None:
    source = (REPO / "prompts" / "judge_codes.j2").read_text(encoding="utf-8")
    assert [code for code in CODE_BOOK if f"\n- {code}: " not in source] == []
    prompt = codes_prompt(asker(FakeChatModel()), TRANSCRIPT)
    assert "[3] person: What would you do?" in prompt
    assert "every practitioner turn (0, 2, 4)" in prompt
    assert '"CodesReply"' in prompt  # the schema's title: the JSON schema is in the prompt


async def test_the_criteria_prompt_has_every_level_descriptor_and_the_codes() -> None:
    model = FakeChatModel(codes_reply(), criteria_reply())
    await judged(model)
    prompt = model.calls[1].messages[-1].content
    for criterion in MECC.criteria:
        assert f'Criterion "{criterion.id}"' in prompt
        assert criterion.levels.exemplary.what_it_is_not in prompt
    assert "(codes: introduction, open_question, what_matters)" in prompt
    assert "[1] person: Being able to walk the dog." in prompt


# --- quotes ------------------------------------------------------------------------------

TEXT = "So, what matters most to you  when you think about it? I\u2019m here to help."


@pytest.mark.parametrize(
    ("quote", "found"),
    [
        ("what matters most to you", "what matters most to you"),
        ("What Matters most to you when", "what matters most to you  when"),
        ('"I\'m here to help."', "I\u2019m here to help."),
        ("what matter most to you", "what matters most to you"),
        (
            "what matters most ... think about it",
            "what matters most to you  when you think about it",
        ),
    ],
)
def test_near_quotes_are_repaired_to_the_turns_own_words(quote: str, found: str) -> None:
    assert locate(quote, TEXT) == found


@pytest.mark.parametrize(
    "quote",
    ["you should have the operation", "what matters most to your family", "", "...", "I am here"],
)
def test_invented_quotes_are_not_found(quote: str) -> None:
    assert locate(quote, TEXT) is None


# --- the judge with fake models ----------------------------------------------------------


async def test_a_valid_judgement_fills_the_card_with_the_judges_codes_and_levels() -> None:
    model = FakeChatModel(codes_reply(), criteria_reply(level="emerging"))
    card = await judged(model)
    first, second, third = practitioner(card)
    assert first.codes == ["introduction", "open_question", "what_matters"]
    assert first.evidence["what_matters"] == "What matters most to you"  # the turn's own case
    assert third.codes == ["ask_permission", "benefits", "risks"]
    assert {t.method for t in practitioner(card)} == {"judge"}
    assert second.reaction == "What would you do?"
    assert [c.level for c in card.criteria] == [LevelName.EMERGING] * len(MECC.criteria)
    ask = card.criteria[0]
    assert ask.method == "judge"
    assert ask.evidence_turns == [0]
    assert ask.quotes[0].reaction == "Being able to walk the dog."
    descriptors = MECC.criteria[0].levels
    assert ask.feedback.startswith(f"Emerging: {descriptors.emerging.descriptor}")
    assert "You asked about what matters (ask)." in ask.feedback
    assert 'Seen at turn 0 ("What matters most to you").' in ask.feedback
    assert ask.feedback.endswith(f"Next step: {descriptors.established.descriptor}")
    assert card.scoring.model_dump() == {
        "requested": "judge",
        "codes": "judge",
        "criteria": "judge",
        "model": "fake",
        "notes": [],
    }
    assert card.coder == "judge"
    # The figures come from the judge's codes: one open question, one complex reflection.
    assert card.summary.percent_open_questions == 100.0
    assert card.summary.reflection_question_ratio == 1.0
    assert card.summary.bran.do_nothing
    assert not card.summary.bran.alternatives
    assert len(model.calls) == 2
    assert all(call.temperature == 0.0 for call in model.calls)


async def test_the_export_says_which_method_made_each_code_and_level() -> None:
    card = await judged(FakeChatModel(codes_reply(), criteria_reply()))
    out = card.export()
    assert [t["method"] for t in out["turns"]] == ["judge", None] * 3
    assert {c["method"] for c in out["criteria"]} == {"judge"}
    assert out["scoring"]["criteria"] == "judge"


async def test_a_reply_that_is_not_json_is_retried_with_the_problem() -> None:
    model = FakeChatModel("Sure! Here are the codes.", codes_reply(), criteria_reply())
    card = await judged(model)
    assert len(model.calls) == 3
    retry = model.calls[1].messages
    assert retry[-2].content == "Sure! Here are the codes."
    assert "the reply is not JSON" in retry[-1].content
    assert card.scoring.codes == "judge"
    assert card.scoring.notes == []


async def test_a_reply_breaking_the_schema_is_retried() -> None:
    bad = codes_reply(turn0=[{"code": "lecturing", "quote": "Hello"}])
    model = FakeChatModel(bad, codes_reply(), criteria_reply())
    card = await judged(model)
    assert "turns.0.codes.0.code: Input should be 'introduction'" in (
        model.calls[1].messages[-1].content
    )
    assert practitioner(card)[0].codes == ["introduction", "open_question", "what_matters"]


async def test_markdown_fences_around_the_json_are_accepted() -> None:
    model = FakeChatModel(f"```json\n{codes_reply()}\n```", criteria_reply())
    card = await judged(model)
    assert len(model.calls) == 2
    assert card.scoring.codes == "judge"


async def test_an_invented_quote_is_sent_back_and_the_retry_is_used() -> None:
    invented = codes_reply(turn4=[{"code": "advice", "quote": "You should do physio"}])
    model = FakeChatModel(invented, codes_reply(), criteria_reply())
    card = await judged(model)
    problem = 'turn 4, advice: the quote "You should do physio" is not in that turn'
    assert problem in model.calls[1].messages[-1].content
    assert "advice" not in practitioner(card)[2].codes
    assert card.scoring.notes == []


async def test_an_invented_quote_on_the_last_attempt_drops_only_that_code() -> None:
    invented = codes_reply(
        turn4=[
            {"code": "advice", "quote": "You should do physio"},
            {"code": "risks", "quote": "has few risks"},
        ]
    )
    model = FakeChatModel(invented, invented, criteria_reply())
    card = await judged(model, attempts=2)
    assert practitioner(card)[2].codes == ["risks"]
    assert card.scoring.codes == "judge"
    (note,) = card.scoring.notes
    assert note.startswith("Codes: left out, as its quote was not found: turn 4, advice:")


async def test_a_missing_turn_every_time_falls_back_to_the_coder() -> None:
    missing = json.dumps({"turns": [{"turn": 0, "codes": []}]})
    model = FakeChatModel(missing, missing, missing, criteria_reply())
    card = await judged(model)
    assert "practitioner turn(s) 2, 4 are missing" in model.calls[1].messages[-1].content
    assert {t.method for t in practitioner(card)} == {"fake"}
    assert card.scoring.codes == "fake"
    assert card.scoring.criteria == "judge"
    (note,) = card.scoring.notes
    assert note.startswith("The judge could not code the turns (no valid reply in 3 attempt(s)")
    assert note.endswith("the fake coder coded them.")


async def test_criteria_the_rubric_lacks_every_time_fall_back_to_the_rules() -> None:
    wrong = json.dumps(
        {"criteria": [{"id": "kindness", "level": "exemplary", "evidence": [], "rationale": "."}]}
    )
    model = FakeChatModel(codes_reply(), wrong, wrong)
    card = await judged(model, attempts=2)
    retry = model.calls[2].messages[-1].content
    assert "'kindness' is not a criterion of this rubric" in retry
    assert "criteria ask, advise-with-permission, assist, listening, no-lecturing are missing" in (
        retry
    )
    assert card.scoring.codes == "judge"
    assert card.scoring.criteria == "rules"
    assert {c.method for c in card.criteria} == {"rules"}
    judge_codes = {
        t.index: TurnCoding(
            behaviour=Behaviour.OTHER, codes=t.codes, evidence=t.evidence, method="judge"
        )
        for t in practitioner(card)
    }
    rules = score(TRANSCRIPT, MECC, FakeCoder(), judge_codes)
    assert card.criteria == rules.criteria  # the rules, over the judge's codes
    assert "the rubric's rules did." in card.scoring.notes[-1]


async def test_criteria_evidence_from_a_person_turn_or_invented_is_left_out() -> None:
    model = FakeChatModel(
        codes_reply(),
        criteria_reply(ask=[{"turn": 1, "quote": "walk the dog"}]),
        criteria_reply(
            ask=[{"turn": 1, "quote": "walk the dog"}, {"turn": 2, "quote": "a few options"}]
        ),
    )
    card = await judged(model, attempts=2)
    assert 'ask: the quote "walk the dog" (turn 1) is not in a practitioner turn' in (
        model.calls[2].messages[-1].content
    )
    ask = card.criteria[0]
    assert [(q.turn, q.words) for q in ask.quotes] == [(2, "a few options")]
    assert ask.evidence_turns == [2]
    assert card.scoring.criteria == "judge"
    assert len(card.scoring.notes) == 1


async def test_an_unreachable_judge_falls_back_to_the_rules_entirely() -> None:
    down = LLMUnavailable("Could not reach the judge.")
    model = FakeChatModel(down, down, down, down, down, down)
    card = await judged(model)
    rules = score(TRANSCRIPT, MECC, FakeCoder())
    assert card.criteria == rules.criteria
    assert card.turns == rules.turns
    assert card.scoring.requested == "judge"
    assert (card.scoring.codes, card.scoring.criteria) == ("fake", "rules")
    assert len(card.scoring.notes) == 2
    assert "Could not reach the judge." in card.scoring.notes[0]
    assert len(model.calls) == 6


async def test_no_practitioner_turns_needs_no_judge() -> None:
    only_person = Transcript(turns=[TranscriptTurn(speaker=Speaker.PERSON, text="Hi")])
    model = FakeChatModel()
    card = await score_with_judge(only_person, MECC, FakeCoder(), asker(model))
    assert model.calls == []
    assert card.scoring.criteria == "rules"


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, prompts_dir=REPO / "prompts", **values)  # type: ignore[call-arg, arg-type]


def test_the_rules_are_the_default_and_never_call_a_model() -> None:
    assert Settings(_env_file=None).scoring_method is ScoringMethod.RULES  # type: ignore[call-arg]
    model = FakeChatModel()
    backend = ChatModelBackend(model)
    card = score_transcript(TRANSCRIPT, MECC, FakeCoder(), settings(), backend=backend)
    assert model.calls == []
    assert card.scoring.requested == "rules"
    assert card == score(TRANSCRIPT, MECC, FakeCoder())


def test_the_setting_chooses_the_judge() -> None:
    model = FakeChatModel(codes_reply(), criteria_reply())
    card = score_transcript(
        TRANSCRIPT,
        MECC,
        FakeCoder(),
        settings(scoring_method="judge", judge_attempts=1),
        backend=ChatModelBackend(model),
    )
    assert card.scoring.criteria == "judge"
    assert len(model.calls) == 2


def status_error(status: int, message: str) -> openai.APIStatusError:
    response = httpx.Response(status, request=httpx.Request("POST", "http://127.0.0.1/v1"))
    return openai.APIStatusError(message, response=response, body=None)


@pytest.mark.parametrize(
    ("status", "message", "refused"),
    [
        (500, "Internal Server Error", True),  # llama-cpp-python's server
        (400, "Unsupported value: response_format.type json_schema", True),
        (422, "json_schema: unknown field", True),
        (400, "This model's maximum context length is 8192 tokens", False),
        (503, "overloaded", False),
        (401, "Incorrect API key", False),
    ],
)
def test_which_errors_mean_no_json_schema(status: int, message: str, refused: bool) -> None:
    assert refuses_json_schema(status_error(status, message)) is refused


# --- a real OpenAI-compatible server on loopback -----------------------------------------

Answer = tuple[int, str]  # HTTP status, and the assistant's content (or the error body)


@dataclass
class CannedJudge:
    """Serves /v1/chat/completions on 127.0.0.1: queued answers first, then ``answer``."""

    base_url: str = ""
    queue: list[Answer] = field(default_factory=list)
    answer: Callable[[dict[str, Any]], Answer] | None = None
    requests: list[dict[str, Any]] = field(default_factory=list)

    def respond(self, body: dict[str, Any]) -> Answer:
        self.requests.append(body)
        if self.queue:
            return self.queue.pop(0)
        assert self.answer is not None, "no canned answer left"
        return self.answer(body)


@pytest.fixture
def server() -> Iterator[CannedJudge]:
    canned = CannedJudge()

    def respond(posted: Posted) -> Reply:
        status, content = canned.respond(posted.body)
        if status == 200:
            payload: dict[str, Any] = {
                "id": "c1",
                "object": "chat.completion",
                "created": 1,
                "model": posted.body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
        else:
            payload = {"error": {"message": content}}
        return Reply(status, "application/json", json.dumps(payload).encode())

    with serve_posts(respond) as base_url:
        canned.base_url = base_url
        yield canned


def wants(body: dict[str, Any]) -> str:
    """Which reply a request asks for: 'codes' or 'criteria' (from the prompt's wording)."""
    prompt = body["messages"][1]["content"]  # after the system message
    return "codes" if prompt.startswith("Code each practitioner turn") else "criteria"


def http_settings(server: CannedJudge, **values: object) -> Settings:
    return settings(llm_base_url=server.base_url, llm_model="judge-model", **values)


def test_over_http_an_invalid_first_reply_is_retried_with_json_schema(
    server: CannedJudge,
) -> None:
    server.queue = [(200, '{"turns": "none"}'), (200, codes_reply()), (200, criteria_reply())]
    card = score_transcript(TRANSCRIPT, MECC, FakeCoder(), http_settings(server), "judge")
    assert len(server.requests) == 3
    first, retry, criteria = server.requests
    assert first["model"] == "judge-model"
    assert first["temperature"] == 0.0
    assert first["response_format"]["type"] == "json_schema"
    assert first["response_format"]["json_schema"]["name"] == "CodesReply"
    assert first["response_format"]["json_schema"]["strict"] is True
    schema = first["response_format"]["json_schema"]["schema"]
    assert schema["additionalProperties"] is False
    assert retry["messages"][-2] == {"role": "assistant", "content": '{"turns": "none"}'}
    assert "turns: Input should be a valid list" in retry["messages"][-1]["content"]
    assert criteria["response_format"]["json_schema"]["name"] == "CriteriaReply"
    assert (card.scoring.codes, card.scoring.criteria) == ("judge", "judge")
    assert card.scoring.model == "judge-model"
    assert card.scoring.notes == []


def test_over_http_a_500_on_json_schema_switches_to_json_object(server: CannedJudge) -> None:
    server.queue = [
        (500, "response_format json_schema is not supported"),
        (200, codes_reply()),
        (200, criteria_reply()),
    ]
    card = score_transcript(TRANSCRIPT, MECC, FakeCoder(), http_settings(server), "judge")
    formats = [r.get("response_format") for r in server.requests]
    assert formats[0]["type"] == "json_schema"
    assert formats[1:] == [{"type": "json_object"}, {"type": "json_object"}]
    assert (card.scoring.codes, card.scoring.criteria) == ("judge", "judge")
    (note,) = card.scoring.notes
    assert "refused JSON-schema output (HTTP 500)" in note


def test_over_http_a_server_that_keeps_failing_leaves_the_rules(server: CannedJudge) -> None:
    server.answer = lambda body: (503, "overloaded")
    card = score_transcript(
        TRANSCRIPT, MECC, FakeCoder(), http_settings(server, judge_attempts=2), "judge"
    )
    assert len(server.requests) == 4
    assert (card.scoring.codes, card.scoring.criteria) == ("fake", "rules")
    assert "refused the request: HTTP 503" in card.scoring.notes[0]


def fixture_answer(body: dict[str, Any]) -> Answer:
    """Valid replies for the person-centred fixture, whatever is asked."""
    transcript = json.loads(PERSON_CENTRED.read_text(encoding="utf-8"))
    turns = transcript["turns"]
    if wants(body) == "codes":
        entries = []
        for index, turn in enumerate(turns):
            if turn["speaker"] == "practitioner":
                words = " ".join(turn["text"].split()[:4])
                entries.append(
                    {"turn": index, "codes": [{"code": "open_question", "quote": words}]}
                )
        return 200, json.dumps({"turns": entries})
    return 200, criteria_reply(
        SDM,
        level="exemplary",
        **{c.id.replace("-", "_"): [{"turn": 1, "quote": "My name is Sam"}] for c in SDM.criteria},
    )


def test_the_cli_method_flag_runs_the_judge(
    server: CannedJudge, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.answer = fixture_answer
    monkeypatch.setenv("REHEARSE_LLM_BASE_URL", server.base_url)
    monkeypatch.setenv("REHEARSE_LLM_MODEL", "judge-model")
    monkeypatch.setenv("REHEARSE_RUBRICS_DIR", str(REPO / "rubrics"))
    result = CliRunner().invoke(cli, ["score-transcript", str(PERSON_CENTRED), "--method", "judge"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    out = json.loads(result.stdout)
    assert list(out)[:3] == ["turns", "criteria", "summary"]
    spoken = [t for t in out["turns"] if t["speaker"] == "practitioner"]
    assert {t["method"] for t in spoken} == {"judge"}
    assert all(t["codes"] == ["open_question"] for t in spoken)
    assert {c["level"] for c in out["criteria"]} == {"exemplary"}
    assert {c["method"] for c in out["criteria"]} == {"judge"}
    assert out["summary"]["percent_open_questions"] == 100.0
    assert out["scoring"]["requested"] == "judge"


def test_the_cli_says_on_stderr_when_the_judge_fell_back(
    server: CannedJudge, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.answer = lambda body: (200, "I cannot help with that.")
    monkeypatch.setenv("REHEARSE_LLM_BASE_URL", server.base_url)
    monkeypatch.setenv("REHEARSE_SCORING_METHOD", "judge")
    monkeypatch.setenv("REHEARSE_JUDGE_ATTEMPTS", "1")
    monkeypatch.setenv("REHEARSE_RUBRICS_DIR", str(REPO / "rubrics"))
    result = CliRunner().invoke(cli, ["score-transcript", str(PERSON_CENTRED)])
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{PERSON_CENTRED}: The judge could not code the turns")
    assert "the rubric's rules did." in lines[1]
    out = json.loads(result.stdout)
    assert {c["method"] for c in out["criteria"]} == {"rules"}
    assert out["scoring"]["requested"] == "judge"
    assert len(server.requests) == 2
