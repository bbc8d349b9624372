"""Topic evidence: Arabic word forms, English topics through the glossary and by sound, numbers."""
import pytest

from rag.speakers import SpeakerRegistry
from rag.topic import Term, coverage, forms, parse_topic, weighted_coverages


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
    topic = parse_topic("the deep trust", SpeakerRegistry.default(), learned=False)
    assert [t.label for t in topic.terms] == ["trust"] and topic.untranslated == ("deep",)
    # with the learned glossary "deep" is translated, still not matched by sound
    assert all(t.sound is None for t in parse_topic("the deep trust", SpeakerRegistry.default()).terms)


def test_common_terms_weigh_less():
    registry = SpeakerRegistry.default()
    topic = parse_topic("التجارة مع الصين", registry)
    quotes = ["الصين شريك", "الصين قوية", "مع الصين دائما", "الصين والعالم", "العلاقات التجارية مهمة"]
    scores, weights = weighted_coverages(topic, quotes)
    assert weights["التجاره"] > weights["الصين"]
    assert scores[1] < 0.5 < scores[4]
    assert scores == [coverage(topic, quote, weights) for quote in quotes]


# -- the FormIndex: a topic looked up among thousands of quotes -----------------------------

STATEMENTS = [
    "قال الجبير إن إيران تدعم الإرهاب في اليمن",
    "وأكد أن التجارة بين الصين وروسيا تنمو",
    "ناقش الوزيران الملف النووي الإيراني في فيينا",
    "سيحظى تطوير العلاقات التجارية مع الصين باهتمام خاص",
    "ولا سيما أوكرانيا والنزاع الإسرائيلي الفلسطيني",
    "المقاطعة الدبلوماسية للأولمبياد دليل آخر",
    "لا شيء هنا عن أي موضوع",
]
TOPICS = ["Iran", "إيران", "الإرهاب", "trade with China", "التجارة مع الصين", "the nuclear file", "Ukraine",
          "the diplomatic boycott", "oil", "الملف النووي الإيراني", "Yemen"]


@pytest.mark.parametrize("topic", TOPICS)
def test_form_index_finds_the_statements_holding_every_word_of_a_phrase(topic):
    """``rows_for`` is a necessary condition of ``covered`` by words: no statement left out."""
    from rag.topic import FormIndex, _matchable, covered

    def holds_every_word(phrase, text):
        stems, _ = _matchable(text)
        return all(any(word & s for s in stems) for word in phrase)

    index = FormIndex(STATEMENTS)
    for term in parse_topic(topic, SpeakerRegistry.default()).terms:
        found = set(index.rows_for(term).tolist())
        assert found == {i for i, text in enumerate(STATEMENTS) if any(holds_every_word(p, text) for p in term.alternatives)}
        by_words = {i for i, text in enumerate(STATEMENTS) if covered(Term(term.label, term.alternatives), _matchable(text))}
        assert by_words <= found, term.label


@pytest.mark.parametrize("topic", TOPICS)
def test_words_missing_from_a_text_skip_the_phrase_not_the_match(topic):
    """``covered`` with the text's forms (``present``) says what it says without them; the
    matches worked out once per text (``terms_covered``) are the same, asked again."""
    from rag.topic import _matchable, covered, terms_covered

    terms = parse_topic(topic, SpeakerRegistry.default()).terms
    for text in STATEMENTS + ["", "النفط"]:
        matchable = _matchable(text)
        present = frozenset().union(*matchable[0])
        expected = [covered(t, matchable) for t in terms]
        assert [covered(t, matchable, present) for t in terms] == expected
        assert terms_covered(parse_topic(topic, SpeakerRegistry.default()), text) == expected == terms_covered(
            parse_topic(topic, SpeakerRegistry.default()), text)


def test_a_phrase_of_no_words_covers_every_text():
    from rag.topic import _matchable, covered

    assert covered(Term("empty", ((),)), _matchable("أي نص"), frozenset())


def test_form_index_of_nothing_finds_nothing():
    from rag.topic import FormIndex

    term = parse_topic("إيران", SpeakerRegistry.default()).terms[0]
    assert FormIndex([]).rows_for(term).tolist() == []
    assert FormIndex(["", "   "]).rows_for(term).tolist() == []


def test_weights_over_the_looked_up_texts_count_all_the_others():
    """Texts left out by the FormIndex cover no term: the weights are those of all the texts."""
    topic = parse_topic("الصين", SpeakerRegistry.default())
    every = ["الصين تدعم", "روسيا", "أمريكا", "الهند", "اليابان", "فرنسا"]
    assert weighted_coverages(topic, every[:1], among=len(every))[1] == weighted_coverages(topic, every)[1]


