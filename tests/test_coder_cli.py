"""``rehearse code-utterances``, ``eval-coder`` and ``train-coder`` keep DESIGN.md section 9."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner, Result

from app.cli import cli
from app.domain.coding import CODE_BOOK

OUT_COLUMNS = ["id", "behaviour", "question_type", "reflection_type", "codes", "confidence"]
ANNOMI_HEADER = (
    "transcript_id,utterance_id,utterance_text,main_therapist_behaviour,question_subtype,"
    "reflection_subtype,prev_client_text"
)
ANNOMI_ROWS = [
    ("What brings you here today?", "", "question", "open", "n/a"),
    ("How do you feel about your drinking?", "I drink a bit.", "question", "open", "n/a"),
    ("What would you like to change?", "Not sure.", "question", "open", "n/a"),
    ("Do you smoke?", "", "question", "closed", "n/a"),
    ("Is that every day?", "I have a few beers.", "question", "closed", "n/a"),
    ("Did you take the tablets?", "Yes.", "question", "closed", "n/a"),
    ("You drink most nights.", "I drink most nights.", "reflection", "n/a", "simple"),
    ("You feel tired.", "I feel tired all the time.", "reflection", "n/a", "simple"),
    ("You're scared it's taking over.", "I drink a lot.", "reflection", "n/a", "complex"),
    ("Part of you wants to stop.", "I like it.", "reflection", "n/a", "complex"),
    ("Smoking raises the risk of heart disease.", "Okay.", "therapist_input", "n/a", "n/a"),
    ("The patch releases nicotine slowly.", "Right.", "therapist_input", "n/a", "n/a"),
    ("Okay.", "Yeah.", "other", "n/a", "n/a"),
    ("Mm-hmm.", "And then it got worse.", "other", "n/a", "n/a"),
    ("Thank you for coming in.", "Bye.", "other", "n/a", "n/a"),
]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def annomi(path: Path, transcripts: int = 3) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(ANNOMI_HEADER.split(","))
    for i, (text, prev, behaviour, qtype, rtype) in enumerate(ANNOMI_ROWS):
        writer.writerow([i % transcripts, i, text, behaviour, qtype, rtype, prev])
    return write(path, buffer.getvalue())


def test_code_utterances_writes_the_contract_columns(tmp_path: Path) -> None:
    source = write(
        tmp_path / "in.csv",
        "id,text,prev_text\n"
        'a1,"What brings you in today?",\n'
        'a2,"So you feel stuck, wanting to quit and scared of the stress.","I want to quit."\n'
        "a3,Okay.,Yeah.\n",
    )
    out = tmp_path / "out.csv"
    result = run("code-utterances", str(source), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == OUT_COLUMNS
    assert [row["id"] for row in rows] == ["a1", "a2", "a3"]
    for row in rows:
        assert row["behaviour"] in {"question", "reflection", "therapist_input", "other"}
        assert row["question_type"] in {"open", "closed", ""}
        assert row["reflection_type"] in {"simple", "complex", ""}
        assert (row["question_type"] != "") == (row["behaviour"] == "question")
        assert (row["reflection_type"] != "") == (row["behaviour"] == "reflection")
        codes = [code for code in row["codes"].split(";") if code]
        assert set(codes) <= set(CODE_BOOK)
        assert 0 < float(row["confidence"]) <= 1
    assert (rows[0]["behaviour"], rows[0]["question_type"]) == ("question", "open")
    assert "open_question" in rows[0]["codes"].split(";")


def test_code_utterances_is_deterministic_and_can_print(tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", "id,text,prev_text\n1,Do you smoke?,\n2,Right.,Hm.\n")
    first, second = run("code-utterances", str(source)), run("code-utterances", str(source))
    assert first.exit_code == 0, first.stderr
    assert first.stdout == second.stdout
    assert first.stdout.splitlines()[0] == ",".join(OUT_COLUMNS)


def test_code_utterances_names_the_file_and_the_missing_column(tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", "id,text\n1,Hello\n")
    result = run("code-utterances", str(source), "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 2
    assert "in.csv: missing column prev_text" in result.stderr
    assert not (tmp_path / "out.csv").exists()


def test_code_utterances_names_a_file_that_is_not_there(tmp_path: Path) -> None:
    result = run("code-utterances", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2
    assert "nope.csv: cannot read" in result.stderr


def test_eval_coder_prints_each_family_with_its_confusion_matrix(tmp_path: Path) -> None:
    result = run("eval-coder", str(annomi(tmp_path / "gold.csv")))
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    for family in ("behaviour", "question_type", "reflection_type"):
        line = next(line for line in text.splitlines() if line.startswith(family + ":"))
        assert all(word in line for word in ("accuracy", "macro-F1", "kappa"))
    assert "gold \\ coded" in text
    assert "therapist_input" in text


def test_eval_coder_json_has_the_figures_and_the_matrices(tmp_path: Path) -> None:
    result = run("eval-coder", str(annomi(tmp_path / "gold.csv")), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    behaviour = data["behaviour"]
    assert behaviour["n"] == len(ANNOMI_ROWS)
    assert sum(map(sum, behaviour["confusion"])) == len(ANNOMI_ROWS)
    assert 0 <= behaviour["accuracy"] <= 1
    assert data["question_type"]["columns"] == ["open", "closed", "none"]
    assert data["method"] == "trained+rules"


def test_eval_coder_cross_validates_by_transcript(tmp_path: Path) -> None:
    result = run("eval-coder", str(annomi(tmp_path / "gold.csv")), "--cv-folds", "3", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["method"] == "trained+rules, 3-fold CV by transcript"
    assert data["behaviour"]["n"] == len(ANNOMI_ROWS)


def test_eval_coder_refuses_more_folds_than_transcripts(tmp_path: Path) -> None:
    result = run("eval-coder", str(annomi(tmp_path / "gold.csv")), "--cv-folds", "4")
    assert result.exit_code == 2
    assert "folds" in result.stderr


def test_eval_coder_can_measure_the_rules_alone(tmp_path: Path) -> None:
    result = run("eval-coder", str(annomi(tmp_path / "gold.csv")), "--coder", "rules")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("coder: rules;")


def test_eval_coder_names_the_file_and_the_missing_column(tmp_path: Path) -> None:
    gold = write(tmp_path / "gold.csv", "transcript_id,utterance_text\n1,Hello\n")
    result = run("eval-coder", str(gold))
    assert result.exit_code == 2
    assert "gold.csv: missing columns main_therapist_behaviour" in result.stderr


def test_train_coder_writes_a_model_the_coder_can_use(tmp_path: Path) -> None:
    target = tmp_path / "model.json.gz"
    result = run("train-coder", str(annomi(tmp_path / "gold.csv")), "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert "trained on 15 utterances" in result.stdout
    again = tmp_path / "again.json.gz"
    assert run("train-coder", str(tmp_path / "gold.csv"), "-o", str(again)).exit_code == 0
    assert target.read_bytes() == again.read_bytes()
