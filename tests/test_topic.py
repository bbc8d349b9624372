"""Topic evidence: Arabic word forms, English topics through the glossary and by sound, numbers."""
import pytest

from rag.speakers import SpeakerRegistry
from rag.topic import coverage, forms, parse_topic, term_weights


def cover(topic, text):
    return coverage(parse_topic(topic, SpeakerRegistry.default()), text)


@pytest.mark.parametrize(
    "a, b",
    [("اللقاء", "لقاء"), ("التجاريه", "تجاره"), ("الايراني", "ايران"), ("يدعم", "دعم"), ("وشي", "شي"), ("بالصين", "الصين")],
)
def test_word_forms_meet(a, b):
    assert forms(a) & forms(b)


@pytest.mark.parametrize("a, b", [("لقاء", "بقاء"), ("تجاره", "جاره"), ("مصر", "نصر")])
def test_different_words_do_not_meet(a, b):
    assert not forms(a) & forms(b)


@pytest.mark.parametrize(
    "topic, text, expected",
    [
        ("Ukraine", "ولا سيما أوكرانيا والنزاع الإسرائيلي الفلسطيني", 1.0),  # glossary
        ("the diplomatic boycott", "المقاطعة الدبلوماسية للأولمبياد دليل آخر", 1.0),  # multi-word entry
        ("Aden", "عدن اليوم باتت أكثر أمنا", 1.0),  # a capitalised name, by sound
        ("Jonathan Pollard", "لابد وأن يقضي بولارد كامل عقوبته", 0.5),
        ("الكونغرس", "اذا لم يوافق الكونجرس على الاتفاق", 1.0),  # one loanword, two spellings
        ("التجارة مع الصين", "سيحظى تطوير العلاقات التجارية مع الصين باهتمام خاص", 1.0),
        ("Ukraine", "المقاطعة الدبلوماسية للأولمبياد", 0.0),
        ("the olympics", "الوضع في أفغانستان وشبه الجزيرة الكورية", 0.0),
    ],
)
def test_coverage(topic, text, expected):
    assert cover(topic, text) == pytest.approx(expected)


def test_a_number_in_the_topic_must_be_in_the_text():
    topic = "التبادل التجاري بلغ 300 مليار دولار"
    assert cover(topic, "ارتفع حجم التبادل التجاري متجاوزاً 140 مليار دولار") == 0.0
    assert cover(topic, "بلغ التبادل التجاري 300 مليار دولار") == 1.0


def test_lowercase_english_words_are_not_guessed_by_sound():
    topic = parse_topic("the deep trust", SpeakerRegistry.default())
    assert [t.label for t in topic.terms] == ["trust"] and topic.untranslated == ("deep",)


def test_common_terms_weigh_less():
    registry = SpeakerRegistry.default()
    topic = parse_topic("التجارة مع الصين", registry)
    quotes = ["الصين شريك", "الصين قوية", "مع الصين دائما", "الصين والعالم", "العلاقات التجارية مهمة"]
    weights = term_weights(topic, quotes)
    assert weights["التجاره"] > weights["الصين"]
    assert coverage(topic, "الصين قوية", weights) < 0.5 < coverage(topic, "العلاقات التجارية مهمة", weights)
