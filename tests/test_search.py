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


def _texts():
    """Real article text (the seeds, cut into paragraphs), an invented one, and empty records."""
    from rag.config import SEEDS_DIR

    paragraphs = [p for f in sorted(SEEDS_DIR.glob("*.txt")) for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return paragraphs + ["قال الوزير إن الصين والصين وروسيا", "", "..."]


def test_keyword_scores_are_bm25_as_bm25s_computes_them():
    """The reference: bm25s's Lucene BM25 over the same token ids, bit for bit (float32)."""
    import bm25s
    import numpy as np

    from rag.arabic import tokenize
    from rag.columns import Vocabulary, permute_columns

    records = [record(i, text) for i, text in enumerate(_texts())]
    mine = KeywordIndex(records)
    order = sorted(range(len(records)), key=lambda i: records[i].id)  # the index keeps rows in id order
    vocabulary, corpus = {}, []
    for i in order:
        corpus.append([vocabulary.setdefault(t, len(vocabulary)) for t in tokenize(records[i].document) or ["\x00"]])
    reference = bm25s.BM25()
    reference.index((corpus, vocabulary), show_progress=False)
    scores = reference.scores
    words, columns = Vocabulary.sorted_from(reference.vocab_dict, len(scores["indptr"]) - 1)
    indptr, indices, data = permute_columns(scores["indptr"], scores["indices"], scores["data"], columns)
    assert list(words) == list(mine.vocabulary)
    assert np.array_equal(indptr, mine._indptr) and np.array_equal(indices, mine._indices)
    assert data.dtype == mine._data.dtype and np.array_equal(data, mine._data)


@pytest.mark.parametrize("keep_metadata", [None, ("article_id",)])
def test_an_updated_keyword_index_is_the_one_built_from_its_records(keep_metadata):
    """Records leave and come (an ingest touching some articles): the updated index equals,
    array for array, the index built from scratch, and finds what it finds."""
    import numpy as np

    from rag.columns import RowPlan

    texts = _texts()
    before = [record(i, text) for i, text in enumerate(texts[:-6])]
    new = [record(i, text) for i, text in enumerate(texts[-6:], start=len(texts))]
    new.append(record(999, "زنجبيلستان اسم لم يرد قط"))
    index = KeywordIndex(before, keep_metadata)
    keep = np.array([i % 3 != 0 for i in range(len(before))])  # every third record leaves
    plan = RowPlan.of(index.records.ids if keep_metadata else [r.id for r in index.records], keep, [r.id for r in new])
    updated = index.updated(plan, new, keep_metadata)
    gone = {r.id for r, k in zip(index.records, keep) if not k}
    built = KeywordIndex([r for r in before if r.id not in gone] + new, keep_metadata)
    assert updated.parts().keys() == built.parts().keys()
    for name, value in built.parts().items():
        assert np.array_equal(np.asarray(updated.parts()[name]), np.asarray(value)) \
            if isinstance(value, np.ndarray) else updated.parts()[name] == value, name
    assert [r.id for r, _ in updated.top("زنجبيلستان", 3)] == ["r999"]
    assert not gone & {r.id for r, _ in updated.top("الصين", 50)}
