"""The coverage audit (rag.audit_article, benchmarks/audit.py): which sentences hold a reporting
cue, which pattern each is, which of them yield no statement, and which speakers are suspect.

The sentences are invented; each pattern label below was read off the sentence by hand.
"""
from __future__ import annotations

import json

import pytest

import rag
from rag.attribute.audit import ArticleAudit, CueSentence, sentence_cues, speaker_issue
from rag.speakers import SpeakerRegistry
from rag.types import Quote, Speaker


def _patterns(text: str) -> list[str]:
    return [c.pattern for c in sentence_cues(text)]


@pytest.mark.parametrize("sentence, pattern", [
    ("وقال المدير إن المشروع سينتهي قريبا.", "قال past +that"),
    ("وقال المدير: المشروع سينتهي قريبا.", "قال past +colon"),
    ("وقال رئيس الاتحاد المحلي «الأزمة أكبر مما يظن الجميع».", "قال past +quote"),
    ("وطالب النائب بفتح تحقيق مستقل في الحادث.", "طالب past +pp"),
    ("وندد الاتحاد بالهجوم على المدرسة.", "ندد past +pp"),
    ("وانتقد الكاتب سياسة الحكومة الجديدة.", "انتقد past +object"),
    ("ونقلت الصحيفة عن المتحدث قوله إن الأمر انتهى.", "نقل past +relay"),
    ("ونقلت الصحيفة عن المتحدث قوله «انتهى الأمر تماما هنا».", "نقل past +relay"),
    ("وكانت الوزارة قد أعلنت الأسبوع الماضي عن خطة جديدة.", "أعلن past pluperfect"),
    ("ولم يعلن المدير شيئا عن الموضوع.", "أعلن present negated"),
    ("وهي الخطة التي أعلنت الأسبوع الماضي.", "أعلن past relative"),
    ("ويذكر أن المشروع بدأ قبل عامين.", "ذكر present impersonal"),
    ("وافتتح المحافظ المعرض، مؤكدا أن المدينة تستحق الأفضل.", "أكد participle +that"),
    ("وبحسب مصادر محلية فإن الطريق مغلق.", "بحسب phrase +source"),
    ("وفي تصريح للصحفيين أمس أكد المسؤول أن العمل مستمر.", "أكد past +that"),
])
def test_cue_patterns(sentence, pattern):
    assert _patterns(sentence) == [pattern]


@pytest.mark.parametrize("sentence", [
    "وافتتح المحافظ المعرض في مقر الشركة.",  # مقر: headquarters, not the participle of أقر
    "وتبلغ مساحة المدينة ألف كيلومتر مربع.",  # تبلغ: amounts to, not informs
    "ويقام المعرض وفقا للمرسوم الصادر العام الماضي.",  # وفقا للمرسوم: according to a decree, no source
    "ووصل عدد الزوار إلى مليون زائر.",  # عدد: a number, not «he enumerated»
    "وسافر الوفد عبر مطار الملك خالد.",  # عبر without عن: via
    "ونقل المحافظ تعازي القيادة لأسرة الفقيد.",  # نقل without عن: conveyed, no relay
])
def test_not_cues(sentence):
    assert _patterns(sentence) == []


def test_uncovered_and_not_speech_are_counted_apart():
    text = ("قال المدير إن المشروع سينتهي قريبا.\n"
            "ولم يعلن المدير شيئا عن الموضوع.\n"
            "وندد الاتحاد بالهجوم على المدرسة.")
    audit = rag.audit_article(text)
    assert audit.sentences == 3
    assert audit.cue_sentences == 2  # the negated sentence is no cue sentence
    assert [c.construction for c in audit.not_speech] == ["negated"]
    covered = {(q.start, q.end) for q in audit.quotes}
    assert any(s <= text.index("المشروع") < e for s, e in covered)
    assert all(c.start >= text.index("ولم") for c in audit.uncovered)


def _quote(name_ar: str, sid: str | None = None, kind: str = "person") -> Quote:
    speaker = Speaker(id=sid or "ar:" + name_ar.replace(" ", "-"), name_en="x", name_ar=name_ar, kind=kind)
    return Quote(speaker=speaker, text="t", start=0, end=1, kind="indirect", cue="قال", confidence=0.9)


@pytest.mark.parametrize("name_ar, issue", [
    ("المصدر", "bare_noun"),
    ("الشركة", "bare_noun"),
    ("المتحدث باسم وزارة الداخلية المصرية", "unresolved_description"),
    ("مصادر أمنية", "unresolved_description"),
    ("سموه", "pronoun"),
    ("هذا الفيلسوف", "pronoun"),
    ("الشيخ خميس الخنجر", "unregistered_name"),
    ("السرحان", "unregistered_name"),
])
def test_speaker_issues(name_ar, issue):
    assert speaker_issue(_quote(name_ar), SpeakerRegistry.default()) == issue


def test_registry_speakers_are_no_issue():
    registry = SpeakerRegistry.default()
    lavrov = registry.get("sergei-lavrov")
    assert speaker_issue(_quote(lavrov.name_ar, lavrov.id), registry) is None


def test_benchmark_leaves_out_the_test_split(tmp_path, monkeypatch):
    """benchmarks/audit.py never reads a test-split article, and shows examples only from the
    annotation days."""
    import importlib.util
    import zipfile

    from rag.config import PROJECT_ROOT

    spec = importlib.util.spec_from_file_location("audit_bench", PROJECT_ROOT / "benchmarks" / "audit.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    rows = [{"content": "وطالب النائب بفتح تحقيق مستقل في الحادث.", "title": "t", "date_extracted": "2015-07-25"},
            {"content": "وندد الاتحاد بالهجوم على المدرسة.", "title": "t", "date_extracted": "2015-07-25"}]
    for day in ("2015-07-25", "2015-07-21"):
        with zipfile.ZipFile(tmp_path / f"{day}.zip", "w") as archive:
            archive.writestr(f"{day}.json", json.dumps(rows, ensure_ascii=False))
    monkeypatch.setattr(bench, "test_articles", lambda: {("2015-07-25.zip", 1), ("2015-07-21.zip", 1)})
    read = []

    def audit(text, **options):  # every article read has one uncovered cue sentence
        read.append(text)
        return ArticleAudit([], sentences=1, cue_sentences=1,
                            uncovered=[CueSentence(0, len(text), "x", "x", "past", "+pp")])

    monkeypatch.setattr(bench, "audit_article", audit)
    annotated = bench.audit_zip((str(tmp_path / "2015-07-25.zip"), None, 3))
    other = bench.audit_zip((str(tmp_path / "2015-07-21.zip"), None, 3))
    assert annotated["articles"] == other["articles"] == 1 and annotated["skipped_test"] == 1
    assert read == [rows[0]["content"], rows[0]["content"]]  # the test-split article is never read
    shown = [e for items in annotated["examples"].values() for e in items]
    assert shown and all(e["article"] == ["2015-07-25.zip", 0] for e in shown)
    assert not other["examples"] and not other["speaker_examples"]


@pytest.mark.parametrize("sentence", [
    "وحرم أكثر من 220 ألف طالب من مواصلة الدراسة الجامعية.",  # طالب: students, after a quantity
    "تناول العدد موضوع الحوكمة المترجم عن رأي منشور في المجلة.",  # رأي: an opinion, after عن
])
def test_a_verb_spelling_read_as_a_noun_is_no_cue(sentence):
    assert _patterns(sentence) == []
