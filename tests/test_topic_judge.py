"""The topic judge: a calibrated model over weak signals, its weights as data, refit by a script."""
import json
from pathlib import Path

import numpy as np
import pytest

from rag.errors import QawlError
from rag.speakers import SpeakerRegistry
from rag.topic import parse_topic
from rag.topic_judge import FEATURES, WEIGHTS, TopicJudge, default_judge, operating_threshold, rows

PAIRS = Path(__file__).parent / "data" / "topic_pairs.json"
REGISTRY = SpeakerRegistry.default()


def judge_of(topic, statements, similarities):
    wanted = parse_topic(topic, REGISTRY)
    return default_judge().on_topic(rows(wanted, statements, similarities))


def test_the_shipped_weights_load_and_name_their_features():
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    assert data["features"] == list(FEATURES)
    judge = default_judge()
    assert 0 < judge.threshold_ar < 1 and 0 < judge.threshold_en < 1


@pytest.mark.parametrize("broken", [{"features": ["dense"]}, {"features": list(FEATURES), "coef": [1.0]}])
def test_malformed_weights_are_refused_with_how_to_refit(broken):
    with pytest.raises(QawlError, match="fit_topic_judge"):
        TopicJudge.from_dict(broken)


def test_a_statement_naming_the_topic_beats_its_neighbours_that_do_not():
    # SaudiNewsNet 2015-07-26 (Kerry on the Iran deal) and an invented neighbour
    statements = ["اسرائيل سترتكب خطأ جسيماً إذا قررت في المستقبل القيام بعمل عسكري منفرد ضد إيران",
                  "الولايات المتحدة ستواصل العمل مع شركائها في المنطقة لتعزيز التعاون الاقتصادي"]
    judged = judge_of("عمل عسكري إسرائيلي ضد إيران", statements, [0.86, 0.80])
    assert judged.tolist() == [True, False]


def test_a_missing_number_counts_against_the_statement():
    wanted = parse_topic("300 مليار دولار", REGISTRY)
    [with_number, without] = rows(wanted, ["التبادل التجاري سيبلغ 300 مليار دولار", "التبادل سيبلغ 140 مليار دولار"],
                                  [0.85, 0.85])
    assert with_number[FEATURES.index("numbers_missing")] == 0.0
    assert without[FEATURES.index("numbers_missing")] == 1.0
    assert default_judge().probability(with_number) > default_judge().probability(without)


def test_the_operating_threshold_reaches_the_precision_asked():
    p = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    y = np.array([1, 1, 1, 0, 1, 0])
    assert operating_threshold(p, y, 1.0) == 0.7
    assert operating_threshold(p, y, 0.8) == 0.5


@pytest.mark.slow
def test_refitting_on_the_labelled_pairs_gives_the_shipped_weights(embedder):
    pytest.importorskip("sklearn")
    from rag.topic_judge import fit_pairs

    shipped = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    refit = fit_pairs(PAIRS, embedder)
    assert np.allclose(refit["coef"], shipped["coef"], atol=0.05)
    for lang in ("ar", "en"):
        assert abs(refit["thresholds"][lang] - shipped["thresholds"][lang]) < 0.05
    # scored on the frozen test pairs, never fitted on: the precision it was chosen for, near enough
    assert refit["test"]["judge"]["precision"] >= 0.9


def test_the_learned_glossary_translates_words_the_hand_glossary_lacks():
    topic = parse_topic("violence", REGISTRY)
    assert topic.terms and not topic.untranslated
    assert "عنف" in topic.terms[0].keywords or any("عنف" in f for ph in topic.terms[0].alternatives for w in ph for f in w)
    assert parse_topic("violence", REGISTRY, learned=False).untranslated == ("violence",)
