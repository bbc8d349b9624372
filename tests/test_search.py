"""Keyword index, rank fusion and filters: the pure parts of hybrid search."""
import datetime as dt

import pytest

from rag.search import Filters, KeywordIndex, reciprocal_rank_fusion
from rag.store import Record


def record(i, text, **meta):
    return Record(f"r{i}", text, {"article_id": f"a{i}", **meta})


def test_keyword_index_matches_across_spelling_variants():
    index = KeywordIndex([
        record(1, "ارتفع حجم التبادل التجاري بين روسيا والصين"),
        record(2, "المقاطعة الدبلوماسية للأولمبياد"),
    ])
    # Diacritics, hamza forms and the attached article differ between query and text.
    hits = index.top("التّبادُل التجارى", 5)
    assert [r.id for r, _ in hits] == ["r1"]


def test_keyword_index_ignores_zero_scores_and_respects_keep():
    index = KeywordIndex([record(1, "الصين وروسيا"), record(2, "الصين والهند"), record(3, "أوكرانيا")])
    assert {r.id for r, _ in index.top("الصين", 5)} == {"r1", "r2"}
    assert [r.id for r, _ in index.top("الصين", 5, keep=lambda r: r.id == "r2")] == ["r2"]
    assert index.top("كلمة غائبة", 5) == []


def test_keyword_index_on_empty_corpus_and_empty_query():
    assert KeywordIndex([]).top("الصين", 3) == []
    assert KeywordIndex([record(1, "...")]).top("؟؟", 3) == []


def test_reciprocal_rank_fusion_rewards_agreement():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "c", "d"]], k=60)
    assert max(fused, key=fused.get) == "b"
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)


@pytest.mark.parametrize(
    "filters, meta, expected",
    [
        (Filters(), {}, True),
        (Filters(source="العربي"), {"source": "العربي"}, True),
        (Filters(source="العربي"), {"source": "مجلة وفاء"}, False),
        (Filters(date_from=dt.date(2022, 1, 1)), {"date_int": 20220203}, True),
        (Filters(date_from=dt.date(2022, 1, 1)), {"date_int": 20211231}, False),
        (Filters(date_to=dt.date(2022, 12, 31)), {"date_int": 20240326}, False),
        (Filters(date_from=dt.date(2022, 1, 1)), {}, False),  # unknown date never passes a date filter
    ],
)
def test_filters_as_predicate(filters, meta, expected):
    assert filters.matches(meta) is expected


def test_filters_as_chroma_where():
    assert Filters().where() is None
    assert Filters(source="x").where() == {"source": "x"}
    assert Filters(source="x", date_to=dt.date(2022, 2, 3)).where() == {
        "$and": [{"source": "x"}, {"date_int": {"$lte": 20220203}}]
    }


def test_a_keyword_index_keeping_some_metadata_keeps_no_text():
    index = KeywordIndex([record(1, "الصين وروسيا", source="sabq", date_int=20150725, title="عنوان")],
                         keep_metadata=("article_id", "source", "date_int"))
    (hit, _), = index.top("الصين", 3)
    assert (hit.id, hit.document, hit.metadata) == ("r1", "", {"article_id": "a1", "source": "sabq", "date_int": 20150725})


class _Store:
    """Enough of a ChromaStore for a searcher: no dense hits, records read back by id (some gone)."""

    def __init__(self, records):
        self.records = {r.id: r for r in records}

    def iter_records(self, collection):
        return iter(self.records.values())

    def query(self, collection, vector, n, where=None):
        return []

    def get(self, collection, ids):
        return [self.records[i] for i in ids if i in self.records]


def test_keyword_hits_are_read_back_whole_and_those_gone_meanwhile_left_out():
    import numpy as np

    from rag.search import HybridSearcher

    store = _Store([record(1, "الصين وروسيا", start=0, end=12), record(2, "الصين والهند", start=0, end=12)])
    searcher = HybridSearcher(store, "chunks", lambda q: np.zeros(3))
    searcher.keywords  # noqa: B018 - built now, from both records
    del store.records["r2"]  # an update removed it after the index was built
    hits = searcher.search("الصين", 5)
    assert [(h.record.id, h.record.document, h.record.metadata["start"]) for h in hits] == [("r1", "الصين وروسيا", 0)]
