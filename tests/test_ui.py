"""The Gradio window driven over HTTP with gradio_client: the ``/ask`` and ``/speakers``
endpoints, the chat, filters, an abstention, the Speakers tab's exports, uploads (one good
and one broken file), a locked index, and questions answered while an upload is ingesting.

Expected speakers and quotes were read off the seed articles (seeds/*.txt).
"""
from __future__ import annotations

import csv
import fcntl
import json
import threading
import time
from pathlib import Path

import pytest
from gradio_client import Client, handle_file
from ui_app import ARCTIC_ARTICLE, HOSTILE_QUESTION, HOSTILE_QUOTE, assert_inert, running_app, seed_index


@pytest.fixture(scope="module")
def app(tmp_path_factory, embedder):
    folder = tmp_path_factory.mktemp("ui")
    qawl = seed_index(folder, embedder)
    with running_app(qawl, folder / "uploads") as demo:
        yield qawl, demo, folder / "uploads"


@pytest.fixture(scope="module")
def client(app):
    return Client(app[1].local_url, verbose=False)


def ask(client, question, **filters):
    return client.predict(question, *(filters.get(k) for k in ("speaker", "source", "date_from", "date_to")),
                          api_name="/ask")


def chat(client, question, speaker=None, source=None, date_from=None, date_to=None):
    history, box = client.predict(question, [], speaker, source, date_from, date_to, api_name="/chat")
    assert [m["role"] for m in history] == ["user", "assistant"] and box == ""
    return history[0]["content"][0]["text"], history[1]["content"][0]["text"]


def assert_verbatim(qawl, citations):
    for c in citations:
        assert qawl.article(c["article_id"]).text[c["start"]:c["end"]] == c["quote"]


def test_binds_to_localhost_by_default(app):
    assert app[1].server_name == "127.0.0.1" and app[1].local_url.startswith("http://127.0.0.1:")


def test_api_lists_ask_and_speakers(client):
    assert {"/ask", "/speakers"} <= set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])


# --- /ask -------------------------------------------------------------------------------------

@pytest.mark.parametrize("question, speaker_id, words", [
    ("What did Wang Yi say about Ukraine?", "wang-yi", "ولا سيما أوكرانيا"),
    ("ماذا قال بوتين عن حجم التبادل التجاري مع الصين؟", "vladimir-putin", "حجم التبادل التجاري"),
    ("Who said the boycotting countries will pay the price?", "china", "ستدفع الثمن"),
    ("من قال إن العلاقات تدخل عصرا جديدا؟", "xi-jinping", "تدخل عصرا جديدا"),  # «الزعيمان شي وبوتين»
])
def test_ask_returns_the_speakers_verbatim_words(app, client, question, speaker_id, words):
    answer = ask(client, question)
    assert answer["found"] and answer["question"] == question
    assert any(words in c["quote"] and speaker_id in c["speaker_ids"] for c in answer["citations"])
    if answer["parsed"]["speakers"]:  # "what did X say": every citation is X's
        assert all(speaker_id in c["speaker_ids"] for c in answer["citations"])
    assert_verbatim(app[0], answer["citations"])


def test_abstains_when_the_speaker_is_never_quoted(client):
    answer = ask(client, "What did Joe Biden say about China?")
    assert answer["found"] is False and answer["citations"] == []
    assert "Joe Biden" in answer["text"]


def test_speaker_filter_applies_to_a_question_naming_nobody(client):
    answer = ask(client, "What was said about Ukraine?", speaker="وانغ يي")
    assert answer["found"] and all(c["speaker_id"] == "wang-yi" for c in answer["citations"])


def test_ask_takes_its_filters_by_name_as_documented(client):
    answer = client.predict(question="ماذا قال بوتين عن التجارة مع الصين؟", source="مجلة وفاء", date_from="2021-01-01",
                            api_name="/ask")
    assert answer["parsed"]["speakers"][0]["id"] == "vladimir-putin"
    assert all(c["source"] == "مجلة وفاء" for c in answer["citations"])


def test_outlet_and_date_filters(client):
    by_outlet = ask(client, "ماذا قال بوتين عن التجارة مع الصين؟", source="مجلة وفاء")
    assert by_outlet["found"] and {c["source"] for c in by_outlet["citations"]} == {"مجلة وفاء"}
    since = ask(client, "What did Putin say?", date_from="2024-01-01")
    assert since["found"] and all(c["date"] >= "2024-01-01" for c in since["citations"])
    before = ask(client, "What did Putin say?", date_to="2020-12-31")  # no seed is dated before 2021
    assert before["found"] is False and before["citations"] == []


