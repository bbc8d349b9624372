"""End to end: the seeds ingested into a real Chroma (embedded and server), searched in
English and Arabic, with exact offsets; re-ingesting embeds nothing; bad input loses nothing."""
import json
import zipfile

import pytest

from rag import Qawl
from rag.config import SEEDS_DIR
from rag.errors import QuestionError
from rag.search import KeywordIndex
from rag.transliterate import NameIndex

SEEDS = SEEDS_DIR
TRADE_ARTICLE = "000_8d73a7c772314bd9.txt"


def seed_text(name):
    return (SEEDS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "query, phrase",
    [
        ("Putin trade volume 200 billion", "200 مليار دولار"),
        # the English query's numbers and translated terms feed the keyword leg too
        ("Putin trade volume with China 200 billion dollars", "200 مليار دولار"),
        ("حجم التبادل التجاري", "حجم التبادل التجاري"),
    ],
)
def test_search_finds_the_right_paragraph_with_exact_offsets(seeded, query, phrase):
    passages = seeded.search(query, k=3)
    assert passages
    top = passages[0]
    assert top.path.endswith(TRADE_ARTICLE)
    assert phrase in top.text
    assert seed_text(TRADE_ARTICLE)[top.start:top.end] == top.text


def test_every_passage_is_an_exact_substring_of_its_article(seeded):
    for passage in seeded.search("الألعاب الأولمبية الشتوية في بكين", k=10):
        article = seeded.article(passage.article_id)
        assert article.text[passage.start:passage.end] == passage.text


def test_metadata_is_carried_to_search_results(seeded):
    [passage] = seeded.search("لقاء افتراضي بوتين شي", k=1, source="العربي")
    assert passage.source == "العربي"
    assert passage.date is not None and passage.date.isoformat() == "2024-03-26"


def test_date_filter_excludes_undated_and_out_of_range(seeded):
    import datetime as dt

    assert seeded.search("بوتين", k=5, date_from=dt.date(2025, 1, 1)) == []
    dated = seeded.search("بوتين", k=5, date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31))
    assert dated and all(p.date.year == 2024 for p in dated)


def test_reingesting_unchanged_seeds_embeds_nothing(seeded, monkeypatch):
    calls = []
    original = seeded.embedder.start_passages
    monkeypatch.setattr(seeded.embedder, "start_passages", lambda texts: calls.append(texts) or original(texts))
    report = seeded.ingest([SEEDS])
    assert (report.added, report.updated, report.unchanged) == (0, 0, 5)
    assert calls == []


def test_reattributing_with_the_rules_the_index_was_made_with_changes_nothing(seeded, monkeypatch):
    calls = []
    original = seeded.embedder.start_passages
    monkeypatch.setattr(seeded.embedder, "start_passages", lambda texts: calls.append(texts) or original(texts))
    before = {r.id: (r.document, r.metadata) for r in seeded.store.iter_records("quotes")}
    report = seeded.reattribute()
    assert (report.articles, report.unchanged, report.changed, report.added, report.removed) == (5, len(before), 0, 0, 0)
    assert calls == [] and {r.id: (r.document, r.metadata) for r in seeded.store.iter_records("quotes")} == before


def test_stats(seeded):
    stats = seeded.stats()
    assert stats.articles == 5
    assert stats.chunks >= 5 and stats.quotes > 0
    assert stats.sources["العربي"] == 1


def test_empty_query_is_a_clear_error(seeded):
    with pytest.raises(QuestionError):
        seeded.search("   ")


@pytest.fixture
def scratch(tmp_path, embedder):
    qawl = Qawl(tmp_path / "index")
    qawl.ingest([SEEDS / TRADE_ARTICLE])
    return qawl


