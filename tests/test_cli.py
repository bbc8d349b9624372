"""The command line: each command on a real index, its exit codes and its JSON."""
import json

import pytest

from rag.cli import main
from rag.config import PROJECT_ROOT, SEEDS_DIR, SETTINGS

SEED = SEEDS_DIR / "002_4c19ce5fe45cd86e.txt"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_quotes_needs_no_index_and_gives_exact_offsets(capsys):
    code, out, _ = run(capsys, "quotes", SEED, "--json")
    assert code == 0
    [article] = json.loads(out)
    text = SEED.read_text(encoding="utf-8")
    assert article["quotes"]
    for q in article["quotes"]:
        assert text[q["start"]:q["end"]] == q["text"]
    wenbin = [q for q in article["quotes"] if "تلك الدول التي سترسل رياضيين" in q["text"]]
    assert [q["speaker_id"] for q in wenbin] == ["wang-wenbin"]


def test_quotes_reports_a_bad_file_with_exit_code_1(capsys, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    code, _, err = run(capsys, "quotes", bad)
    assert code == 1 and "bad.txt" in err


@pytest.fixture(scope="module")
def index(tmp_path_factory, embedder):
    path = tmp_path_factory.mktemp("cli") / "index"
    assert main(["--index", str(path), "ingest", str(SEEDS_DIR)]) == 0
    return path


def test_ingest_report_and_exit_code_on_failure(capsys, index, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    code, out, _ = run(capsys, "--index", index, "ingest", SEEDS_DIR, tmp_path, "--json")
    report = json.loads(out)
    assert code == 1
    assert report["unchanged"] == 5 and report["added"] == 0
    assert [reason for _, reason in report["failed"]] == ["empty file"]


def test_ingest_into_a_log_file_prints_progress_lines_with_eta(capsys, index, monkeypatch):
    monkeypatch.setattr("rag.cli.LOG_EVERY_SECONDS", 0)  # capsys' stderr is no terminal
    code, _, err = run(capsys, "--index", index, "ingest", SEEDS_DIR)
    lines = [line for line in err.splitlines() if " items · " in line]
    assert code == 0
    assert [line.split()[0] for line in lines] == ["1/5", "2/5", "3/5", "4/5", "5/5"]
    assert all("ETA" in line for line in lines)


def test_ingest_into_a_locked_index_fails_before_loading_the_model(capsys, tmp_path, lock_holder, monkeypatch):
    loads = []
    monkeypatch.setattr("rag.qawl.load_embedder", lambda settings: loads.append(settings))
    monkeypatch.setenv("QAWL_LOCK_TIMEOUT", "0")
    code, _, err = run(capsys, "--index", tmp_path / "index", "ingest", SEEDS_DIR)
    assert code == 2 and err.startswith(f"qawl: error: Another Qawl process is writing to {tmp_path / 'index'} ")
    assert loads == []


def test_speakers_lists_counts_with_group_members(capsys, index):
    code, out, _ = run(capsys, "--index", index, "speakers", "--json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert code == 0
    assert rows["vladimir-putin"]["quotes"] >= 10
    assert rows["wang-wenbin"]["quotes"] >= 1
    # «الوزيران» after a Lavrov–Wang Yi meeting counts for both ministers
    assert any(r["kind"] == "group" for r in rows.values())


def test_ask_json_cites_the_asked_speaker(capsys, index):
    code, out, _ = run(capsys, "--index", index, "ask", "What did Wang Wenbin say about the boycott?", "--json")
    answer = json.loads(out)
    assert code == 0 and answer["found"]
    assert {c["speaker_id"] for c in answer["citations"]} == {"wang-wenbin"}


def test_search_and_stats(capsys, index):
    code, out, _ = run(capsys, "--index", index, "search", "حجم التبادل التجاري", "-k", "1", "--json")
    assert code == 0 and "حجم التبادل التجاري" in json.loads(out)[0]["text"]
    code, out, _ = run(capsys, "--index", index, "stats", "--json")
    assert json.loads(out)["articles"] == 5


def test_errors_are_messages_not_tracebacks(capsys, index):
    code, _, err = run(capsys, "--index", index, "ask", "   ")
    assert code == 2 and err.startswith("qawl: error: The question is empty")
    code, _, err = run(capsys, "--embedding-model", "/no/such/model", "--index", index, "search", "x")
    assert code == 2 and "not available offline" in err


@pytest.mark.parametrize("variable, value, message", [
    ("QAWL_EMBEDDING_BACKEND", "cuda", "QAWL_EMBEDDING_BACKEND must be one of auto, openvino, torch, not 'cuda'."),
    ("QAWL_EMBEDDING_PRECISION", "int4", "QAWL_EMBEDDING_PRECISION must be one of auto, float32, bfloat16, not 'int4'."),
    ("QAWL_BATCH_SIZE", "many", "QAWL_BATCH_SIZE must be a number (int), not 'many'."),
])
def test_a_bad_setting_is_named_with_its_valid_values(capsys, monkeypatch, tmp_path, variable, value, message):
    monkeypatch.setenv(variable, value)
    code, out, err = run(capsys, "--index", tmp_path / "index", "stats")
    assert code == 2 and err == f"qawl: error: {message}\n" and not out


def test_every_setting_is_documented_in_the_readme():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert [s.env for s in SETTINGS if s.env not in readme] == []
