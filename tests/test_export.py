"""A speaker's quotes as rows (group quotes included, newest first) and their CSV/JSON export.

The quotes are sentences of the seed articles; their offsets are taken from the article text
the test builds, and every exported row must still satisfy ``text[start:end] == quote``.
"""
from __future__ import annotations

import csv
import datetime as dt
import json

import pytest

from rag.catalog import QuoteCatalog, SpeakerCount
from rag.export import QuoteRow, quote_rows, speaker_row, write_csv, write_json
from rag.store import Record, article_metadata, quote_record
from rag.types import Article, Quote, Speaker

WANG_YI = Speaker("wang-yi", "Wang Yi", "وانغ يي", description="China's foreign minister")
LAVROV = Speaker("sergei-lavrov", "Sergei Lavrov", "سيرغي لافروف")
MINISTERS = Speaker("group:sergei-lavrov+wang-yi", "Sergei Lavrov and Wang Yi", "الوزيران", "group", (LAVROV, WANG_YI))

# (article id, date, text, [(speaker, quoted words)]) — sentences from seeds 000 and 001.
ARTICLES = [
    ("a-2022", dt.date(2022, 1, 25),
     "وأكد الوزيران أن \"العلاقات الروسية الصينية في أفضل حالاتها\". "
     "وقال وانغ يي إن \"بكين تدعم المطالب الأمنية المشروعة لروسيا\".",
     [(MINISTERS, "العلاقات الروسية الصينية في أفضل حالاتها"), (WANG_YI, "بكين تدعم المطالب الأمنية المشروعة لروسيا")]),
    ("a-2024", dt.date(2024, 4, 9),
     "بدوره، قال وزير الخارجية الصيني \"لقد أجرينا أنا ووزير الخارجية لافروف محادثات في العمق\". "
     "وقال لافروف \"=SUM(A1:A9) ليست عبارة صينية\".",
     [(WANG_YI, "لقد أجرينا أنا ووزير الخارجية لافروف محادثات في العمق"), (LAVROV, "=SUM(A1:A9) ليست عبارة صينية")]),
    ("a-undated", None,
     "وقال وانغ يي \"الصين مستعدة للعمل مع روسيا\".",
     [(WANG_YI, "الصين مستعدة للعمل مع روسيا")]),
]


def _records() -> tuple[list[Record], dict[str, str], dict[str, dict]]:
    records, texts, articles = [], {}, {}
    for article_id, date, text, quotes in ARTICLES:
        article = Article(id=article_id, text=text, title=f"عنوان {article_id}", source="العربي", date=date,
                          path=f"/articles/{article_id}.txt")
        meta = article_metadata(article, content_hash=article_id)
        texts[article_id], articles[article_id] = text, meta
        for index, (speaker, words) in enumerate(quotes):
            start = text.index(words)
            quote = Quote(speaker, words, start, start + len(words), "direct", "قال", 0.9)
            records.append(Record(*quote_record(quote, index, meta, context=text)))
    return records, texts, articles


@pytest.fixture(scope="module")
def rows_and_texts():
    """The rows of a speaker's quotes, as ``Qawl.quote_rows`` makes them, and the article texts."""
    records, texts, articles = _records()
    catalog = QuoteCatalog(records)
    return (lambda speaker_id: quote_rows(catalog, catalog.quotes_of([speaker_id]), articles)), texts


def test_rows_of_a_speaker_include_group_quotes_newest_first(rows_and_texts):
    rows_of, texts = rows_and_texts
    rows = rows_of("wang-yi")
    assert [(r.article_id, r.speaker, r.quote) for r in rows] == [
        ("a-2024", "Wang Yi", "لقد أجرينا أنا ووزير الخارجية لافروف محادثات في العمق"),
        ("a-2022", "Sergei Lavrov and Wang Yi", "العلاقات الروسية الصينية في أفضل حالاتها"),
        ("a-2022", "Wang Yi", "بكين تدعم المطالب الأمنية المشروعة لروسيا"),
        ("a-undated", "Wang Yi", "الصين مستعدة للعمل مع روسيا"),
    ]
    for row in rows:
        assert texts[row.article_id][row.start:row.end] == row.quote
    assert rows[0].date == "2024-04-09" and rows[-1].date is None
    assert rows[0].location == "/articles/a-2024.txt" and rows[0].source == "العربي"


def test_rows_never_mix_in_another_speaker(rows_and_texts):
    rows_of, _ = rows_and_texts
    assert {r.quote for r in rows_of("sergei-lavrov")} == {
        "العلاقات الروسية الصينية في أفضل حالاتها", "=SUM(A1:A9) ليست عبارة صينية"}
    assert rows_of("nobody") == []


def test_json_export_keeps_the_exact_text(rows_and_texts, tmp_path):
    rows_of, _ = rows_and_texts
    rows = rows_of("sergei-lavrov")
    path = write_json(rows, tmp_path / "lavrov.json")
    assert "لافروف" in path.read_text(encoding="utf-8")  # Arabic written as is, not \u-escaped
    assert [QuoteRow(**item) for item in json.loads(path.read_text(encoding="utf-8"))] == rows


def test_csv_export_reads_back_and_defuses_formulas(rows_and_texts, tmp_path):
    rows_of, _ = rows_and_texts
    rows = rows_of("sergei-lavrov")
    path = write_csv(rows, tmp_path / "lavrov.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert [r["quote"] for r in table] == ["'=SUM(A1:A9) ليست عبارة صينية", "العلاقات الروسية الصينية في أفضل حالاتها"]
    assert table[1]["speaker_ar"] == "الوزيران" and table[1]["start"] == str(rows[1].start)


def test_speaker_row_is_json_ready():
    count = SpeakerCount(WANG_YI, quotes=3, articles=2, first=dt.date(2022, 1, 25), last=None)
    assert speaker_row(count) == {
        "id": "wang-yi", "name_en": "Wang Yi", "name_ar": "وانغ يي", "kind": "person",
        "quotes": 3, "articles": 2, "first": "2022-01-25", "last": None,
    }
