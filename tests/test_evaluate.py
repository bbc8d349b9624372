"""Attribution scoring: the matching rules on small cases, both gold formats, and the
targets on the real gold sets (seeds always; the SaudiNewsNet dev set when the corpus is here)."""
from __future__ import annotations

import json
import zipfile

import pytest

from rag.evaluate import (SEEDS_GOLD, calibration, evaluate_attribution, format_table, load_gold_set,
                          run_attribution_eval, shared_corpus_dir)
from rag.speakers import SpeakerRegistry
from rag.types import Quote

REGISTRY = SpeakerRegistry.default()
LAVROV, WANG = REGISTRY.get("sergei-lavrov"), REGISTRY.get("wang-yi")
TEXT = ("قال وزير الخارجية الروسي سيرغي لافروف، اليوم الثلاثاء، "
        "إن موسكو وبكين اتفقتا على بدء حوار بشأن الأمن في منطقة أوراسيا.")
CONTENT = "موسكو وبكين اتفقتا على بدء حوار بشأن الأمن في منطقة أوراسيا"


def _extractor(*spans):
    """A stand-in extractor returning quotes at the given (start, end, speaker) spans."""
    def extract(text, *, date=None, registry=None):
        return [Quote(speaker, text[s:e], s, e, "indirect", "قال", 0.9) for s, e, speaker in spans]
    return extract


def _gold(quote, speakers=("Sergei Lavrov",), **extra):
    return {"file": "a", "quote": quote, "speakers": list(speakers), "speaker": " + ".join(speakers), **extra}


def _score(gold, *spans, text=TEXT):
    return evaluate_attribution(gold, {"a": text}, extract=_extractor(*spans), registry=REGISTRY)