def test_a_description_asked_in_english_is_read_through_the_descriptions_lexicon():
    from rag.topic import parse_description

    registry = SpeakerRegistry.default()
    spokesman = parse_description("the transport ministry's spokesman", registry)
    assert [t.keywords for t in spokesman.terms] == ["وزارة النقل", "متحدث"] and not spokesman.untranslated
    coach = parse_description("Al-Hilal's coach", registry)
    assert [(t.label, t.alternatives == (), t.sound) for t in coach.terms] == [
        ("al-hilal", True, "hilal"), ("coach", False, None)]  # a name is matched by sound
    egyptian = parse_description("an Egyptian diplomatic source", registry)
    assert any("مصري" in " ".join(w for phrase in t.alternatives for word in phrase for w in word) for t in egyptian.terms)
    assert parse_description("the head of the anti-smoking society", registry).untranslated == ("anti-smoking",)
    arabic = parse_description("المستشار القانوني لنادي الأهلي", registry)
    assert [t.label for t in arabic.terms] == ["المستشار", "القانوني", "لنادي", "الاهلي"]


def test_an_english_description_keeps_its_small_words_inside_phrases():
    # "chamber of commerce" is one entry; "ministry of transport" is "transport ministry" asked the other way
    from rag.topic import parse_description

    registry = SpeakerRegistry.default()
    chamber = parse_description("the head of the Jeddah chamber of commerce", registry)
    assert [t.keywords for t in chamber.terms] == ["رئيس", "جدة", "غرفة تجارة"] and not chamber.untranslated
    ministry = parse_description("the spokesman for the ministry of transport", registry)
    assert [t.keywords for t in ministry.terms] == ["متحدث", "وزارة النقل"] and not ministry.untranslated
    assert parse_description("the prime minister", registry).terms[0].keywords == "رئيس الوزراء"


def test_described_near_wants_the_description_on_one_side_of_the_name_and_close_to_it():
    from rag.topic import described_near, parse_description

    registry = SpeakerRegistry.default()
    adviser = parse_description("المستشار القانوني لنادي الأهلي", registry)
    # 2015-07-26: the description before the name, with «وعضو شرف» between its words and «لنادي» missing
    real = "كشف المستشار القانوني وعضو شرف الاهلي خالد أبو راشد، بأن"
    assert not described_near(adviser, real, "خالد أبو راشد", 8)  # every word, unless told otherwise
    assert described_near(adviser, real, "خالد أبو راشد", 8, least=3, needed=(0, 3))
    assert not described_near(adviser, real, "خالد أبو راشد", 8, least=3, needed=(2,))  # «لنادي» needed
    assert not described_near(adviser, real, "سامي الجابر", 8, least=3)
    # invented: half of it before the name and half after is no description of it
    assert not described_near(adviser, "وقال المستشار القانوني خالد أبو راشد لنادي الأهلي", "خالد أبو راشد", 8)
    assert described_near(adviser, "وقال خالد أبو راشد، المستشار القانوني لنادي الأهلي", "خالد أبو راشد", 8)


def test_an_english_name_sounds_in_the_adjective_made_of_it():
    # "Al-Hilal's coach" is «المدرب الهلالي» in the articles
    from rag.topic import parse_description, terms_covered

    registry = SpeakerRegistry.default()
    coach = parse_description("Al-Hilal's coach", registry)
    assert terms_covered(coach, "قال المدرب الهلالي جوريجوس دونيس إن التغذية مهمة") == [True, True]
    assert terms_covered(coach, "قال المدرب الاتحادي إن التغذية مهمة") == [False, True]


def test_an_updated_form_index_is_the_one_built_from_its_texts():
    """Texts leave and come: the updated postings equal those built from scratch (as saved)."""
    import numpy as np

    from rag.catalog import form_parts
    from rag.columns import RowPlan
    from rag.topic import FormIndex

    ids = [f"q{i:03d}" for i in range(len(STATEMENTS))]
    keep = np.array([i % 2 == 0 for i in range(len(STATEMENTS))])
    new_ids, new_texts = ["q000a", "zz"], ["وقالت الوزيرة إن النفط الإيراني", "نص مخترع عن الصادرات"]
    plan = RowPlan.of(ids, keep, new_ids)
    updated = FormIndex(STATEMENTS).updated(plan, new_texts)
    merged = sorted([(i, t) for i, t, k in zip(ids, STATEMENTS, keep) if k] + list(zip(new_ids, new_texts)))
    built = FormIndex(t for _, t in merged)
    saved, expected = form_parts(updated), form_parts(built)
    for name in expected:
        value = expected[name]
        assert (np.array_equal(saved[name], value) if isinstance(value, np.ndarray) else saved[name] == value), name
    term = parse_topic("الصادرات", SpeakerRegistry.default()).terms[0]
    assert updated.rows_for(term).tolist() == [len(merged) - 1]