def test_a_bad_date_is_an_error_message(client):
    with pytest.raises(Exception, match="not a date"):
        ask(client, "What did Putin say?", date_from="yesterday")


def test_hostile_quote_comes_back_verbatim_as_data(app, client):
    answer = ask(client, HOSTILE_QUESTION)
    assert HOSTILE_QUOTE in [c["quote"] for c in answer["citations"]]
    assert_verbatim(app[0], answer["citations"])


def test_serve_command_opens_the_window_on_localhost(app, monkeypatch):
    from rag import cli

    launched = {}
    monkeypatch.setattr(cli, "open_qawl", lambda args: app[0])
    monkeypatch.setattr("ui.app.launch", lambda qawl, **kw: launched.update(qawl=qawl, **kw))
    assert cli.main(["serve"]) == 0
    assert launched == {"qawl": app[0], "host": "127.0.0.1", "port": 7860}
    cli.main(["serve", "--host", "0.0.0.0", "--port", "8080"])
    assert (launched["host"], launched["port"]) == ("0.0.0.0", 8080)


# --- the chat ---------------------------------------------------------------------------------

def test_chat_shows_the_quote_rtl_with_its_marked_source(client):
    _, html = chat(client, "ماذا قال بوتين عن حجم التبادل التجاري مع الصين؟")
    assert '<blockquote class="qawl-quote" dir="rtl" lang="ar">في نهاية عام 2021، ارتفع حجم التبادل التجاري' in html
    assert "كما أشار إلى أنه «<mark>في نهاية عام 2021" in html  # seed 000, the passage around the quote
    assert "فلاديمير بوتين" in html and "Vladimir Putin" in html and "مجلة وفاء" in html
    assert "<code>" in html and "000_8d73a7c772314bd9.txt" in html


def test_chat_shows_an_abstention_and_the_filters_used(client):
    asked, html = chat(client, "What did Joe Biden say about China?", source="العربي")
    assert "No matching statement" in html and "Joe Biden" in html and "qawl-cite" not in html
    assert "outlet: <bdi>العربي</bdi>" in asked


def test_chat_keeps_hostile_text_inert(client):
    asked, html = chat(client, HOSTILE_QUESTION)
    assert_inert(asked + html)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "<code>javascript:window.__pwned=1</code>" in html


# --- speakers ---------------------------------------------------------------------------------

def test_speakers_endpoint_lists_who_is_quoted(client):
    rows = client.predict(api_name="/speakers")
    by_id = {r["id"]: r for r in rows}
    assert {"vladimir-putin", "sergei-lavrov", "wang-yi", "xi-jinping", "wang-wenbin"} <= set(by_id)
    assert by_id["wang-yi"]["name_ar"] == "وانغ يي" and by_id["wang-wenbin"]["name_ar"] == "وانغ وينبن"
    assert [r["quotes"] for r in rows] == sorted((r["quotes"] for r in rows), reverse=True)


def test_speaker_quotes_table_and_exports(app, client):
    table, csv_file, json_file = client.predict("wang-yi", api_name="/speaker_quotes")
    csv_path, json_path = csv_file["value"], json_file["value"]  # download buttons come back as updates
    rows = json.loads(Path(json_path).read_text(encoding="utf-8"))
    assert len(table["data"]) == len(rows) > 0
    assert all("Wang Yi" in r["speaker"] for r in rows)
    assert any("ولا سيما أوكرانيا" in r["quote"] for r in rows)
    for r in rows:
        assert app[0].article(r["article_id"]).text[r["start"]:r["end"]] == r["quote"]
    with open(csv_path, encoding="utf-8-sig", newline="") as handle:
        assert [r["quote"] for r in csv.DictReader(handle)] == [r["quote"] for r in rows]


# --- adding articles --------------------------------------------------------------------------

