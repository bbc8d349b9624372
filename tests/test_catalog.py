"""The quote catalogue: compact records, vectors in one matrix, exact nearest search."""
import numpy as np
import pytest

from rag.catalog import KEPT_METADATA, QuoteCatalog
from rag.store import Record, quote_record
from rag.types import Quote, Speaker

SPEAKERS = [Speaker("adel-al-jubeir", "Adel al-Jubeir", "عادل الجبير"), Speaker("john-kerry", "John Kerry", "جون كيري")]


def _record(i: int, vector=None) -> Record:
    speaker = SPEAKERS[i % 2]
    meta = {"article_id": f"a{i // 3}", "title": "عنوان طويل", "url": f"http://e/{i // 3}", "source": "sabq",
            "date": "2015-07-25", "date_int": 20150725, "content_hash": "x" * 40}
    quote = Quote(speaker, f"تصريح رقم {i}", 10, 22, "direct", "قال", 0.9)
    return Record(*quote_record(quote, i, meta, context=f"وقال المتحدث تصريح رقم {i}"),
                  embedding=None if vector is None else np.asarray(vector, np.float32))


def _unit(*values):
    v = np.asarray(values, np.float32)
    return v / np.linalg.norm(v)


def test_records_keep_only_what_answers_read_with_shared_strings():
    catalog = QuoteCatalog([_record(0), _record(1)])
    first, second = catalog.records["a0:q0"], catalog.records["a0:q1"]
    assert set(first.metadata) <= set(KEPT_METADATA) and "title" not in first.metadata
    assert first.metadata["article_id"] is second.metadata["article_id"]  # one string for the article
    assert catalog.speaker_of(second).name_en == "John Kerry"
    assert [r.id for r in catalog.quotes_of(["adel-al-jubeir"])] == ["a0:q0"]
    assert catalog.sources == ["sabq"]


def test_nearest_is_exact_best_first_and_filtered():
    vectors = [_unit(1, 0), _unit(1, 1), _unit(0, 1), _unit(-1, 0)]
    catalog = QuoteCatalog([_record(i, v) for i, v in enumerate(vectors)])
    query = _unit(1, 0.2)
    assert [r.id for r, _ in catalog.nearest(query, 2, lambda r: True)] == ["a0:q0", "a0:q1"]
    kerry = catalog.nearest(query, 5, lambda r: r.metadata["speaker_id"] == "john-kerry")
    assert [r.id for r, _ in kerry] == ["a0:q1", "a1:q3"]
    assert kerry[0][1] == pytest.approx(float(vectors[1] @ query))
    assert catalog.nearest(query, 3, lambda r: False) == []


def test_records_without_vectors_are_never_similar():
    catalog = QuoteCatalog([_record(0, _unit(1, 0)), _record(1), _record(2, _unit(0, 1))])
    records = list(catalog.records.values())
    assert set(catalog.similarities(records, _unit(1, 0))) == {"a0:q0", "a0:q2"}
    assert [r.id for r, _ in catalog.nearest(_unit(1, 0), 5, lambda r: True)] == ["a0:q0", "a0:q2"]
    stale = Record("gone:q9", "", {})  # a record of a catalogue replaced meanwhile
    assert set(catalog.similarities([stale, *records[:1]], _unit(1, 0))) == {"a0:q0"}


@pytest.mark.parametrize("records", [[], [_record(0), _record(1)]])
def test_a_catalogue_with_no_vectors_finds_nothing_near(records):
    catalog = QuoteCatalog(records)
    assert catalog.nearest(_unit(1, 0), 3, lambda r: True) == []
    assert catalog.similarities(list(catalog.records.values()), _unit(1, 0)) == {}


def _described_record(i: int, speaker: Speaker, context: str, quote: str = "تصريح") -> Record:
    meta = {"article_id": f"d{i}", "source": "sabq", "date": "2015-07-25", "date_int": 20150725}
    return Record(*quote_record(Quote(speaker, quote, 0, len(quote), "indirect", "قال", 0.9), i, meta, context=context))


ABU_RASHID = Speaker("ar:خالد-ابو-راشد", "Khalid Abu Rashid", "خالد أبو راشد")
NEIGHBOUR = Speaker("ar:سامي-الجابر", "Sami al-Jaber", "سامي الجابر")
SPOKESMAN = Speaker("ar:المتحدث-الرسمي", "official spokesman", "المتحدث الرسمي", kind="unnamed")
MINISTRY = Speaker("ar:وزارة-الداخلية", "Interior Ministry", "وزارة الداخلية", kind="institution")


def _described(catalog: QuoteCatalog, description: str, is_body=lambda speaker: False) -> list[str]:
    from rag.speakers import SpeakerRegistry
    from rag.topic import parse_topic

    topic = parse_topic(description, SpeakerRegistry.default())
    return [s.name_ar for s, _ in catalog.described(topic, is_body=is_body)]


