"""Issue 12's statement patterns, each on a real sentence from the three annotation days (never
a test-split article; article noted) and on an invented one. Expected spans are read off the
sentence by hand under rag/data/gold/ANNOTATING.md: a speech act with an object or a
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

@pytest.mark.parametrize("text, speaker_ar, name_en", [
    ("وقالت مصادر أمنية إن الهجوم أحبط.", "مصادر أمنية", "security sources"),
    ("وقال المتحدث باسم وزارة الداخلية المصرية إن الهجوم أحبط.", "المتحدث باسم وزارة الداخلية المصرية",
     "spokesman for the Egyptian Interior Ministry"),
    ("وقال رئيس غرفة تجارة جدة إن الأسواق مستقرة.", "رئيس غرفة تجارة جدة", "head of the Jeddah Chamber of Commerce"),
])
def test_a_description_keeps_its_head_noun_and_gets_an_english_gloss(text, speaker_ar, name_en):
    (quote,) = extract_quotes(text)
    assert (quote.speaker.name_ar, quote.speaker.name_en) == (speaker_ar, name_en)


def test_a_named_speaker_outside_the_registry_is_romanised_and_described():
    # 2015-07-26.zip #66 (dev): the name is romanised, the office glossed into the description
    text = ("وأوضح المدير الطبي في العيادات التخصصية السعودية الدكتور محمد إسماعيل الزعبي، أن العيادات "
            "تعاملت مع الحالات.")
    (quote,) = extract_quotes(text)
    assert quote.speaker.name_ar == "محمد إسماعيل الزعبي"
    assert quote.speaker.description == "medical director" and "Z" in quote.speaker.name_en

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


# --- pattern 2: direct quotes in every house style, after unknown speakers --------------------

@pytest.mark.parametrize("text, expected", [
    # 2015-07-26.zip #230 (dev): ASCII marks after a name the registry lacks
    ('وقال بيرهوف "أنا سعيد بتجنب مواجهة اسبانيا أو ايطاليا لكني واثق أن كل المنتخبات الكبرى ستتأهل."',
     [("بيرهوف", "direct", "أنا سعيد بتجنب مواجهة اسبانيا أو ايطاليا لكني واثق أن كل المنتخبات الكبرى ستتأهل")]),
    # 2015-07-25.zip #31 (dev): ”…” opened by the closing mark, after a colon
    ("وقالت قوة المهام المشتركة في بيان الليلة الماضية :” إن الضربات التي وجهت في سوريا أصابت وحدات "
     "تكتيكية”.", [("قوة المهام المشتركة", "direct", "الضربات التي وجهت في سوريا أصابت وحدات تكتيكية")]),
    # invented: no colon, a quotation over two sentences, a title phrase as speaker
    ('وقال رئيس الاتحاد المحلي "الأزمة أكبر مما يظن الجميع. لن ننتظر أكثر".',
     [("رئيس الاتحاد المحلي", "direct", "الأزمة أكبر مما يظن الجميع. لن ننتظر أكثر")]),
    ("وقالت المدربة سارة الخالدي ”فريقنا مستعد تماما لهذه المباراة الصعبة”.",
     [("سارة الخالدي", "direct", "فريقنا مستعد تماما لهذه المباراة الصعبة")]),
    ("وقال مدرب المنتخب للصحفيين بعد المباراة “لعبنا بشكل جيد لكن الحظ لم يحالفنا”.",
     [("مدرب المنتخب", "direct", "لعبنا بشكل جيد لكن الحظ لم يحالفنا")]),
])
def test_direct_quotes_after_speakers_outside_the_registry(text, expected):
    got = _said(text)
    assert [(kind, quote) for _, kind, quote in got] == [(kind, quote) for _, kind, quote in expected]
    assert all(name in speaker for (speaker, _, _), (name, _, _) in zip(got, expected))


def test_a_closing_mark_opens_only_before_a_word_with_its_partner_on_the_line():
    from rag.attribute.marks import find_marks

    text = "قال ”نعم هنا” ثم انتهى» الكلام"
    marks = find_marks(text)
    assert [(p.open, p.close) for p in marks.pairs] == [(text.index("”"), text.rindex("”"))]
    assert marks.unmatched_close == [text.index("»")]


# --- pattern 4: a participle hanging on a verb that reports nothing ---------------------------

@pytest.mark.parametrize("text, speaker, quote", [
    # 2015-07-25.zip #1270: ثمّن reports nothing; مشيراً speaks for its subject, named after «المهندس»
    ("وثمن أمين الطائف رئيس المجلس البلدي المهندس محمد بن عبدالرحمن المخرج دعم واهتمام الأمير خالد "
     "الفيصل لكافة المشاريع البلدية، مشيراً إلى أن هذا المنجز يعكس ما تقدمه الحكومة الرشيدة للمواطن.",
     "محمد بن عبدالرحمن المخرج", "هذا المنجز يعكس ما تقدمه الحكومة الرشيدة للمواطن"),
    # 2015-07-25.zip #1469
    ("أشاد والد الشبان اللواء صالح بن أحمد قحطان بتجربة أبنائه، مؤكدا أن شغل الفراغ بالترويح مطلب نفسي "
     "واجتماعي.", "صالح بن أحمد قحطان", "شغل الفراغ بالترويح مطلب نفسي واجتماعي"),
    # invented
    ("ورحبت السفيرة الأمريكية بالقرار، مضيفة أن الحوار هو الطريق الوحيد.",
     "السفيرة الأمريكية", "الحوار هو الطريق الوحيد"),
    ("واستقبل المحافظ الوفد الزائر، مؤكدا أن المدينة ترحب بالمستثمرين.", "المحافظ", "المدينة ترحب بالمستثمرين"),
])
def test_a_participle_on_a_non_reporting_verb_speaks_for_its_subject(text, speaker, quote):
    quotes = extract_quotes(text)
    assert [q.text for q in quotes] == [quote] and speaker in quotes[0].speaker.name_ar


# --- pattern 5: continuations go to the last speaker that agrees -------------------------------

def test_a_continuation_goes_to_the_last_speaker_that_agrees():
    # invented: وأضافت is the ministry (feminine), وأشار the spokesman (masculine) before it
    text = ("وقال المتحدث باسم الشركة إن الأرباح ارتفعت. وأضافت الوزارة أن السوق مستقرة. "
            "وأشار إلى أن التوقعات جيدة.")
    assert [(q.speaker.name_ar, q.cue) for q in extract_quotes(text)] == [
        ("المتحدث باسم الشركة", "وقال"), ("الوزارة", "وأضافت"), ("المتحدث باسم الشركة", "وأشار")]


def test_a_feminine_continuation_never_goes_to_a_man_named_in_the_content():
    # invented: the minister named inside what the agency said is not who adds more
    text = ("وقالت الوكالة إن وزير الخارجية سيزور المنطقة الأسبوع المقبل. "
            "وأضافت أن الزيارة ستستمر ثلاثة أيام.")
    assert [(q.speaker.name_ar, q.cue) for q in extract_quotes(text)] == [
        ("الوكالة", "وقالت"), ("الوكالة", "وأضافت")]


@pytest.mark.parametrize("speaker_ar, kind, agreement, agrees", [
    ("وزارة الداخلية", "unnamed", "f", True),
    ("وزارة الداخلية", "unnamed", "m", False),
    ("مكتب رئيس الوزراء", "unnamed", "m", True),
    ("مكتب رئيس الوزراء", "unnamed", "f", False),
    ("المتحدثة باسم المفوضية", "unnamed", "m", False),
    ("مسؤولون أمريكيون", "unnamed", "pl", True),
    ("مسؤولون أمريكيون", "unnamed", "m", False),
])
def test_institutions_and_descriptions_carry_their_gender(speaker_ar, kind, agreement, agrees):
    from rag.attribute.coref import Discourse
    from rag.attribute.lexicon import default_lexicon
    from rag.speakers import SpeakerRegistry
    from rag.types import Speaker

    discourse = Discourse(SpeakerRegistry.default(), [], None, default_lexicon())
    speaker = Speaker(id="ar:x", name_en="x", name_ar=speaker_ar, kind=kind)
    assert discourse.agrees(speaker, agreement) is agrees


# --- pattern 3: relayed speech: the speaker after عن (or على لسان), the outlet as via ----------

@pytest.mark.parametrize("text, speaker, via, quote", [
    # 2015-07-25.zip #1160: an outlet named in marks alone
    ("ونقلت “السومرية” عن شهود عيان في مناطق حدودية بمحافظات أربيل ودهوك ، أن طائرات حربية تركية شنت هجوما "
     "عنيفا على مواقع حزب العمال الكردستاني شمال البلاد.", "شهود", "السومرية",
     "طائرات حربية تركية شنت هجوما عنيفا على مواقع حزب العمال الكردستاني شمال البلاد"),
    # 2015-07-25.zip #164: نشر … على لسان … قوله:
    ("ونشرت الصحيفة على لسان متحدث باسم شرطة لافاييت قوله: «تتعامل مع حادث إطلاق نار في المسرح الكبير في "
     "شارع جونستون كحادث جنائي. ونظل نبحث عن الأسباب».", "متحدث باسم شرطة", "الصحيفة",
     "تتعامل مع حادث إطلاق نار في المسرح الكبير في شارع جونستون كحادث جنائي. ونظل نبحث عن الأسباب"),
    # invented
    ("ونقلت الوكالة عن المتحدث قوله “لن نتراجع عن قرارنا مهما كانت الضغوط”.", "المتحدث", "الوكالة",
     "لن نتراجع عن قرارنا مهما كانت الضغوط"),
])
def test_relayed_speech_is_the_relayed_speaker_via_the_outlet(text, speaker, via, quote):
    quotes = extract_quotes(text)
    assert [(q.text, q.via) for q in quotes] == [(quote, via)]
    assert speaker in quotes[0].speaker.name_ar


def test_a_continuation_with_its_saying_noun_before_a_quotation():
    # 2015-08-02.zip #1042 (shortened): «وتابع قوله "…"»
    text = 'وقال الوزير إن الحل قريب. وتابع قوله "جرى التحقق من هذا من قبل السلطات الفرنسية إلى جانب شركة بوينج".'
    assert [(q.speaker.name_ar, q.kind, q.text) for q in extract_quotes(text)][1] == (
        "الوزير", "direct", "جرى التحقق من هذا من قبل السلطات الفرنسية إلى جانب شركة بوينج")


# --- pattern 6: nested speech -----------------------------------------------------------------

@pytest.mark.parametrize("text, outer, inner, inner_quote", [
    # 2015-07-25.zip #102 (dev): what the White House says Obama condemned
    ("وقال البيت الابيض ان اوباما أدان التفجير الذي وقع يوم الاثنين في بلدة سروج التركية.",
     "البيت الأبيض", "باراك أوباما", "التفجير الذي وقع يوم الاثنين في بلدة سروج التركية"),
    # invented
    ("وقال المسؤول إن الوزير أبلغه أن الاتفاق سيوقع غدا.", "المسؤول", "الوزير", "الاتفاق سيوقع غدا"),
])
def test_nested_speech_is_a_statement_inside_the_outer_one(text, outer, inner, inner_quote):
    quotes = extract_quotes(text)
    assert len(quotes) == 2
    first, second = quotes
    assert outer in first.speaker.name_ar and first.nested_in is None
    assert inner in second.speaker.name_ar and second.text == inner_quote
    assert second.nested_in == first.speaker and first.start <= second.start and second.end <= first.end


def test_a_view_inside_a_statement_is_no_nested_statement():
    # invented: تعتبر (holds a view) inside what was said
    text = 'وقال المتحدث إن الولايات المتحدة تعتبر الحزب "منظمة ارهابية" منذ سنوات.'
    assert len(extract_quotes(text)) == 1


# --- pattern 7: background speech in the pluperfect ------------------------------------------

@pytest.mark.parametrize("text, speaker, quote", [
    # 2015-07-25.zip #196
    ("وكان ماركيوني قد ذكر في وقت سابق أن شِركة فيات – كرايسلر سوف تخصص نسبة 10 في المائة من أسهمها لشركة "
     "فيراري.", "ماركيوني", "شِركة فيات – كرايسلر سوف تخصص نسبة 10 في المائة من أسهمها لشركة فيراري"),
    # invented: after another speaker, the ministry and the ambassador speak for themselves
    ("وقال الوزير إن الخطة جاهزة. وكانت الوزارة قد أعلنت الأسبوع الماضي أن المشروع سيبدأ قريبا.",
     "الوزارة", "المشروع سيبدأ قريبا"),
    ("وقال الوزير إن الخطة جاهزة. وكان السفير صرح في مقابلة سابقة بأن العلاقات متينة.",
     "السفير", "العلاقات متينة"),
])
def test_background_speech_is_a_statement_of_its_own_speaker(text, speaker, quote):
    last = extract_quotes(text)[-1]
    assert (last.speaker.name_ar, last.text) == (speaker, quote)


# --- source phrases: someone who speaks, not a medium -----------------------------------------

@pytest.mark.parametrize("text, speaker, quote", [
    ("وبحسب مصادر محلية، فإن الطريق مغلق منذ صباح أمس بسبب الأمطار.", "مصادر محلية",
     "الطريق مغلق منذ صباح أمس بسبب الأمطار"),
    ("وأغلق الطريق منذ صباح أمس بسبب الأمطار الغزيرة، بحسب المصدر نفسه.", "المصدر",
     "وأغلق الطريق منذ صباح أمس بسبب الأمطار الغزيرة"),
])
def test_a_source_phrase_naming_a_speaker_attributes_the_sentence(text, speaker, quote):
    assert [(q.speaker.name_ar, q.text) for q in extract_quotes(text)] == [(speaker, quote)]


@pytest.mark.parametrize("text", [
    "وأغلق الطريق منذ صباح أمس بسبب الأمطار الغزيرة، بحسب رويترز.",  # a medium relays a fact
    "ووفقا للمرسوم يعاقب بالسجن مدة لا تقل عن عشر سنوات كل من أنشأ جمعية.",  # a decree, no source
])
def test_a_source_phrase_naming_no_speaker_attributes_nothing(text):
    assert extract_quotes(text) == []


def test_a_participle_speaks_for_the_subject_of_the_verb_before_it():
    # 2015-07-25.zip #179: «وتابع X قائلا، إن…» with X outside the registry and nobody before
    text = "وتابع المالكي قائلا، إن «الكل يتاجر بأهل البصرة مع مظلوميتها الكبيرة وعدم الاهتمام بها»."
    assert [(q.speaker.name_ar, q.cue) for q in extract_quotes(text)] == [("المالكي", "قائلا")]


@pytest.mark.parametrize("text, speaker, quote", [
    # 2015-07-25.zip #217: «…، كما قال X.» says what comes before it
    ("وأدت الغارات التركية على مواقع للتنظيم في سوريا، إلى مقتل تسعة متطرفين مسلحين، كما قال المرصد السوري "
     "لحقوق الإنسان.", "المرصد السوري لحقوق الإنسان",
     "وأدت الغارات التركية على مواقع للتنظيم في سوريا، إلى مقتل تسعة متطرفين مسلحين"),
    # invented
    ("وتأجلت المباراة إلى الأسبوع المقبل بسبب الأمطار، كما أعلن الاتحاد المحلي.", "الاتحاد المحلي",
     "وتأجلت المباراة إلى الأسبوع المقبل بسبب الأمطار"),
])
def test_as_said_at_the_end_of_a_sentence(text, speaker, quote):
    quotes = extract_quotes(text)
    assert [q.text for q in quotes] == [quote] and speaker in quotes[0].speaker.name_ar


def test_a_view_in_the_present_with_an_object_is_narration():
    # precision audit: «وتعتبر شركة إنستاجرام أحد…» (is considered) is no statement
    assert extract_quotes("وتعتبر شركة إنستاجرام أحد الشركات شديدة الكره للحسابات المزيفة.") == []


def test_an_object_before_a_title_is_what_was_condemned():
    # 2015-08-02.zip #224 (dev): «وأدان اغتيال النائب العام…» is Kerry condemning, not «اغتيال» speaking
    text = ("قال وزير الخارجية الأمريكي جون كيري إن مصر دفعت ثمنا باهظا لمكافحة التطرف، وأدان اغتيال النائب "
            "العام المستشار هشام بركات.")
    assert [(q.speaker.id, q.text) for q in extract_quotes(text)] == [
        ("john-kerry", "مصر دفعت ثمنا باهظا لمكافحة التطرف"),
        ("john-kerry", "اغتيال النائب العام المستشار هشام بركات")]


@pytest.mark.parametrize("form, agreement", [
    ("أدان", "m"), ("أدانا", "dual"), ("أدانت", "f"), ("أدانوا", "pl"), ("دعا", "m"), ("دعيا", "dual"),
    ("يدينان", "dual"), ("داعين", "pl"),
])
def test_the_agreement_of_irregular_forms(form, agreement):
    from rag.attribute.lexicon import default_lexicon
    from rag.arabic import normalize

    assert default_lexicon().cues[normalize(form)].agreement == agreement


def test_a_description_refers_back_to_the_person_named_with_that_office():
    # 2015-07-25.zip #1427 (dev, shortened): «المبعوث الأممي» is the UN envoy named before
    text = ("قال مبعوث الأمم المتحدة إلى الشرق الأوسط نيكولاي ملادينوف: إن الجانبين أصبحا بعيدين عن التسوية. "
            "وأضاف المبعوث الأممي في كلمة أمام مجلس الأمن «أن ازدياد مظاهر العنف يهدد المنطقة».")
    first, second = extract_quotes(text)
    assert "ملادينوف" in first.speaker.name_ar and second.speaker == first.speaker


@pytest.mark.parametrize("text, speaker, quote", [
    # 2015-07-25.zip #302 (dev, shortened): an institution as a leading source, «فإن» opening what it says
    ("وبحسب الصندوق، فإن جنوب إفريقيا لديها فرصة كبيرة وواعدة.", "الصندوق",
     "جنوب إفريقيا لديها فرصة كبيرة وواعدة"),
    # invented
    ("وبحسب وزارة الصحة، فإن عدد الإصابات تراجع خلال الأسبوع الماضي.", "وزارة الصحة",
     "عدد الإصابات تراجع خلال الأسبوع الماضي"),
])
def test_a_leading_source_that_speaks(text, speaker, quote):
    quotes = extract_quotes(text)
    assert [q.text for q in quotes] == [quote] and speaker in quotes[0].speaker.name_ar


@pytest.mark.parametrize("text, quote", [
    # 2015-07-25.zip #926 (dev): «قلل من» (downplayed), «استغرب من», «أفصح عن», «دافع عن»
    ("وقلل المدرب والمحلل الفني تركي السلطان من أهمية تحديد موعد باكرا لبداية التدريبات.",
     "من أهمية تحديد موعد باكرا لبداية التدريبات"),
    ("وأفصح الوزير عن انضمام وزراء الأشغال العامة إلى الحكومة في عدن.", "عن انضمام وزراء الأشغال العامة إلى الحكومة في عدن"),
    ("ودافع البيت الأبيض اليوم عن حق تركيا في ضرب مواقع الحزب.", "عن حق تركيا في ضرب مواقع الحزب"),
])
def test_more_speech_acts_with_a_preposition(text, quote):
    assert [q.text for q in extract_quotes(text)] == [quote]


@pytest.mark.parametrize("text, country", [
    # 2015-07-26.zip #331 (dev)
    ("ولكن الحكومة السودانية تقول ان عدد القتلى لم يتجاوز عشرة الاف شخص.", "sudan"),
    # invented
    ("وقالت السلطات المصرية إن الهجوم أحبط قبل وقوعه.", "egypt"),
])
def test_a_government_named_by_its_country_adjective_is_the_country(text, country):
    assert [q.speaker.id for q in extract_quotes(text)] == [country]


def test_interview_answers_are_the_words_of_the_one_interviewed():
    # 2015-08-02.zip #1163 (dev), shortened: «• question» / «•• answer» paragraphs
    text = ("استبعد ممثل الائتلاف السوري أديب الشيشكلي، إمكانية الحل السياسي.\n"
            "• كيف تقرأ تعيين المبعوث؟\n"
            "•• راتناي دبلوماسي أمريكي عمل في المنطقة. لكنه لن يغير شيئا.\n"
            "• وما موقفكم؟\n"
            "•• موقفنا واضح وثابت.")
    quotes = extract_quotes(text)
    assert [(q.kind, q.text) for q in quotes[1:]] == [
        ("direct", "راتناي دبلوماسي أمريكي عمل في المنطقة. لكنه لن يغير شيئا"), ("direct", "موقفنا واضح وثابت")]
    assert all("الشيشكلي" in q.speaker.name_ar for q in quotes)


@pytest.mark.parametrize("text, cue, quote", [
    # 2015-07-25.zip #25 (dev): «داعيا لـ…» stands for «داعيا إلى…»
    ("وقال المدير إن المشروع جاهز، داعيا للالتحاق والتفاعل والمشاركة بلجان الجمعية.", "داعيا",
     "للالتحاق والتفاعل والمشاركة بلجان الجمعية"),
    # 2015-07-25.zip #926 (dev): «وزاد:» (added) before a colon
    ('وقال المدرب إن الفريق جاهز. وزاد: "من المؤكد بأن مدربي الفريقين يعتبرونها مباراة إعداد".', "وزاد",
     "من المؤكد بأن مدربي الفريقين يعتبرونها مباراة إعداد"),
])
def test_continuations_in_their_other_forms(text, cue, quote):
    assert (cue, quote) in [(q.cue, q.text) for q in extract_quotes(text)]


def test_zad_without_a_colon_is_increased():
    # invented: «وزاد عدد الزوار» (increased) reports nothing
    assert extract_quotes("وزاد عدد الزوار هذا العام بنسبة كبيرة مقارنة بالعام الماضي.") == []


# --- precision: ب/ك/ل with what it governs is never a speaker ----------------------------------

def test_a_verbal_noun_after_the_cue_is_its_complement_not_its_speaker():
    # 2015-07-26.zip #606: «طالبت بتخصيص…، مشيرًا» — the participle never speaks for «بتخصيص»
    text = ("أكد علي العثيم عضو مجلس إدارة غرفة الرياض ورئيس لجنة شباب الأعمال أن اللجنة طالبت بتخصيص 10 % "
            "من العقود الحكومية بالميزانية لصالح مشروعات الشباب، مشيرًا الى أن هذه النسبة سوف توفر ما يقارب "
            "20 مليار ريال كدعم مباشر للمشروعات الناشئة.")
    assert not [q for q in extract_quotes(text) if q.speaker.name_ar.startswith(("ب", "ل"))]
    # invented: the subject-less «وطالب بتسجيل…» and its participle are the topic's
    text = ("وأوضح الدكتور خالد السالم أن المشروع يسير وفق الخطة. وطالب بتسجيل جميع العمال في النظام قبل "
            "نهاية العام، مشيرا إلى أن المهلة لن تمدد.")
    assert [q.speaker.name_ar for q in extract_quotes(text)] == ["خالد السالم"] * 3


@pytest.mark.parametrize("text, speakers", [
    # 2015-07-26.zip #186: «وقال بالحرف الواحد:» — the coach named before speaks, not «بالحرف الواحد»
    ("كان هناك حديث لمدرب المنتخب السعودي السابق الإسباني لوبيز كارو لـ«الشرق الأوسط» قبل كأس الخليج "
     "الماضية بالرياض بأقل من شهر، وقال بالحرف الواحد: «هناك لاعبون نجوم في أنديتهم ولكنهم في المنتخب "
     "يخذلونني، بكونهم لا يقدمون نفس العطاء الفني مع المنتخب كما هو الحال مع فرقهم».", None),
    # invented: a manner adverb «بصراحة» after the verb
    ("وأوضح الدكتور خالد السالم أن المشروع يسير وفق الخطة. وقال بصراحة: «لن نتراجع عن القرار مهما كانت "
     "الضغوط».", ["خالد السالم", "خالد السالم"]),
])
def test_a_manner_phrase_after_the_cue_is_no_speaker(text, speakers):
    said = [q.speaker.name_ar for q in extract_quotes(text)]
    assert not [s for s in said if s.startswith(("ب", "ل"))]
    if speakers is not None:
        assert said == speakers


@pytest.mark.parametrize("text, name", [
    # 2015-07-25.zip #1410: «بجازان» is where the office is, not the first word of the name
    ("وأوضح المدير العام للتعليم بجازان عيسى بن أحمد الحكمي، أن عدد المرشحين بلغ 132 مرشحا للوظائف التعليمية.",
     "عيسى بن أحمد الحكمي"),
    # invented
    ("وأكد مدير فرع الوزارة بمكة سعد الحربي أن الخدمات متاحة للجميع.", "سعد الحربي"),
])
def test_a_place_after_an_office_is_not_part_of_the_name(text, name):
    (quote,) = extract_quotes(text)
    assert quote.speaker.name_ar == name


@pytest.mark.parametrize("text", [
    # 2015-07-26.zip #1258: «ولفت النظر إلى أن…» — «النظر» is the object, the topic speaks
    "وأوضح المهندس سامي العتيبي أن المطار يخضع للاتفاقيات الدولية. ولفت النظر إلى أن الاحتلال الإسرائيلي "
    "ما زال يعمل على إنشاء المطار رغم الاعتراض الأردني.",
    # invented
    "وأوضح المهندس سامي العتيبي أن المطار يخضع للاتفاقيات الدولية. ولفت الانتباه إلى أن العمل سيكتمل قريبا.",
])
def test_the_object_of_drawing_attention_is_no_speaker(text):
    quotes = extract_quotes(text)
    assert [q.speaker.name_ar for q in quotes] == ["سامي العتيبي", "سامي العتيبي"]
    assert not quotes[1].text.startswith(("النظر", "الانتباه", "إلى"))


@pytest.mark.parametrize("text, name", [
    # 2015-07-26.zip #606: «علي» written with ي before a family name is Ali, not the preposition على
    ("أكد علي العثيم عضو مجلس إدارة غرفة الرياض ورئيس لجنة شباب الأعمال أن اللجنة طالبت بتخصيص 10 % "
     "من العقود الحكومية بالميزانية لصالح مشروعات الشباب.", "علي العثيم"),
    # 2015-08-02.zip #935: after an honorific
    ("وأوضح رئيس بلدية محافظة بقيق الدكتور علي السواط ، أن إدارة صحة البيئة بالبلدية نفذت 48 جولة ميدانية "
     "خلال الأسبوع الماضي.", "علي السواط"),
    # invented
    ("وقال الدكتور علي الحارثي إن المشروع تأخر بسبب نقص التمويل.", "علي الحارثي"),
])
def test_ali_written_with_ya_before_a_name_is_a_name(text, name):
    (quote,) = extract_quotes(text)
    assert quote.speaker.name_ar == name


@pytest.mark.parametrize("text, name", [
    # invented: outlets that write ى as ي everywhere — «علي» before what it governs stays على
    ("وشدد الوزير علي ضرورة أن يلتزم الجميع بالقرار الجديد.", "الوزير"),
    ("وأكدت الوزارة علي أهمية التعاون بين الجانبين في المرحلة المقبلة.", "الوزارة"),
])
def test_ali_written_with_ya_before_its_object_stays_a_preposition(text, name):
    assert [q.speaker.name_ar for q in extract_quotes(text)] == [name]


@pytest.mark.parametrize("text, name", [
    # 2015-07-25.zip #1558: a name with بن and a comma after it is the whole name
    ("وأوضح علي بن محمد الغامدي، المشرف العام على العلاقات العامة والإعلام بوزارة الحج، أن الوزارة تهدف "
     "من خلال البرنامج إلى إيجاد حلول مناسبة.", "علي بن محمد الغامدي"),
    # invented
    ("وقال صالح بن سعد القحطاني إن الأمطار تسببت في إغلاق الطريق.", "صالح بن سعد القحطاني"),
])
def test_a_name_with_bin_after_the_cue_is_whole(text, name):
    (quote,) = extract_quotes(text)
    assert quote.speaker.name_ar == name


@pytest.mark.parametrize("text, speaker, english", [
    # 2015-07-25.zip #1395: a partitive quantifier with من and its noun is the speaker, not «عدد»
    ("وأشار عدد من المواطنين لـ «عكاظ» إلى أن وضع النظافة سيئ للغاية في معظم الاحياء.",
     "عدد من المواطنين", "a number of citizens"),
    # 2015-07-25.zip #1437: a media head with its noun and adjectives
    ("وذكرت وسائل إعلام محلية أن طائرات هليكوبتر وأكثر من خمسة آلاف ضابط بينهم أفراد من القوات الخاصة "
     "يشاركون في العملية.", "وسائل إعلام محلية", "local media"),
    # 2015-07-25.zip #1437: a dual head and the two names after it, up to what was said
    ("وقالت محطتا (سي إن إن تورك) و(إن تي في) التلفزيونيتان إن شرطة مكافحة الإرهاب داهمت أكثر من 100 موقع "
     "في أنحاء إسطنبول.", "محطتا (سي إن إن تورك) و(إن تي في) التلفزيونيتان", None),
    # invented
    ("وقال أحد الشهود إن الانفجار هز المنطقة بأكملها.", "أحد الشهود", "one of the witnesses"),
    ("ويرى بعض الخبراء أن الأسعار ستواصل الارتفاع.", "بعض الخبراء", "some experts"),
    ("وأكد عدد كبير من الأهالي أن الطريق مغلق منذ أسبوع.", "عدد كبير من الأهالي", None),
])
def test_a_quantified_speaker_is_the_whole_phrase(text, speaker, english):
    (quote,) = extract_quotes(text)
    assert quote.speaker.name_ar == speaker
    if english is not None:
        assert quote.speaker.name_en == english


@pytest.mark.parametrize("text", [
    # invented: after a subject before the verb, a quantified phrase is the object; «لا أحد» is nobody
    "وكانت وزارة الثقافة أقرت عدة ضوابط وشروط، مع بداية الأسبوع الماضي، من بينها إلزام الشركات بالتصنيف.",
    "لم يكن أحد يعطي للزمن قيمة كبيرة في تلك الأيام.",
])
def test_a_quantifier_that_is_an_object_or_nobody_is_no_speaker(text):
    quotes = extract_quotes(text)
    assert not [q for q in quotes if q.speaker.name_ar.startswith(("عدة", "أحد"))]
    assert all(q.speaker.name_ar == "وزارة الثقافة" and q.text.startswith("عدة ضوابط") for q in quotes)


@pytest.mark.parametrize("text, members", [
    # 2015-07-26.zip #1155: «كل من X وY» is X and Y
    ("وأعلنت كل من البحرين وسلطنة عُمان اللتين تعانيان من عجز بالموازنة أنهما ستخففان من إجراءات الدعم "
     "خصوصا المنتجات النفطية.", 2),
    # invented
    ("وأكدت كل من السعودية والإمارات أنهما ستواصلان دعم الحكومة الشرعية.", 2),
])
def test_each_of_two_named_is_a_group(text, members):
    (quote,) = extract_quotes(text)
    assert len(quote.speaker.members) == members


# --- issue 12, span starts inside the speaker's phrase: a definite phrase before أن is no object --

@pytest.mark.parametrize("text, speaker, said", [
    # 2015-08-02.zip #265: the agency's adjectives, then what was said
    ("اعلنت وكالة انباء الاناضول الحكومية التركية ان جنديين تركيين قتلا وجرح 24 آخرون صباح الاحد في "
     "هجوم انتحاري.", "وكالة الأناضول", "جنديين تركيين قتلا وجرح 24 آخرون صباح الاحد في هجوم انتحاري"),
    # 2015-07-25.zip #583: the rest of the report's name
    ("وفي مجال القروض العقارية كشف التقرير السنوي لمؤسسة النقد العربي السعودي أن القروض العقارية "
     "المقدمة من المصارف واصلت نموها في عام 2014م.", "التقرير",
     "القروض العقارية المقدمة من المصارف واصلت نموها في عام 2014م"),
    # invented
    ("وكشف التقرير السنوي للهيئة أن الصادرات ارتفعت بنسبة عشرة في المئة.", "التقرير",
     "الصادرات ارتفعت بنسبة عشرة في المئة"),
])
def test_a_definite_phrase_before_the_complementiser_is_no_object(text, speaker, said):
    (quote,) = extract_quotes(text)
    assert (quote.speaker.name_ar, quote.text) == (speaker, said)


@pytest.mark.parametrize("text, said", [
    # invented: an indefinite noun governing the clause, and what a verb of describing describes
    ("استبعد المسؤول إمكانية أن يقبل الطرفان بالحل.", "إمكانية أن يقبل الطرفان بالحل"),
    ("ووصف الوزير المشهد بأنه مؤلم للغاية.", "المشهد بأنه مؤلم للغاية"),
])
def test_an_object_that_governs_the_complementiser_stays(text, said):
    (quote,) = extract_quotes(text)
    assert quote.text == said


# --- issue 12, stray words as speakers: no name starts with the verb's object ---------------

@pytest.mark.parametrize("text, speaker, said", [
    # 2015-07-26.zip #74: the ministry, named before, considers the application — no «تطبيق الدليل الوطني»
    ("أعلنت وزارة التجارة والصناعة بدء تطبيق الدليل الوطني للأنشطة الاقتصادية.\n"
     "واعتبرت الوزارة تطبيق الدليل الوطني للأنشطة الاقتصادية بمثابة بنية تحتية لعمليات الربط والتكامل "
     "بين مختلف الجهات الحكومية الأخرى.", "وزارة التجارة والصناعة",
     "تطبيق الدليل الوطني للأنشطة الاقتصادية بمثابة بنية تحتية لعمليات الربط والتكامل بين مختلف الجهات "
     "الحكومية الأخرى"),
    # 2015-08-02.zip #930: a noun with its pronoun is no name
    ("من خلال برنامج متكامل تشارك فيه جميع السلطات المعنية في المملكة الأعضاء في اللجنة الدائمة لمكافحة "
     "غسل الأموال التي يرأسها معالي محافظ مؤسسة النقد العربي السعودي، فيما أبدى الفريق قناعته التامة بأهمية عضوية المملكة في "
     "دعم الجهود الإقليمية والدولية في مكافحة تلك الجرائم.", "الفريق",
     "قناعته التامة بأهمية عضوية المملكة في دعم الجهود الإقليمية والدولية في مكافحة تلك الجرائم"),
    # invented
    ("وأعلن النادي تعيين مدرب جديد للفريق الأول هو الإسباني خوان لوبيز المدرب السابق للمنتخب.", "النادي",
     "تعيين مدرب جديد للفريق الأول هو الإسباني خوان لوبيز المدرب السابق للمنتخب"),
    ("وأكد الأمير إدانة المملكة واستنكارها للهجوم الإرهابي الذي استهدف المصلين.", "الأمير",
     "إدانة المملكة واستنكارها للهجوم الإرهابي الذي استهدف المصلين"),
])
def test_no_name_starts_with_the_verbs_object(text, speaker, said):
    quote = extract_quotes(text)[-1]
    assert (quote.speaker.name_ar, quote.text) == (speaker, said)


# --- issue 12, span runs into a further cue: «… وأشارت الصحيفة إلى أن…» starts a statement ----

@pytest.mark.parametrize("text, expected", [
    # 2015-07-26.zip #377: no comma before the second verb, which has its own subject and أن
    ("من جهة أخرى كشفت صحيفة اعتماد الإصلاحية الجمعة بأن إيران قررت منح الجنسية الإيرانية للمقاتلين "
     "الأجانب الذين يقاتلون بالنيابة في سوريا والعراق وأشارت الصحيفة إلى أن لجنة الأمن في البرلمان أيدت "
     "هذه الصيغة المقترحة.",
     [("صحيفة اعتماد الإصلاحية", "إيران قررت منح الجنسية الإيرانية للمقاتلين الأجانب الذين يقاتلون بالنيابة "
                                 "في سوريا والعراق"),
      ("صحيفة اعتماد الإصلاحية", "لجنة الأمن في البرلمان أيدت هذه الصيغة المقترحة")]),
    # invented
    ("وقال الوزير إن المفاوضات ستستأنف الأسبوع المقبل وأكد المتحدث باسم الوفد أن الجولة ستعقد في جنيف.",
     [("الوزير", "المفاوضات ستستأنف الأسبوع المقبل"), ("المتحدث باسم الوفد", "الجولة ستعقد في جنيف")]),
])
def test_a_joined_verb_with_its_own_subject_and_complementiser_starts_a_statement(text, expected):
    assert [(q.speaker.name_ar, q.text) for q in extract_quotes(text)] == expected


def test_a_joined_verb_whose_first_noun_is_its_object_does_not():
    # invented: «ووصف حزب العمال بأنه…»: the party is what the White House described
    text = "ورحب البيت الأبيض بالاتفاق ووصف حزب العمال بأنه شريك أساسي في العملية."
    assert [(q.speaker.name_ar, q.text) for q in extract_quotes(text)] == [
        ("البيت الأبيض", "حزب العمال بأنه شريك أساسي في العملية")]


# --- issue 12, wrong speaker: a name's apposition ends with its sentence ---------------------

@pytest.mark.parametrize("text, speaker", [
    # 2015-08-02.zip #368: the local sources are not Saleh, named at the end of the sentence before
    ("غادر نائب الرئيس اليمني ورئيس الحكومة اليمنية خالد محفوظ بحاح محافظة عدن، بعد زيارة قصيرة للمدينة "
     "منذ تحريرها من الحوثيين والقوات الموالية للرئيس السابق علي عبدالله صالح. \nوقالت مصادر محلية "
     "لوكالة الأنباء الألمانية (د.ب.ا)، إن بحاح غادر مع عدد من المسؤولين مدينة عدن.", "مصادر محلية"),
    # invented
    ("وانتقد المتظاهرون سياسات الرئيس الأمريكي باراك أوباما. وقالت مصادر دبلوماسية إن الاجتماع سيعقد غدا.",
     "مصادر دبلوماسية"),
])
def test_a_description_after_a_sentence_end_is_not_the_name_before_it(text, speaker):
    (quote,) = extract_quotes(text)
    assert quote.speaker.name_ar == speaker


# --- issue 12, span starts inside the speaker's name: «وزارة التجارة والصناعة» is one name ----

@pytest.mark.parametrize("text, speaker, said", [
    # 2015-07-26.zip #74
    ("أعلنت وزارة التجارة والصناعة بدء تطبيق الدليل الوطني للأنشطة الاقتصادية وفقاً للترميز الصناعي "
     "الدولي للأنشطة الاقتصادية.", "وزارة التجارة والصناعة",
     "بدء تطبيق الدليل الوطني للأنشطة الاقتصادية وفقاً للترميز الصناعي الدولي للأنشطة الاقتصادية"),
    # invented
    ("وأكدت وزارة البيئة والمياه أن الأمطار ستستمر حتى نهاية الأسبوع.", "وزارة البيئة والمياه",
     "الأمطار ستستمر حتى نهاية الأسبوع"),
])
def test_a_definite_word_joined_by_waw_inside_an_office_name_is_part_of_it(text, speaker, said):
    (quote,) = extract_quotes(text)
    assert (quote.speaker.name_ar, quote.text) == (speaker, said)


# --- issue 12, wrong speaker: a person a body is named after is not its speaker ------------

@pytest.mark.parametrize("text, speaker, said", [
    # 2015-07-26.zip #677: the centre's spokesman, not King Salman
    ("وأوضح المتحدث الرسمي لمركز الملك سلمان للإغاثة والأعمال الإنسانية رأفت الصباغ أن 6 شاحنات متجهة "
     "إلى مديرية سيئون 5 منها تحمل مستلزمات ومحاليل طبية.", "رأفت الصباغ",
     "6 شاحنات متجهة إلى مديرية سيئون 5 منها تحمل مستلزمات ومحاليل طبية"),
    # invented: a namesake the registry does not know, with its title
    ("وأكد مدير جامعة الملك سعود أن الدراسة ستبدأ الأحد.", "مدير جامعة الملك سعود", "الدراسة ستبدأ الأحد"),
])
def test_a_namesake_is_part_of_the_bodys_name(text, speaker, said):
    (quote,) = extract_quotes(text)
    assert (quote.speaker.name_ar, quote.text) == (speaker, said)


def test_the_person_himself_still_speaks():
    # invented
    (quote,) = extract_quotes("وقال الملك سلمان إن المملكة ماضية في دعم اليمن.")
    assert quote.speaker.id != "unknown" and quote.speaker.name_ar == "الملك سلمان بن عبد العزيز"


# --- issue 12, stray words as speakers: the prayer after a name ---------------------------

def test_the_prayer_after_a_name_is_no_speaker():
    # 2015-08-02.zip #669: «حفظه الله» is not who stressed the council's success
    text = ("وقبل الدخول إلى تفاصيل أبرز تلك القرارات، يتعيّن الوقوف عند أبرز مضامين كلمة الملك سلمان بن "
            "عبدالعزيز التي ألقاها في مستهل افتتاح أعمال هذه السنة الخاصة بدور الشورى وأداء المهام المناطة به، "
            "حيث أكد -حفظه الله- على نجاح المجلس في مسيرته ليواصل بما اتخذه من قرارات في ترشيد خيارات وقرارات "
            "الحكومة.")
    assert not [q for q in extract_quotes(text) if "حفظه" in q.speaker.name_ar]


@pytest.mark.parametrize("text, speaker, said", [
    # invented
    ("وذكر الإمام النووي يرحمه الله في شرحه أن الحديث صحيح.", "الإمام النووي", "الحديث صحيح"),
    ("وأكد الملك سلمان -حفظه الله- على أن المملكة ماضية في دعم اليمن.", "الملك سلمان بن عبد العزيز",
     "المملكة ماضية في دعم اليمن"),
])
def test_the_prayer_goes_with_the_name_not_with_what_was_said(text, speaker, said):
    (quote,) = extract_quotes(text)
    assert (quote.speaker.name_ar, quote.text) == (speaker, said)
