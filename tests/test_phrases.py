"""Phrase matching at word boundaries with Arabic proclitics, and exact original offsets."""
from __future__ import annotations

import pytest

from rag.phrases import PhraseIndex, phrase_key


@pytest.fixture(scope="module")
def index() -> PhraseIndex:
    idx = PhraseIndex()
    for phrase, target in [("الكرملين", "kremlin"), ("الرئاسة الروسية", "kremlin"), ("بوتين", "putin"),
                           ("وانغ يي", "wang-yi"), ("وانغ وينبن", "wang-wenbin"), ("الصين", "china"),
                           ("وكالة أنباء الصين الجديدة", "xinhua"), ("the Kremlin", "kremlin")]:
        idx.add(phrase, target)
    return idx


@pytest.mark.parametrize("text,expected", [
    ("والكرملين", [("الكرملين", "kremlin")]),
    ("وسبق للرئاسة الروسية أن", [("لرئاسة الروسية", "kremlin")]),
    ("ولبوتين فبوتين", [("بوتين", "putin"), ("بوتين", "putin")]),
    ("بالصين وللصين", [("الصين", "china"), ("لصين", "china")]),
    ("قال وانغ يين", []),  # a longer word is not the name
    ("البوتينية", []),
    ("وانغ وينبن ووانغ يي", [("وانغ وينبن", "wang-wenbin"), ("وانغ يي", "wang-yi")]),
    ("وكالة أنباء الصين الجديدة", [("وكالة أنباء الصين الجديدة", "xinhua")]),  # longest wins
    ("وانغ، يي", []),  # words of one phrase are not split by punctuation
    ("الكرملينُ والرئاسةِ الروسيّة", [("الكرملينُ", "kremlin"), ("الرئاسةِ الروسيّة", "kremlin")]),
    ("Said the KREMLIN", [("KREMLIN", "kremlin")]),
    ("", []),
])
def test_scan(index, text, expected):
    hits = index.scan(text)
    assert [(text[h.start:h.end], h.targets[0]) for h in hits] == expected


def test_phrase_key_folds_spelling():
    assert phrase_key("الرئيس الروسيّ") == phrase_key("الرئيس الروسى") == ("الرييس", "الروسي")
    assert phrase_key("The Kremlin") == ("kremlin",)
