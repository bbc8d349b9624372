"""Qawl as an installed package: the wheel holds what ``qawl ask`` and ``qawl eval`` need, and
an installed ``qawl`` works from any folder with its index in the user's data folder.

The wheel is built from a copy of the sources (nothing is written into the checkout) and
installed without dependencies into a temporary folder; it runs on this environment's
dependencies, so the test needs no network and stays fast.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rag import run_attribution_eval
from rag.evaluate import shared_corpus_dir

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "rag", "ui")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The folder the wheel was installed into (``--target``)."""
    tmp = tmp_path_factory.mktemp("package")
    source = tmp / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", tmp / "dist", source],
                   check=True, capture_output=True)
    [wheel] = (tmp / "dist").glob("qawl-*.whl")
    target = tmp / "site"
    subprocess.run([*pip, "install", "--no-deps", "--no-index", "--target", target, wheel], check=True, capture_output=True)
    return target


def qawl(installed: Path, *args: str, home: Path) -> subprocess.CompletedProcess:
    """The installed ``qawl`` script, run in ``home/elsewhere`` with no index setting."""
    env = {k: v for k, v in os.environ.items() if k not in ("QAWL_INDEX", "QAWL_SEEDS", "QAWL_CHROMA_URL")}
    env |= {"PYTHONPATH": str(installed), "XDG_DATA_HOME": str(home / "data"), "QAWL_SHARED": str(shared_corpus_dir().parent.parent)}
    cwd = home / "elsewhere"
    cwd.mkdir(exist_ok=True)
    return subprocess.run([sys.executable, installed / "bin" / "qawl", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def test_the_wheel_holds_the_seeds_gold_and_question_sets(installed):
    data = installed / "rag" / "data"
    assert len(list((data / "seeds").glob("*.txt"))) == 5
    assert (data / "gold" / "seeds_attributions.json").is_file()
    assert {p.name for p in (ROOT / "rag" / "data" / "gold").glob("saudinewsnet_*.json")} \
        == {p.name for p in (data / "gold").glob("saudinewsnet_*.json")} != set()
    assert {p.name for p in (ROOT / "rag" / "data").glob("qa_*.json")} == {p.name for p in data.glob("qa_*.json")} != set()
    assert (installed / "rag" / "resources" / "speakers.yaml").is_file()
    assert (installed / "ui" / "qawl.css").is_file()
    assert not (installed / "tests").exists() and not (installed / "seeds").exists()


def test_installed_qawl_answers_from_any_folder_with_its_index_in_the_data_folder(installed, tmp_path, embedder):
    probe = subprocess.run([sys.executable, "-c", "import rag, ui; print(rag.__file__); print(ui.__file__)"],
                           cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(installed)}, capture_output=True, text=True)
    assert all(line.startswith(str(installed)) for line in probe.stdout.split()), probe.stdout  # not the checkout

    done = qawl(installed, "ask", "What did Wang Yi say about Ukraine?", "--json", home=tmp_path)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["found"] and {c["speaker_id"] for c in answer["citations"]} == {"wang-yi"}
    assert all(c["url"].startswith(str(installed / "rag" / "data" / "seeds")) for c in answer["citations"])

    stats = qawl(installed, "stats", "--json", home=tmp_path)
    index = tmp_path / "data" / "qawl" / "index"
    assert json.loads(stats.stdout)["location"] == str(index) and json.loads(stats.stdout)["articles"] == 5
    assert index.is_dir() and not (tmp_path / "elsewhere" / "index").exists()


def test_an_index_folder_in_the_working_folder_is_used(installed, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "index").mkdir()
    stats = qawl(installed, "stats", "--json", home=tmp_path)
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["location"] == str(tmp_path / "elsewhere" / "index")


def test_installed_eval_attribution_gives_the_checkouts_numbers(installed, tmp_path):
    done = qawl(installed, "eval", "attribution", "--json", home=tmp_path)
    assert done.returncode == 0, done.stderr
    installed_scores = json.loads(done.stdout)
    assert "seeds" in installed_scores
    if shared_corpus_dir().exists():
        assert {"saudinewsnet_test", "saudinewsnet_dev"} <= set(installed_scores)
    checkout = {name: s.to_dict() for name, s in run_attribution_eval().items()}
    assert installed_scores == json.loads(json.dumps(checkout, ensure_ascii=False))


def test_check_gold_runs_with_the_standard_library_only(tmp_path):
    """The annotators' checker runs without site-packages (``-S``) to its verdict on every gold file."""
    done = subprocess.run([sys.executable, "-I", "-S", ROOT / "rag" / "data" / "gold" / "check_gold.py"],
                          cwd=tmp_path, env={"QAWL_SHARED": str(shared_corpus_dir().parent.parent)},
                          capture_output=True, text=True, timeout=300)
    assert done.stderr == ""
    verdict = done.stdout.strip().splitlines()[-1]
    assert verdict == "OK" or verdict.endswith("error(s)") or verdict.startswith("skipped:"), done.stdout