def test_upload_one_good_and_one_broken_file(app, client, tmp_path):
    good = tmp_path / "arctic.txt"
    good.write_text(ARCTIC_ARTICLE, encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text('{"title": "بلا نهاية", "content": ', encoding="utf-8")
    report, _ = client.predict([handle_file(good), handle_file(broken)], api_name="/ingest")
    assert_inert(report)
    assert "<b>1</b><span>added</span>" in report and "<b>1</b><span>failed</span>" in report
    assert "broken.json" in report

    answer = ask(client, "ماذا قال لافروف عن القطب الشمالي؟")
    assert answer["found"] and any("القطب الشمالي" in c["quote"] for c in answer["citations"])
    arctic = next(c for c in answer["citations"] if "القطب الشمالي" in c["quote"])
    assert Path(arctic["url"]).is_relative_to(app[2]) and Path(arctic["url"]).name == "arctic.txt"
    assert_verbatim(app[0], answer["citations"])


def test_uploading_nothing_says_what_to_do(client):
    report, _ = client.predict([], api_name="/ingest")
    assert "Choose one or more files" in report


def test_a_locked_index_is_a_friendly_message_at_once(app, client, tmp_path):
    qawl = app[0]
    article = tmp_path / "locked.txt"
    article.write_text(ARCTIC_ARTICLE.replace("الثلاثاء", "الأربعاء"), encoding="utf-8")
    with open(qawl.store.index_dir / ".qawl-write.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as another Qawl process writing would
        try:
            started = time.monotonic()
            report, _ = client.predict([handle_file(article)], api_name="/ingest")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    assert "Another Qawl process is adding articles" in report
    assert time.monotonic() - started < 30  # not after QAWL_LOCK_TIMEOUT (600 s)
    # the upload asked not to wait; the index itself still waits for other writers, as configured
    assert qawl.store.lock_timeout == qawl.settings.lock_timeout


def test_questions_are_answered_while_an_upload_ingests_and_uploads_wait_their_turn(app, client, tmp_path, monkeypatch):
    qawl = app[0]
    release, started = threading.Event(), []
    ingest = qawl.ingest

    def held_ingest(paths, **kw):  # an ingest that lasts until the test releases it
        started.append(time.monotonic())
        assert release.wait(60)
        return ingest(paths, **kw)

    monkeypatch.setattr(qawl, "ingest", held_ingest)
    files = []
    for day in ("الخميس", "الجمعة"):
        files.append(tmp_path / f"{day}.txt")
        files[-1].write_text(ARCTIC_ARTICLE.replace("الثلاثاء", day), encoding="utf-8")
    questions = ["What did Wang Yi say about Ukraine?", "ماذا قال بوتين عن التجارة مع الصين؟"] * 3
    expected = [_cited(ask(client, q)) for q in questions]

    first = client.submit([handle_file(files[0])], api_name="/ingest")
    _wait_for(lambda: len(started) == 1)
    second = client.submit([handle_file(files[1])], api_name="/ingest")
    while_held = [client.submit(q, None, None, None, None, api_name="/ask") for q in questions]
    assert [_cited(job.result(timeout=60)) for job in while_held] == expected
    assert not first.done() and len(started) == 1  # questions did not wait; the second upload does

    release.set()  # the first upload now writes to the index while more questions come in
    while_writing = [client.submit(q, None, None, None, None, api_name="/ask") for q in questions]
    assert [_cited(job.result(timeout=60)) for job in while_writing] == expected
    assert "<b>1</b><span>added</span>" in first.result(timeout=120)[0]
    assert "<b>1</b><span>added</span>" in second.result(timeout=120)[0]
    assert len(started) == 2


def _cited(answer: dict) -> tuple:
    return answer["found"], [(c["speaker_id"], c["article_id"], c["start"], c["end"]) for c in answer["citations"]]


def _wait_for(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


# --- follow-ups and what the question was understood as ----------------------------------------


def test_a_follow_up_through_the_api_keeps_the_previous_speaker(client):
    first = ask(client, "What did Lavrov say about Eurasia security?")
    then = client.predict("And about Ukraine?", None, None, None, None, first, api_name="/ask")
    assert [s["id"] for s in then["parsed"]["speakers"]] == ["sergei-lavrov"]
    assert then["parsed"]["kept"] == ["speaker"] and then["parsed"]["topic"] == "Ukraine"


def test_chat_turns_carry_the_parsed_question(app):
    from ui import actions

    qawl = app[0]
    _, first_html, parsed = actions.chat_turn(qawl, "What did Wang Yi say about Ukraine?")
    assert "Understood:" in first_html and "Wang Yi" in first_html and "Ukraine" in first_html
    _, then_html, then = actions.chat_turn(qawl, "وماذا عن الشرق الأوسط؟", parsed)
    assert [s["id"] for s in then["speakers"]] == ["wang-yi"] and then["kept"] == ["speaker"]
    assert "(kept)" in then_html
