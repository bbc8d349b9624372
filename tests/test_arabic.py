"""The Arabic language module: words, clitics and affixes, sentence ends, word lists."""
import pytest

from rag.arabic import (
    CONJUNCTIONS, SENTENCE_BREAK, SENTENCE_END, WORD_AS_WRITTEN, forms, normalize, prepositions, stopwords, tokenize,
)


@pytest.mark.parametrize("a, b", [("اللقاء", "لقاء"), ("التجارية", "تجارة"), ("الإيراني", "إيران"), ("يدعم", "دعم"),
                                  ("مكالمتنا", "مكالمة"), ("والصين", "الصين")])
def test_forms_of_one_word_meet(a, b):
    assert forms(normalize(a)) & forms(normalize(b))


def test_light_stemming_keeps_the_word_itself():
    assert normalize("بوتين") in forms(normalize("بوتين"))  # not only ب + وتين


@pytest.mark.parametrize("text, tokens", [("والصين بالصين الصين", ["صين", "صين", "صين"]), ("أكّد الوزير", ["اكد", "وزير"])])
def test_tokenize_drops_the_article_and_folds_spelling(text, tokens):
    assert tokenize(text) == tokens


def test_a_word_as_written_keeps_its_diacritics():
    assert [m.group() for m in WORD_AS_WRITTEN.finditer("أكّد الوزيرُ")] == ["أكّد", "الوزيرُ"]


def test_sentence_ends():
    text = "قال الوزير: «انتهى الأمر.» ثم غادر... وسأل: لماذا؟ لا أحد يعلم"
    assert [text[:m.end()][-4:] for m in SENTENCE_BREAK.finditer(text)] == ["مر.»", "ر...", "اذا؟"]
    assert [m.group() for m in SENTENCE_END.finditer("حسنا! ماذا؟… نعم.")] == ["!", "؟…", "."]


def test_word_lists():
    assert {normalize("إلى"), normalize("على"), normalize("لدى")} <= prepositions()
    assert "the" in stopwords("en") and normalize("إلى") in stopwords("ar")
    assert CONJUNCTIONS == ("و", "ف")


def test_names_lose_invisible_marks_some_sites_write_inside_them():
    from rag.arabic import without_invisible

    assert without_invisible("ناصر \u200fالجنيبي") == "ناصر الجنيبي"
    assert without_invisible("\u202bعادل\u202c الجبير\u200b") == "عادل الجبير"
    assert without_invisible("عادل الجبير") == "عادل الجبير"


def test_accusative_tanwin_marks_adverbs_as_written():
    from rag.arabic import accusative_tanwin

    # tanwin before or after the alif, or on a word ending in ة; never on a plain word
    assert all(accusative_tanwin(w) for w in ("معلقًا", "مؤكداً", "وفقاً", "عادةً", "مؤكداًـ"))
    assert not any(accusative_tanwin(w) for w in ("مصادر", "معلقا", "الوزارة", ""))


def test_without_nisba_gives_the_name_an_adjective_is_made_of():
    from rag.arabic import without_nisba

    assert [without_nisba(w) for w in ("هلالي", "نصراوي", "مصريين")] == ["هلال", "نصر", "مصر"]
    assert [without_nisba(w) for w in ("علي", "هلال", "وزير")] == ["علي", "هلال", "وزير"]  # too short, or no ending
