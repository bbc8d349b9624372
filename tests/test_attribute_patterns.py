"""Issue 12's statement patterns, each on a real sentence from the three annotation days (never
a test-split article; article noted) and on an invented one. Expected spans are read off the
sentence by hand under tests/data/gold/ANNOTATING.md: a speech act with an object or a
prepositional phrase is a statement whose content starts at the first word after the cue verb
and its subject.
"""
from __future__ import annotations

import pytest

from rag.attribute import extract_quotes


def _said(text: str) -> list[tuple[str, str, str]]:
    return [(q.speaker.name_ar, q.kind, q.text) for q in extract_quotes(text)]


# --- pattern 1: speech acts with an object or a prepositional phrase ------------------------

@pytest.mark.parametrize("text, expected", [
    # 2015-07-26.zip #30 (dev)
    ("طالبت وزارة الخارجية الفلسطينية، العالمين العربي والإسلامي بالتحرك العاجل لإنقاذ القدس ومقدساتها "
     "الإسلامية ، وحذرت من التعامل مع عمليات تهويدها كأمر اعتيادي ومألوف.",
     [("وزارة الخارجية الفلسطينية", "indirect",
       "العالمين العربي والإسلامي بالتحرك العاجل لإنقاذ القدس ومقدساتها الإسلامية"),
      ("وزارة الخارجية الفلسطينية", "indirect", "من التعامل مع عمليات تهويدها كأمر اعتيادي ومألوف")]),
    # invented
    ("ودعت الوزيرة المجتمع الدولي إلى زيادة المساعدات الإنسانية.",
     [("الوزيرة", "indirect", "المجتمع الدولي إلى زيادة المساعدات الإنسانية")]),
    ("وطالب النائب بفتح تحقيق مستقل في الحادث.", [("النائب", "indirect", "بفتح تحقيق مستقل في الحادث")]),
    ("وندد المتحدث باسم الاتحاد بالهجوم على المدرسة، داعيا السلطات إلى ملاحقة المسؤولين عنه.",
     [("المتحدث باسم الاتحاد", "indirect", "بالهجوم على المدرسة"),
      ("المتحدث باسم الاتحاد", "indirect", "السلطات إلى ملاحقة المسؤولين عنه")]),
])
def test_speech_acts_with_object_or_prepositional_content(text, expected):
    assert _said(text) == expected


@pytest.mark.parametrize("text", [
    "وتبدو النتائج متوقعة بعد ارتفاع أسعار النفط في الأسواق العالمية.",  # متوقعة: expected, an adjective
    "وحملت الطائرة مساعدات طبية إلى المدينة المحاصرة.",  # حمل: carried, no speech act
])
def test_words_that_only_look_like_speech_acts(text):
    assert _said(text) == []


def test_an_object_before_a_later_complementiser_is_the_content():
    # «استبعد … إمكانية أن…»: the أن belongs to the object, the content starts at the object
    text = "استبعد المسؤول إمكانية أن يقبل الطرفان بالحل السياسي للأزمة."
    assert _said(text) == [("المسؤول", "indirect", "إمكانية أن يقبل الطرفان بالحل السياسي للأزمة")]


# --- pattern 8: a described speaker keeps its name, head noun and honorific -------------------

@pytest.mark.parametrize("text, name", [
    # 2015-07-26.zip #66 (dev)
    ("وأوضح المدير الطبي في العيادات التخصصية السعودية الدكتور محمد إسماعيل الزعبي، أن العيادات التخصصية "
     "السعودية تعاملت خلال هذا الأسبوع مع ما مجموعه 970 حالة مرضية.", "محمد إسماعيل الزعبي"),
    # 2015-08-02.zip #568 (dev): «د.» is no sentence end, «أبو طالب» is a name
    ("من جانبه، قال مدير إدارة الحج والعمرة بمنطقة مكة المكرمة د. موفق أبو طالب إن الاجتماع تطرق إلى "
     "الترتيبات والاستعدادات لكافة المرافق الصحية.", "موفق أبو طالب"),
    # 2015-07-25.zip #1378 (dev): a name with بن, then its office
    ("وأوضح عبدالله بن عبدالملك المرشد مدير عام إدارة البرامج والمنتجات السياحية المكلف في الهيئة العامة "
     "للسياحة والتراث الوطني، أن المهرجانات السياحية وفرت فرصا وظيفية مؤقتة.", "عبدالله بن عبدالملك المرشد"),
    # invented
    ("وأكد وكيل الوزارة للشؤون الفنية المهندس سامي بن علي الفارس أن المشروع سينتهي قريبا.",
     "سامي بن علي الفارس"),
])
def test_an_office_and_the_name_after_it_are_one_speaker(text, name):
    quotes = extract_quotes(text)
    assert len(quotes) == 1 and name in quotes[0].speaker.name_ar


def test_someone_met_is_not_the_speaker():
    # a name after «خلال لقائه» is the person met, not the one speaking
    text = "وقال الوزير خلال لقائه السفير محمد علي، إن العلاقات متينة."
    assert [q.speaker.name_ar for q in extract_quotes(text)] == ["الوزير"]