def _span(part: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def test_a_prediction_covering_half_the_gold_tokens_matches():
    half = "موسكو وبكين اتفقتا على بدء حوار"  # 6 of the excerpt's 11 words
    scores = _score([_gold(CONTENT)], (*_span(half), LAVROV))
    assert (scores.matched, scores.precision, scores.recall, scores.speaker_accuracy) == (1, 1.0, 1.0, 1.0)


def test_a_prediction_covering_less_than_half_is_a_miss_and_a_false_positive():
    scores = _score([_gold(CONTENT)], (*_span("موسكو وبكين اتفقتا على بدء"), LAVROV))  # 5 of 11
    assert (scores.matched, len(scores.missed), len(scores.false_positives)) == (0, 1, 1)


def test_matching_is_one_to_one_and_a_second_copy_is_a_false_positive():
    scores = _score([_gold(CONTENT)], (*_span(CONTENT), LAVROV), (*_span(CONTENT), LAVROV))
    assert (scores.matched, scores.predicted) == (1, 2)


def test_speakers_compare_by_identity_not_spelling():
    right = _score([_gold(CONTENT, ("Sergey Lavrov",))], (*_span(CONTENT), LAVROV))
    wrong = _score([_gold(CONTENT)], (*_span(CONTENT), WANG))
    assert right.speaker_accuracy == 1.0 and wrong.speaker_accuracy == 0.0


def test_a_group_matches_a_group_with_the_same_members():
    group = REGISTRY.group([WANG, LAVROV], "الوزيران")
    assert _score([_gold(CONTENT, ("Sergei Lavrov", "Wang Yi"))], (*_span(CONTENT), group)).speaker_accuracy == 1.0
    assert _score([_gold(CONTENT, ("Sergei Lavrov", "Wang Yi"))], (*_span(CONTENT), LAVROV)).speaker_accuracy == 0.0


def test_a_speaker_outside_the_registry_compares_by_arabic_name():
    officials = REGISTRY.unknown("مسؤولون أميركيون")
    gold = _gold(CONTENT, ("unnamed US officials",), speaker_ar="مسؤولون أمريكيون")
    assert _score([gold], (*_span(CONTENT), officials)).speaker_accuracy == 1.0
    assert _score([gold], (*_span(CONTENT), LAVROV)).speaker_accuracy == 0.0


def test_optional_gold_is_neither_required_nor_penalised():
    scores = _score([_gold(CONTENT, optional=True)], (*_span(CONTENT), LAVROV))
    assert (scores.gold, scores.predicted, scores.f1) == (0, 0, 1.0)


def test_a_repeated_statement_counts_once():
    text = TEXT + "\n" + TEXT
    second = text.rindex(CONTENT)
    repeated = (second, second + len(CONTENT), LAVROV)
    scores = _score([_gold(CONTENT)], (*_span(CONTENT, text), LAVROV), repeated, text=text)
    assert (scores.matched, scores.predicted, scores.false_positives) == (1, 1, [])


def test_an_excerpt_is_located_by_normalised_words():
    with_diacritics = "موسكو وبكين اتّفقتا على بدء حوارٍ بشأن الأمن في منطقة أوراسيا"
    assert _score([_gold(with_diacritics)], (*_span(CONTENT), LAVROV)).matched == 1


def test_every_prediction_in_an_article_without_gold_is_a_false_positive():
    scores = evaluate_attribution([], {"a": TEXT}, extract=_extractor((*_span(CONTENT), LAVROV)), registry=REGISTRY)
    assert (scores.gold, scores.predicted, scores.precision) == (0, 1, 0.0)


def test_load_gold_set_reads_the_seed_list_with_its_articles():
    gold = load_gold_set(SEEDS_GOLD)
    assert len(gold.statements) == 77 and len(gold.articles) == 5
    assert all(st["file"] in gold.articles for st in gold.statements)


def test_load_gold_set_reads_the_corpus_format(tmp_path):
    rows = [{"content": "نص بلا تصريحات"}, {"content": TEXT}]
    with zipfile.ZipFile(tmp_path / "2015-07-25.zip", "w") as archive:
        archive.writestr("2015-07-25.json", json.dumps(rows, ensure_ascii=False))
    statement = {"speakers": ["Sergei Lavrov"], "speaker": "Sergei Lavrov", "quote": CONTENT, "type": "indirect"}
    articles = [{"zip": "2015-07-25.zip", "index": i, "url": f"u{i}", "date": "2015-07-25", "statements": sts}
                for i, sts in ((0, []), (1, [statement]))]
    path = tmp_path / "dev.json"
    path.write_text(json.dumps({"articles": articles}, ensure_ascii=False), encoding="utf-8")
    gold = load_gold_set(path, corpus_dir=tmp_path)
    assert gold.articles == {"2015-07-25.zip#0": rows[0]["content"], "2015-07-25.zip#1": TEXT}
    assert gold.statements[0]["file"] == "2015-07-25.zip#1" and gold.statements[0]["article_url"] == "u1"


def test_format_table_and_calibration_report_every_set():
    scores = _score([_gold(CONTENT)], (*_span(CONTENT), LAVROV))
    table = format_table({"toy": scores})
    assert "gold" in table and "1.000" in table
    assert calibration([scores]) == [{"band": "0.90–0.95", "n": 1, "mean_confidence": 0.9, "accuracy": 1.0}]


def test_seeds_meet_the_targets():
    seeds = run_attribution_eval(["seeds"])["seeds"]
    assert seeds.f1 >= 0.95, format_table([seeds])
    assert seeds.speaker_accuracy >= 0.97, format_table([seeds])


@pytest.mark.slow
@pytest.mark.skipif(not shared_corpus_dir().exists(), reason="SaudiNewsNet corpus not on this machine")
def test_saudinewsnet_dev_split_holds_its_level():
    # A floor under the measured dev level (76 articles under the conventions of
    # rag/data/gold/ANNOTATING.md), not issue 12's target: a change that loses ground fails.
    dev = run_attribution_eval(["saudinewsnet_dev"])["saudinewsnet_dev"]
    assert dev.gold >= 450
    assert dev.f1 >= 0.84, format_table([dev])
    assert dev.speaker_accuracy >= 0.74, format_table([dev])


def test_an_unknown_set_name_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="seeds"):
        run_attribution_eval(["nope"])


def test_gold_files_are_grouped_by_their_split(tmp_path, monkeypatch):
    import json

    import rag.evaluate as evaluate

    for name, split in [("saudinewsnet_dev.json", None), ("saudinewsnet_test_a.json", "test"),
                        ("saudinewsnet_dev2.json", "dev")]:
        data = {"articles": []} | ({"split": split} if split else {})
        (tmp_path / name).write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(evaluate, "GOLD_DIR", tmp_path)
    assert [p.name for p in evaluate.corpus_gold_files("test")] == ["saudinewsnet_test_a.json"]
    assert [p.name for p in evaluate.corpus_gold_files("dev")] == ["saudinewsnet_dev.json", "saudinewsnet_dev2.json"]
    with pytest.raises(ValueError, match="test, dev"):
        evaluate.corpus_gold_files("train")
