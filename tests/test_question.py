"""Question parsing: intent, speakers (names, variants, titles), topic and limits."""
import datetime as dt

import pytest

from rag.errors import QuestionError
from rag.question import parse_question
from rag.speakers import SpeakerRegistry

SOURCES = ["العربي", "مجلة وفاء"]


def parse(question):
    return parse_question(question, registry=SpeakerRegistry.default(), sources=SOURCES)


@pytest.mark.parametrize(
    "question, intent, speakers, topic",
    [
        ("What did Wang Yi say about Ukraine?", "what_said", ["wang-yi"], "ukraine"),
        ("ماذا قال بوتين عن التجارة مع الصين؟", "what_said", ["vladimir-putin"], "التجاره مع الصين"),
        ("What did the Russian president say about the Olympics?", "what_said", ["vladimir-putin"], "the olympics"),
        ("ماذا قال سيرجي لافروف عن أوراسيا؟", "what_said", ["sergei-lavrov"], "اوراسيا"),
        ("هل تحدث شي جينبينغ عن الألعاب الأولمبية؟", "did_mention", ["xi-jinping"], "الالعاب الاولمبيه"),
        ("Did Biden mention China?", "did_mention", ["joe-biden"], "china"),
        ("What did Lavrov and Wang Yi say about Eurasia security?", "compare", ["sergei-lavrov", "wang-yi"], "eurasia security"),
        ("Who said the boycotting countries will pay the price?", "who_said", [], "the boycotting countries will pay the price"),
        ("من قال إن العلاقات تدخل عصرا جديدا؟", "who_said", [], "العلاقات تدخل عصرا جديدا"),
        ("Who spoke about AUKUS?", "who_spoke", [], "aukus"),
        ("What did the Kremlin spokesman say?", "what_said", ["dmitry-peskov"], None),
    ],
)
def test_intent_speakers_and_topic(question, intent, speakers, topic):
    parsed = parse(question)
    assert parsed.intent == intent
    assert [s.id for s in parsed.speakers] == speakers
    assert parsed.topic == topic
    assert parsed.lang == ("ar" if any("\u0600" <= c <= "\u06ff" for c in question) else "en")


def test_confusable_spokesman_is_not_the_minister():
    parsed = parse("ماذا قال وانغ وينبن عن المقاطعة؟")
    assert [s.id for s in parsed.speakers] != ["wang-yi"]
    assert parsed.speakers and "wenbin" in parsed.speakers[0].id


@pytest.mark.parametrize(
    "question, date_from, date_to",
    [
        ("What did Xi say in 2022?", dt.date(2022, 1, 1), dt.date(2022, 12, 31)),
        ("ماذا قال لافروف في عام 2024؟", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        ("What has Putin said since 2023?", dt.date(2023, 1, 1), None),
        ("What did Putin say about trade?", None, None),
    ],
)
def test_year_limits(question, date_from, date_to):
    parsed = parse(question)
    assert (parsed.date_from, parsed.date_to) == (date_from, date_to)
    assert parsed.speakers  # the year is not mistaken for a speaker


@pytest.mark.parametrize(
    "question", ["What did Putin say according to Al-Araby?", "ماذا قال سيرجي لافروف بحسب العربي؟"]
)
def test_outlet_limit(question):
    parsed = parse(question)
    assert parsed.source == "العربي"
    assert parsed.speakers


def test_unknown_outlet_is_not_a_filter():
    assert parse("What did Putin say in Pravda?").source is None


def test_unknown_speaker_is_reported_unresolved():
    parsed = parse("What did John Smith say about Iran?")
    assert parsed.speakers == ()
    assert parsed.unresolved == ("john smith",)


@pytest.mark.parametrize("bad", ["", "   ", None, "x" * 3000])
def test_bad_questions_raise_clear_errors(bad):
    with pytest.raises(QuestionError):
        parse(bad)