def test_a_description_names_the_person_it_stands_next_to():
    # 2015-07-26 (al-madina): «كشف المستشار القانوني وعضو شرف الاهلي خالد أبو راشد، بأن الحديث…»
    catalog = QuoteCatalog([
        _described_record(0, ABU_RASHID, "كشف المستشار القانوني وعضو شرف الاهلي خالد أبو راشد، بأن الحديث عار عن الصحة"),
        _described_record(1, NEIGHBOUR, "وقال سامي الجابر إن الفريق جاهز، في حضور المستشار القانوني لنادي الهلال"),
    ])
    assert _described(catalog, "المستشار القانوني للأهلي") == ["خالد أبو راشد"]
    # invented: the description after the name, in apposition
    catalog = QuoteCatalog([_described_record(2, NEIGHBOUR, "وقال سامي الجابر مدير الكرة بنادي الهلال إن الفريق جاهز")])
    assert _described(catalog, "مدير الكرة بنادي الهلال") == ["سامي الجابر"]
    assert _described(catalog, "مدير الكرة بنادي النصر") == []  # its rarest word must be there


def test_words_far_from_the_name_or_on_both_sides_of_it_do_not_describe_it():
    catalog = QuoteCatalog([_described_record(
        0, NEIGHBOUR, "وأكد المدير الفني للفريق بعد أن التقى اللاعبين في المعسكر أمس سامي الجابر أن التحضيرات جيدة")])
    assert _described(catalog, "المدير الفني للفريق") == []


def test_unnamed_speakers_and_bodies_inside_the_description_are_not_the_described_person():
    catalog = QuoteCatalog([
        _described_record(0, SPOKESMAN, "وقال المتحدث الرسمي باسم وزارة الداخلية إن الحادث قيد التحقيق"),
        _described_record(1, MINISTRY, "وقال المتحدث باسم وزارة الداخلية إن الحادث قيد التحقيق"),
    ])
    assert _described(catalog, "المتحدث باسم وزارة الداخلية") == []
    assert _described(catalog, "وزارة الداخلية") == ["وزارة الداخلية"]  # a name that is the whole description


def test_a_body_named_by_the_description_beats_people_described_by_it():
    labour = Speaker("ar:وزارة-العمل", "Labour Ministry", "وزارة العمل")
    spokesman = Speaker("ar:تيسير-المفرج", "Tayseer al-Mufarrej", "تيسير المفرج")
    catalog = QuoteCatalog([
        _described_record(0, labour, "وأوضحت وزارة العمل في دليلها الإرشادي أن العقوبة تصل إلى 5 سنوات"),
        _described_record(1, spokesman, "وقال المتحدث باسم وزارة العمل تيسير المفرج إن البرنامج يطبق على مراحل"),
    ])
    def is_body(speaker):
        return speaker.name_ar.startswith("وزارة")

    assert _described(catalog, "وزارة العمل", is_body) == ["وزارة العمل"]
    assert _described(catalog, "المتحدث باسم وزارة العمل", is_body) == ["تيسير المفرج"]


def test_people_described_by_an_office_beat_the_office_left_unnamed():
    # invented, after 2015-08-02 (okaz): «وزير الداخلية اليمني عبده الحذيفي»; a continuation left
    # to the bare office «وزير الداخلية اليمني»
    office = Speaker("ar:وزير-الداخلية-اليمني", "Yemeni interior minister", "وزير الداخلية اليمني", kind="unnamed")
    minister = Speaker("ar:عبده-الحذيفي", "Abdu al-Hudhaifi", "عبده الحذيفي")
    catalog = QuoteCatalog([
        _described_record(0, office, "وأضاف وزير الداخلية اليمني أن الوضع في عدن مستقر"),
        _described_record(1, minister, "وقال وزير الداخلية اليمني عبده الحذيفي إن عدن آمنة"),
    ])
    from rag.speakers import SpeakerRegistry
    from rag.topic import parse_topic

    def described(text, is_body):
        return [s.name_ar for s, _ in catalog.described(parse_topic(text, SpeakerRegistry.default()), is_body=is_body)]

    assert described("وزير الداخلية اليمني", lambda s: False) == ["عبده الحذيفي"]
    assert described("وزير الداخلية اليمني", lambda s: True) == ["وزير الداخلية اليمني"]  # were it a body


def test_questions_name_only_speakers_whose_names_are_names():
    committee = Speaker("ar:لجنة", "Ljna", "لجنة")  # a noun an attribution took for a name
    ministry = Speaker("ar:وزارة-العمل", "Labour Ministry", "وزارة العمل", kind="institution")
    catalog = QuoteCatalog([_described_record(0, committee, "وقالت لجنة إن"), _described_record(1, ministry, "وقالت وزارة العمل إن"),
                            _described_record(2, ABU_RASHID, "وقال خالد أبو راشد إن")])
    askable = catalog.askable(lambda s: s.name_ar != "لجنة")
    assert askable.named("لجنة") is None and askable.named("خالد أبو راشد") == ABU_RASHID
    assert askable.hidden == {"ar:لجنة"} and askable.quotes["ar:لجنة"] == 1
    assert catalog.askable(lambda s: True) is askable  # decided once per catalogue
    assert len(askable.speakers) == 3  # restoring a conversation still knows them all, by id