def test_bad_inputs_are_reported_and_lose_nothing(scratch, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (bad / "broken.json").write_text('{"content": "نص', encoding="utf-8")
    (bad / "lines.jsonl").write_text('{"content": "قال الوزير إن الاجتماع كان مثمراً", "url": "http://x/1"}\nnot json\n',
                                      encoding="utf-8")
    (bad / "english.txt").write_text("Title\nOnly English text here.", encoding="utf-8")
    (bad / "good.txt").write_text("عنوان\nوقال الرئيس إن المحادثات كانت بناءة.", encoding="cp1256")
    before = scratch.stats()
    report = scratch.ingest([bad])
    failed = {path.rsplit("/", 1)[-1]: reason for path, reason in report.failed}
    assert set(failed) == {"empty.txt", "binary.txt", "broken.json", "lines.jsonl#L2", "english.txt"}
    assert "line 2" in failed["lines.jsonl#L2"]
    assert report.added == 2  # good.txt (Windows-1256) and the valid JSONL line
    after = scratch.stats()
    assert after.articles == before.articles + 2
    assert scratch.search("حجم التبادل التجاري", k=1)[0].path.endswith(TRADE_ARTICLE)


def test_duplicate_content_under_another_path_is_one_article(scratch, tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_text(seed_text(TRADE_ARTICLE), encoding="utf-8")
    report = scratch.ingest([copy])
    assert report.added == 0 and len(report.duplicates) == 1
    assert scratch.stats().articles == 1


def test_an_edited_file_replaces_its_old_records(scratch, tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("خبر أول\nقال الوزير إن الاجتماع كان مثمراً.", encoding="utf-8")
    scratch.ingest([path])
    path.write_text("خبر أول\nقال الوزير إن الاجتماع كان فاشلاً تماماً.", encoding="utf-8")
    report = scratch.ingest([path])
    assert report.updated == 1
    assert scratch.stats().articles == 2
    hits = scratch.search("الاجتماع كان", k=5)
    texts = " ".join(p.text for p in hits if p.path == str(path))
    assert "فاشلاً" in texts and "مثمراً" not in texts


def test_zip_of_json_articles(scratch, tmp_path):
    archive = tmp_path / "day.zip"
    rows = [{"content": "قال المتحدث إن الوفد سيصل غداً إلى الرياض.", "title": "وصول الوفد", "url": "http://e/1",
             "source": "spa", "date_extracted": "2015-07-25 10:00:00"}]
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("day.json", json.dumps(rows, ensure_ascii=False))
    report = scratch.ingest([archive])
    assert report.added == 1
    [hit] = scratch.search("وصول الوفد إلى الرياض", k=1, source="spa")
    assert hit.url == "http://e/1" and hit.date.isoformat() == "2015-07-25"


def test_an_interrupted_ingest_leaves_a_consistent_index_and_a_rerun_completes_it(tmp_path, embedder, monkeypatch):
    import rag.ingest

    qawl = Qawl(tmp_path / "index")
    monkeypatch.setattr(rag.ingest, "BATCH_ARTICLES", 2)
    real_write = rag.ingest._write
    batches = []

    def write_then_die(records, *args):
        if batches:
            raise KeyboardInterrupt  # the user presses Ctrl-C during the second batch
        batches.append(len(records.articles))
        real_write(records, *args)

    monkeypatch.setattr(rag.ingest, "_write", write_then_die)
    with pytest.raises(KeyboardInterrupt):
        qawl.ingest([SEEDS])
    assert qawl.stats().articles == 2  # what was committed is there, whole, and searchable
    assert qawl.search("الألعاب الأولمبية", k=3)
    monkeypatch.setattr(rag.ingest, "_write", real_write)
    report = qawl.ingest([SEEDS])
    assert (report.unchanged, report.added) == (2, 3)
    stats = qawl.stats()
    assert stats.articles == 5
    fresh = Qawl(tmp_path / "fresh")
    fresh.ingest([SEEDS])
    assert (stats.chunks, stats.quotes) == (fresh.stats().chunks, fresh.stats().quotes)  # no duplicates


def test_a_speakers_quote_rows_carry_their_articles_title_and_location(seeded):
    rows = seeded.quote_rows("wang-yi")
    assert len(rows) >= 3
    for row in rows:
        article = seeded.article(row.article_id)
        assert article.text[row.start:row.end] == row.quote
        assert (row.title, row.location, row.source) == (article.title, article.url or article.path, article.source)
        assert "Wang Yi" in row.speaker


def test_stats_read_the_articles_once_per_change_of_the_index(seeded, monkeypatch):
    fresh = Qawl(settings=seeded.settings)
    reads, real = [], fresh.store.iter_records
    monkeypatch.setattr(fresh.store, "iter_records", lambda collection, **kw: reads.append(collection) or real(collection, **kw))
    first = fresh.stats()
    assert (first.articles, sum(first.sources.values())) == (5, 5) and first.date_from <= first.date_to
    # once to derive what is kept of them, or not at all when that was saved for this state of the index
    # (a server's state is a digest of the articles: read once then)
    assert fresh.stats() == first and fresh.committed_articles() and reads.count("articles") <= 1


def test_warm_builds_what_questions_use_and_it_is_kept(seeded, monkeypatch):
    import dataclasses

    import rag.derived
    import rag.speakers

    built, names = [], []
    monkeypatch.setattr(rag.derived, "KeywordIndex", lambda *a, **k: built.append(1) or KeywordIndex(*a, **k))
    monkeypatch.setattr(rag.speakers, "NameIndex", lambda forms: names.append(forms) or NameIndex(forms))
    fresh = Qawl(settings=dataclasses.replace(seeded.settings, derived="off"))  # built here, not mapped from disk
    fresh.embedder = seeded.embedder  # the session's model, loaded once
    fresh.warm()
    catalog = fresh.catalog()
    assert len(names) == 1 and "Wang Yi" in names[0]  # the index speakers' names, for a name the registry lacks
    assert not fresh.ask("What did Biden say about Ukraine?").found  # reads the chunk keyword index
    assert not fresh.ask("What did Smithers-Pemberton say about Ukraine?").found
    assert fresh.catalog() is catalog
    assert len(built) == 2 and len(names) == 1  # each built once
