"""Precision (issue 12): statements that are not statements, and speakers that are a random word.
Each pattern of the dev precision audit (tests/data/precision_audit_dev.json) on a real sentence
of the three annotation days (from audited articles, which no gold file or test draw holds;
article noted) and on an invented one. A subject that is no plausible speaker leaves the verb
subject-less, never a speaker of its own; what is not a statement gives nothing.
"""
from __future__ import annotations

import pytest

from rag.attribute import extract_quotes


def _said(text: str) -> list[tuple[str, str, str]]:
    return [(q.speaker.name_ar, q.kind, q.text) for q in extract_quotes(text)]


def _speakers(text: str) -> list[str]:
    return [q.speaker.name_ar for q in extract_quotes(text)]


# --- an office's complement is no name: «الناطق الإعلامي بشرطة منطقة مكة المكرمة العقيد…» ----

@pytest.mark.parametrize("text, speaker, content", [
    # 2015-07-25.zip #74 (audit): the name comes after the office, «بشرطة منطقة» is no name
    ("أوضح الناطق الإعلامي بشرطة منطقة مكة المكرمة العقيد دكتور عاطي بن عطيه القرشي\xa0 بأن الجهات الأمنية "
     "بشرطة المنطقة\xa0 رصدت مقطع فيديو يتم تداوله.", "دكتور عاطي بن عطيه القرشي",
     "الجهات الأمنية بشرطة المنطقة\xa0 رصدت مقطع فيديو يتم تداوله"),
    # 2015-07-26.zip #787 (audit)
    ("وأوضح المتحدث الإعلامي بالإدارة العامة للدفاع المدني بمحافظة الطائف العقيد ناصر بن سلطان الشريف، أن هذا "
     "المركز ضمن أربعة مشروعات مازالت ثلاثة في طور الإنشاء والتجهيز.", "ناصر بن سلطان الشريف",
     "هذا المركز ضمن أربعة مشروعات مازالت ثلاثة في طور الإنشاء والتجهيز"),
    # 2015-08-02.zip #826 (audit)
    ("وأكد المتحدث الإعلامي لصحة الطائف المكلف عيضة الهذلي أنه تم تكليف لجنة من قبل مديرية الشؤون الصحية.",
     "عيضة الهذلي", "تم تكليف لجنة من قبل مديرية الشؤون الصحية"),
    # invented
    ("وأكد المتحدث الإعلامي بشرطة منطقة تبوك المقدم خالد بن محمد العنزي أن الجهات المختصة باشرت الحادث.",
     "خالد بن محمد العنزي", "الجهات المختصة باشرت الحادث"),
])
def test_an_office_complement_is_no_name(text, speaker, content):
    # the speaker is named in full as written (head noun, office, name): it ends with the name
    quotes = extract_quotes(text)
    assert [q.text for q in quotes] == [content]
    assert quotes[0].speaker.name_ar.endswith(speaker)


# --- a preposition with a pronoun, a demonstrative, an addressee is no speaker -----------------

@pytest.mark.parametrize("text, not_speaker", [
    # 2015-08-02.zip #1310 (audit): «تبين لنا» — it became clear to us
    ("وقال \"بسام\": تبين لنا في المستشفي وحسب قول الأطباء إن هناك كسرًا بالجمجمة ونزيفين أحدهما عنكبوتي.", "لنا"),
    # 2015-07-26.zip #158 (audit): «بهذا الصدد» — in this regard
    ("وتقول بهذا الصدد إن «ألمانيا قامت بعمل رائع، فقد استقبلت في بلادها ما يقارب 100 ألف لاجئ إيزيدي خلال "
     "السنوات الماضية».", "بهذا الصدد"),
    # 2015-08-02.zip #306 (audit): «لإدارة النادي» is the audience
    ("وبينت المصادر ذاتها أن \"صلة\" أكدت لإدارة النادي أن الشركات الراعية لن تتعامل بجدية مع طلبات وعروض "
     "الرعاية.", "لإدارة النادي"),
    # 2015-07-26.zip #85 (audit): «أول من أمس» is a time, not a speaker
    ("كما صرح أول من أمس مدير «إيران إير» وقال إنهم ينوون شراء مائة طائرة جديدة.", "أول"),
    # invented
    ("وقال لهم إن الاجتماع سيعقد في موعده.", "لهم"),
    ("وأوضح بذلك أن المشروع سيكتمل العام المقبل.", "بذلك"),
    ("وأكد لوزارة الصحة أن المستشفى جاهز لاستقبال المرضى.", "لوزارة الصحة"),
])
def test_a_preposition_or_demonstrative_is_no_speaker(text, not_speaker):
    assert all(not_speaker not in s for s in _speakers(text))


def test_a_subjectless_verb_after_an_adverbial_speaks_for_the_topic():
    # «وتقول بهذا الصدد إن…» after a named speaker: she is still speaking (invented)
    text = "وقالت الوزيرة سارة العلي إن الخطة جاهزة للتنفيذ. وتقول بهذا الصدد إن التمويل متوفر بالكامل."
    first, second = _speakers(text)
    assert first == second and first.endswith("سارة العلي")


# --- a name, a title, a slogan or a web address in marks is not what was said ----------------

@pytest.mark.parametrize("text", [
    # 2015-07-26.zip #295 (audit): a newspaper's name
    "وأثار الإعلان بإجراء \"إقالات جماعية\" في اليونان مناقشات عديدة، حيث أشارت \"شبيجل\" إلى رد وزارة المالية "
    "على استجواب اليسار في البرلمان.",
    # 2015-08-02.zip #140 (audit): a book's title
    "الشايجي يقول انتهيت قبل أيام من رواية صغيرة مختلفة بعنوان «ليل الخطاطين» للمؤلفة ياسمين غاتا.",
    # 2015-08-02.zip #1067 (audit): a web address after a colon
    "ومن ثم ترفع على موقع الجائزة: http://albaha-award.org.sa.\nوطالب",
    # invented
    "وأشارت المديرة إلى «معرض الكتاب» الذي يقام سنويا في المدينة.",
])
def test_a_name_in_marks_is_no_quotation(text):
    assert [q for q in extract_quotes(text) if q.kind == "direct"] == []


def test_a_short_quotation_that_ends_its_sentence_is_said():
    # invented: two words in marks, and nothing after them but the full stop
    text = "وقال المدرب: \"سنفوز غدا\". وغادر الملعب."
    assert _said(text) == [("المدرب", "direct", "سنفوز غدا")]


# --- يعتبر، يتوقع with no subject are the passive: the narrator's voice ----------------------

@pytest.mark.parametrize("text", [
    # 2015-07-26.zip #1031 (audit): «the base is considered a strategic site»
    "قال مواطنون يمنيون إن القتال اشتد حول القاعدة. وتعتبر القاعدة موقعا استراتيجيا يتحكم في المداخل المؤدية إلى عدن.",
    # 2015-07-26.zip #743 (audit): «he is expected to appear»
    "وقال ضابط إن المتهم دفع كفالة 205 آلاف دولار ويتوقع أن يمثل أمام المحكمة غدا الاثنين.",
    # invented
    "وقال المدرب إن الفريق جاهز. ويعتبر الملعب من أكبر الملاعب في المنطقة.",
])
def test_a_passive_opinion_verb_reports_nothing(text):
    assert all(q.cue not in ("وتعتبر", "ويتوقع", "ويعتبر") for q in extract_quotes(text))


def test_an_opinion_verb_with_its_subject_still_reports():
    # invented: «ويتوقع الخبراء أن…» has its subject
    assert _said("ويتوقع الخبراء أن ترتفع الأسعار خلال الأشهر المقبلة.") == [
        ("الخبراء", "indirect", "ترتفع الأسعار خلال الأشهر المقبلة")]


# --- the narrator's setting before the object is not what was said ---------------------------

@pytest.mark.parametrize("text, content", [
    # 2015-08-02.zip #806 (audit)
    ("من جانبها، أكدت الرئاسة السودانية في بيان، مشاركة الرئيس عمر البشير في حفل افتتاح قناة السويس الجديدة.",
     "مشاركة الرئيس عمر البشير في حفل افتتاح قناة السويس الجديدة"),
    # 2015-08-02.zip #943 (audit)
    ("شدد وزير الخارجية المصري سامح شكري خلال مؤتمر صحفي مشترك عقده مع نظيره الأمريكي جون كيري، عقب اختتام "
     "أعمال الحوار الاستراتيجي المصري الأمريكي الذي عقد بالعاصمة المصرية القاهرة اليوم، على أن الحوار يعكس حرص "
     "البلدين على تعزيز العلاقات.", "الحوار يعكس حرص البلدين على تعزيز العلاقات"),
    # invented
    ("وأكدت الوزارة، في بيان صدر اليوم، التزامها الكامل بالاتفاق الموقع مع الشركاء.",
     "التزامها الكامل بالاتفاق الموقع مع الشركاء"),
])
def test_a_setting_before_the_object_is_left_out(text, content):
    assert [q.text for q in extract_quotes(text)] == [content]


def test_an_object_inside_a_setting_stays_the_content():
    # 2015-07-26.zip #192 (dev gold): the object sits inside «خلال لقائه …،» and goes on after the comma
    text = ("وقال الرئيس اليمني عبد ربه منصور هادي إن عدن آمنة. ودعا خلال لقائه اليوم (الأحد) مبعوث الأمين العام للأمم المتحدة إلى اليمن إسماعيل ولد الشيخ، في الرياض "
            "الى زيارة محافظة عدن بعد تحريرها.")
    assert "مبعوث الأمين العام للأمم المتحدة إلى اليمن" in [q.text for q in extract_quotes(text)][-1]


# --- the verb's time ends the speaker's office: what follows is said, not a name ---------------

@pytest.mark.parametrize("text, speaker, content", [
    # 2015-08-02.zip #336 (audit)
    ("هددت هيئة الطيران المدني الإيطالية أمس بوقف ترخيص شركة فويلينج الإسبانية للطيران منخفض التكاليف إذا "
     "استمرت الشركة في إلغاء رحلات الطيران.", "هيئة الطيران المدني الإيطالية",
     "بوقف ترخيص شركة فويلينج الإسبانية للطيران منخفض التكاليف إذا استمرت الشركة في إلغاء رحلات الطيران"),
    # invented
    ("وطالبت جمعية حماية المستهلك اليوم بمراقبة أسعار المواد الغذائية في الأسواق.", "جمعية حماية المستهلك",
     "بمراقبة أسعار المواد الغذائية في الأسواق"),
])
def test_a_time_word_ends_the_speakers_office(text, speaker, content):
    assert [(q.speaker.name_ar, q.text) for q in extract_quotes(text)] == [(speaker, content)]


# --- a name is not cut at its particle or its family name ---------------------------------

@pytest.mark.parametrize("text, speaker", [
    # 2015-07-25.zip #1041 (audit): «آل شرمه», not «آل»
    ("وعن الشكاوى المتراكمة لدى لجنة الاحتراف قال آل شرمه: \"تم الانتهاء منها وتسديد جميع الشكاوى لدى لجنة "
     "الاحتراف\".", "آل شرمه"),
    # 2015-08-02.zip #163 (audit): «أبو كلل», not «أبو»
    ("وأضاف أبو كلل أن «تحقيق هذين المبدأين هما الأساس من وجهة نظرنا».", "أبو كلل"),
    # invented
    ("وقال أبو خالد إن السوق يشهد إقبالا كبيرا هذا العام.", "أبو خالد"),
])
def test_the_word_after_a_name_particle_is_the_name(text, speaker):
    assert _speakers(text) == [speaker]


@pytest.mark.parametrize("text, name, content", [
    # 2015-07-26.zip #414 (audit): a family name alone after the honorific
    ("وأوضح المهندس البنيان أن الهدف من الجولة هو تفعيل توجيهات سمو رئيس الهيئة.", "البنيان",
     "الهدف من الجولة هو تفعيل توجيهات سمو رئيس الهيئة"),
    # 2015-07-26.zip #530 (audit): «العبد الجبار» is one family name
    ("وأوضح مدير عام تعليم الخرج الدكتور عبد الرحمن بن عبد الله العبد الجبار، أن اللجان المتخصصة ستستقبل "
     "المرشحين على مدى ثلاثة أيام.", "العبد الجبار", "اللجان المتخصصة ستستقبل المرشحين على مدى ثلاثة أيام"),
    # invented
    ("وقال الدكتور المطيري إن الحالات المسجلة في انخفاض مستمر.", "المطيري", "الحالات المسجلة في انخفاض مستمر"),
    ("وأكد المدير العام الأستاذ فهد بن سعد العبد اللطيف أن التسجيل يبدأ الأحد.", "العبد اللطيف",
     "التسجيل يبدأ الأحد"),
])
def test_a_family_name_stays_with_its_speaker(text, name, content):
    quotes = extract_quotes(text)
    assert [q.text for q in quotes] == [content]
    assert quotes[0].speaker.name_ar.endswith(name)


def test_an_office_after_a_description_is_its_complement():
    # 2015-07-25.zip #1513 (audit): «المتحدث الرسمي لمديرية…» is no audience; the name comes after
    text = ("وتفصيلاً، أوضح المتحدث الرسمي لمديرية الدفاع المدني بمنطقة جازان بالإنابة الرائد محمد بن حسن آل صمغان، "
            "أنه في الساعة السابعة من مساء أمس باشرت فرق الدفاع المدني بلاغاً.")
    assert _speakers(text)[0].endswith("محمد بن حسن آل صمغان")
    # invented
    assert _speakers("وقال المتحدث الرسمي لوزارة الصحة الدكتور خالد مرغلاني إن الحالات مستقرة.")[0].endswith(
        "خالد مرغلاني")


# --- «مجددا» (again) is no participle of جدد unless it opens a clause ---------------------------

@pytest.mark.parametrize("text", [
    # 2015-07-25.zip #233 (audit)
    "والقتال من اجل كسب مكانه مجددا في التشكيلة الاساسية التي خرج منها، الا ان التقارير تشير الى انه يرغب حقا "
    "بالعودة الى اسبانيا.",
    "وبما ان ريال مدريد لم يعلن عن رغبته بضمه مجددا، اصبحت الساحة خالية امام سان جرمان، خصوصا انه تخلص من قيود "
    "اللعب المالي النظيف.",
    # invented
    "وعاد اللاعب مجددا إلى التدريبات الجماعية بعد أن تعافى من الإصابة.",
])
def test_again_is_no_cue(text):
    assert all(q.cue not in ("مجددا",) for q in extract_quotes(text))


def test_renewing_opens_a_clause_and_reports():
    # invented: «، مجددا التأكيد على…» is the participle
    quotes = extract_quotes("واستقبل الوزير السفير الفرنسي، مجددا التأكيد على عمق العلاقات بين البلدين.")
    assert [q.text for q in quotes] == ["التأكيد على عمق العلاقات بين البلدين"]


# --- a plural cue never goes to one person ----------------------------------------------------

@pytest.mark.parametrize("text, person", [
    # 2015-07-25.zip #1179 (audit): Putin and FIFA's officials said — not Putin alone
    ("وقال الرئيس الروسي فلاديمير بوتين إن روسيا مستعدة. وتسببت أزمة اقتصادية في روسيا في تقليص الانفاق على "
     "استعدادات كأس العالم لكن بوتين ومسؤولي الفيفا قالوا إن ذلك لن يؤثر على قدرة روسيا على استضافة البطولة.",
     "فلاديمير بوتين"),
    # invented
    ("وقال الرئيس الأمريكي باراك أوباما إن الاتفاق جيد. وأضافوا أن المفاوضات ستستمر الشهر المقبل.", "باراك أوباما"),
])
def test_a_plural_cue_is_no_single_person(text, person):
    plural = [q for q in extract_quotes(text) if q.cue in ("قالوا", "وأضافوا")]
    assert all(q.speaker.name_ar != person for q in plural)


def test_a_noun_before_a_plural_verb_is_its_subject():
    # 2015-07-25.zip #1182 (dev gold): «منتقدين يقولون» — critics who say, nested in Nasrallah's words
    text = ("وقال الأمين العام لحزب الله حسن نصر الله إنه واثق من أن إيران “ستفحم” منتقدين يقولون إنها ستوقف "
            "دعمها لحزب الله.")
    inner = [q for q in extract_quotes(text) if q.nested_in is not None]
    assert [(q.speaker.name_ar, q.text) for q in inner] == [("منتقدين", "ستوقف دعمها لحزب الله")]
    # invented: a participle right before a present verb is a noun, no cue of its own
    assert all(q.cue != "منتقدين" for q in extract_quotes("وقال الوزير إن الخطة سترد على منتقدين يقولون إنها فاشلة."))


# --- things show, they do not speak -------------------------------------------------------------

@pytest.mark.parametrize("text", [
    # 2015-08-02.zip #581 (audit): the medical tests revealed
    "كشفت الفحوصات أن لاعب الاتحاد الروماني لوسيان سان مارتين لديه إصابة مزمنة عانى منها في الجولتين الأخيرتين.",
    # invented
    "وأظهرت النتائج أن نسبة النجاح ارتفعت هذا العام. وأوضحت الإحصاءات أن عدد الطلاب تضاعف.",
])
def test_things_are_no_speakers(text):
    assert extract_quotes(text) == []


# --- a verse is cited: the one citing it goes on speaking --------------------------------------

def test_a_cited_verse_does_not_take_over_the_topic():
    # 2015-07-25.zip #559 (audit): the Mufti cites a verse, then «وأكد» is the Mufti again
    text = ("وقال سماحة مفتي عام المملكة الشيخ عبدالعزيز آل الشيخ إن على المؤمن الحرص على المنافسة بالخيرات، "
            "قال تعالى // إِنَّ الَّذِينَ هُم مِّنْ خَشْيَةِ رَبِّهِم مُّشْفِقُونَ //.\n"
            "وأكد أن التسابق إلى الخيرات من أسباب إجابة الدعاء.")
    last = extract_quotes(text)[-1]
    assert last.cue == "وأكد" and "تعالى" not in last.speaker.name_ar
    # invented
    text = ("وقال الخطيب إن الصبر مفتاح الفرج، قال تعالى: (إن الله مع الصابرين).\n"
            "وأضاف أن المسلم مطالب بالتحلي بالصبر.")
    assert extract_quotes(text)[-1].speaker.name_ar == "الخطيب"


# --- the antecedent of a relative clause is what was shown, not who showed it -------------------

def test_a_phrase_before_a_relative_is_no_speaker():
    # 2015-07-25.zip #744 (audit): «وبينت عاقبة السوء التي…» — she showed the bad end
    text = ("وقال الشيخ عبدالمجيد العمري إن شريعة الإسلام حرمت الاستهزاء بالدين، وبينت عاقبة السوء التي كانت لهم "
            "بالمرصاد، مستدلاً بقوله سبحانه وتعالى : ( وَلَقَدِ اسْتُهْزِئَ بِرُسُلٍ مِنْ قَبْلِكَ ).\n"
            "وأكد أن مبادئ الحرية، والتعبير عن الرأي، لا تعنيان التطاول على مقدسات الآخرين.")
    assert all("عاقبة" not in s for s in _speakers(text))
    assert _speakers(text)[-1].endswith("عبدالمجيد العمري")
    # invented
    assert all("نتائج" not in s for s in _speakers(
        "وقال المدير سعد الحربي إن الخطة ناجحة. وأعلنت نتائج المسابقة التي أقيمت أمس: \"فاز الفريق الأول\"."))


# --- a participle of praise, prayer or thanks ends what was said -----------------------------------

@pytest.mark.parametrize("text, content", [
    # 2015-08-02.zip #998 (audit)
    ("وقال الأمير عبدالله بن مساعد إن الاجتماع كان مثمرا. قال سموه : إن القرار له ايجابيات عديدة وقد جاء بعد طلب من ناديي الهلال والنصر واتفاقهما مع اتحاد كرة القدم ، "
     "مشيدا بها كخطوة أولى ستقدم اللاعب السعودي بالصورة الأفضل أمام كل المتابعين.",
     "القرار له ايجابيات عديدة وقد جاء بعد طلب من ناديي الهلال والنصر واتفاقهما مع اتحاد كرة القدم"),
    # 2015-07-26.zip #733 (audit)
    ("وقال المتحدث الرسمي باسم وزارة التعليم إن مدير تعليم تبوك، والمساعدة لتعليم البنات قاما بنقل العزاء لذوي "
     "المتوفاة، سائلا الله أن يتغمدها بواسع رحمته.",
     "مدير تعليم تبوك، والمساعدة لتعليم البنات قاما بنقل العزاء لذوي المتوفاة"),
    # invented
    ("وأكد الوزير أن المشروع سيكتمل نهاية العام، مثمنا جهود العاملين فيه.", "المشروع سيكتمل نهاية العام"),
])
def test_a_participle_of_praise_ends_the_content(text, content):
    assert extract_quotes(text)[-1].text == content


# --- an object after a title is no name -------------------------------------------------------

@pytest.mark.parametrize("text, speaker", [
    # 2015-07-26.zip #153 (audit): «توجيه أصابع الاتهام» is what he refused, not his name
    ("ورفض وزير الداخلية الليبي توجيه أصابع الاتهام إلى أي جهة أو تحديد دوافعها، لافتا إلى أنه في انتظار انتهاء "
     "السلطات التونسية من التحقيقات اللازمة.", "وزير الداخلية الليبي"),
    # 2015-07-26.zip #135 (audit): «عملية إعادة تنظيم» is what he launched
    ("ودشن وزير الثقافة داريو فرانتشيسكيني عملية إعادة تنظيم يقول إنها ستجعل الإدارة أحدث وأكثر فعالية.",
     "وزير الثقافة"),
    # invented
    ("وبحث رئيس الغرفة التجارية تطوير العلاقات الاقتصادية مع الوفد الزائر، مؤكدا أن الفرص كبيرة.",
     "رئيس الغرفة التجارية"),
])
def test_an_object_after_a_title_is_no_name(text, speaker):
    assert _speakers(text) == [speaker]


# --- «وقال "بسام":» — a name in marks before the colon is the speaker -------------------------------

@pytest.mark.parametrize("text, speaker, content", [
    # 2015-08-02.zip #1310 (audit): and «تبين لنا» (it became clear to us) is nobody's cue
    ("وقال المواطن بسام الغامدي إن والده أصيب في الحادث. وقال \"بسام\": تبين لنا في المستشفي وحسب قول الأطباء إن "
     "هناك كسرًا بالجمجمة.", "بسام الغامدي",
     "تبين لنا في المستشفي وحسب قول الأطباء إن هناك كسرًا بالجمجمة"),
    # invented
    ("وأضاف \"الزهراني\": \"سنواصل العمل حتى نهاية الموسم\".", "الزهراني", "سنواصل العمل حتى نهاية الموسم"),
])
def test_a_name_in_marks_before_a_colon_speaks(text, speaker, content):
    assert [(q.speaker.name_ar, q.text) for q in extract_quotes(text)][-1] == (speaker, content)


@pytest.mark.parametrize("text", [
    # 2015-07-26.zip #904 (audit)
    "وأوضحت الطالبة أنها أدخلتها بشكل صحيح. وتبين لهم بعد الترشيحات أن الرغبات طالها تغيير.",
    # invented
    "ويتبين لنا من الأرقام أن الإقبال ضعيف.",
])
def test_it_became_clear_to_them_is_nobodys_cue(text):
    assert all(q.cue not in ("وتبين", "ويتبين") for q in extract_quotes(text))


# --- the audience or an aside between the verb and its subject: «وأوضح لـ«عكاظ» المشرف…» ---------

@pytest.mark.parametrize("text, speaker", [
    # 2015-08-02.zip #233 (audit): after a first statement, the subject after the audience is not the topic
    ("وقال الوزير إن الاجتماع كان ناجحا. قال لـ «الاقتصادية» مسؤول في المديرية العامة للجوازات إن أكثر من مليوني "
     "مسافر غادروا المنطقة الشرقية خلال 20 يوما.", "مسؤول"),
    # 2015-07-26.zip #258 (audit)
    ("أكد لـ\"الاقتصادية\" تيسير المفرج مدير المركز الإعلامي لوزارة العمل وصندوق تنمية الموارد البشرية أن المراحل "
     "السابقة من برنامج حماية الأجور تم تطبيقها بشكل كامل.", "تيسير المفرج"),
    # 2015-07-26.zip #261 (audit)
    ("قال لـ\"الاقتصادية\" الدكتور مصطفى بلجون مدير الشؤون الصحية في مكة المكرمة إن التحقيقات في حادثة الطفلة "
     "طالت أكثر من 25 شخصا.", "مصطفى بلجون"),
    # 2015-08-02.zip #236 (audit): «من جانبه» and the audience both
    ("وقال المحللون إن السوق متذبذبة. من جانبه قال لـ \"الاقتصادية\" علي الزهراني محلل فني إن السوق ستأخذ مسارها "
     "خلال الأيام المقبلة.", "علي الزهراني"),
    # invented
    ("وقال الوزير إن الاجتماع كان ناجحا. وأكد للصحفيين أمس رئيس الوفد الياباني أن بلاده ستشارك في المؤتمر.",
     "رئيس الوفد الياباني"),
    ("وقالت الوزارة إن المشروع تأخر. وأضاف بدوره مدير المشروع أن العمل سيستأنف الشهر المقبل.", "مدير المشروع"),
])
def test_the_subject_after_an_audience_or_aside_speaks(text, speaker):
    quotes = extract_quotes(text)
    assert quotes[-1].speaker.name_ar == speaker


@pytest.mark.parametrize("text, speaker", [
    # an audience with nothing after it but what was said: the topic goes on speaking
    ("وقال الوزير إن الاجتماع كان ناجحا. وأكد لـ«الحياة» أن الحكومة ستدرس الأمر.", "الوزير"),
    ("وقال الوزير إن الاجتماع كان ناجحا. وقال للصحفيين إن الحكومة ستدرس الأمر.", "الوزير"),
])
def test_an_audience_alone_leaves_the_topic_speaking(text, speaker):
    assert _speakers(text) == [speaker, speaker]


def test_an_accusative_word_after_the_audience_is_no_subject():
    # 2015-07-25.zip #182 (audit): «معلقًا» describes how he spoke; it never speaks
    text = ("هشام مروة، نائب رئيس «الائتلاف الوطني السوري» المعارض قال لـ«الشرق الأوسط» معلقًا، إن تمسك النظام "
            "بهذه القضية «هو تهرب من استحقاق الحل السياسي.")
    assert "معلقًا" not in _speakers(text)
    # invented; a clause opener after the audience is no subject either
    assert "مؤكداً" not in _speakers("وقال الوزير إن الاجتماع ناجح. وقال لـ«عكاظ» مؤكداً إن العمل مستمر.")
    assert not any(s.startswith("عندما") for s in _speakers(
        "وقال المدرب إن الفريق جاهز. وقال لـ\"الرياضية\" عندما نرى نتائج الفريقين، نجد أن الفارق كبير."))


@pytest.mark.parametrize("text", [
    # 2015-07-25.zip #1118 (audit): «علي» is the spokesman's first name, not the preposition after a place
    "وأوضح المتحدث الرسمي بمنطقة مكة المكرمة علي الغامدي أن غرفة عمليات الهلال الأحمر بالطائف تلقت بلاغاً.",
    # invented
    "وقال المتحدث باسم بلدية المدينة المنورة علي الحربي إن الأعمال ستنتهي قريبا.",
])
def test_a_place_before_the_first_name_ali_is_no_name(text):
    speakers = _speakers(text)
    assert speakers and not any(s in ("مكة المكرمة", "المدينة المنورة") for s in speakers)


# --- the name after an office: set off by commas, or before the setting of what was said -----

@pytest.mark.parametrize("text, name", [
    # 2015-07-26.zip #912 (audit)
    ("وقال ممثل اليونيسيف باليمن، جوليان هارنيس، إن حصول أطفال اليمن على التعليم المناسب أمر حاسم لمستقبلهم.",
     "جوليان هارنيس"),
    # 2015-08-02.zip #898 (audit)
    ("أكد مدير تعليم الليث، مرعي البركاتي، أن إدارة التعليم يهمها في المقام الأول تعديل السلوك الخاطئ.",
     "مرعي البركاتي"),
    # 2015-08-02.zip #163 (audit): the name, then the setting, then what was said
    ("وقال الناطق الرسمي باسم المجلس الأعلى، بليغ أبو كلل، في حديث لـ«الشرق الأوسط» إن «مسألة الأشخاص هي ليست "
     "المهمة بالنسبة لنا».", "بليغ أبو كلل"),
    # invented: an honorific inside the commas; a complement of the office before them
    ("وقال قائد شرطة المحافظة، العميد سالم الحربي، إن التحقيق مستمر.", "سالم الحربي"),
    ("واعترف عضو المكتب السياسي للحركة، خالد العمر، بأن المفاوضات تعثرت.", "خالد العمر"),
])
def test_a_name_between_commas_after_an_office_speaks(text, name):
    assert _speakers(text)[0] == name


@pytest.mark.parametrize("text, not_name", [
    # invented: a time, a setting, an adverb between the commas are no name
    ("وقالت منظمة التجارة العالمية، أمس الجمعة، إنها ستدرس الطلب.", "أمس الجمعة"),
    ("وقال المسؤول الإيراني، وفقاً لتقارير صحفية، إن الوضع خطير.", "وفقاً لتقارير"),
    ("وقال المسؤول، دون إسهاب، إن الوضع خطير.", "دون إسهاب"),
])
def test_a_time_or_setting_between_commas_is_no_name(text, not_name):
    assert not_name not in _speakers(text)


@pytest.mark.parametrize("text, name", [
    # 2015-07-26.zip #147 (audit)
    ("ورأى الخبير العسكري فهد بن ردة في حديث لـ«الشرق الأوسط» أن قوات الأمن الخاصة التابعة للقوات المسلحة تتعدد "
     "مهامها.", "بن ردة"),
    # invented: «في تصريحات … إن»، «من جانبه أن»
    ("قال وزير الزراعة السوداني إبراهيم الدخيري في تصريحات نقلتها الإذاعة إن الموسم الزراعي جيد.", "إبراهيم الدخيري"),
    ("وأكد المتحدث باسم الوزارة سامر قطان من جانبه أن الخطة ستنفذ كاملة.", "سامر قطان"),
])
def test_a_name_before_the_setting_of_what_was_said_speaks(text, name):
    assert _speakers(text)[0].endswith(name)


def test_an_object_before_a_setting_is_no_name():
    # invented after 2015-07-26.zip #190 (audit): «كارني هذه المخاوف» is a name and the verb's object
    text = "وأثار المحافظ كارني هذه المخاوف بعد تصريحات قال فيها إن أسعار الفائدة سترتفع."
    assert not any("المخاوف" in s for s in _speakers(text))


# --- relayed from «him»: «ونقل التلفزيون عنه قوله…» ---------------------------------------------

@pytest.mark.parametrize("text, speaker, via", [
    # 2015-08-02.zip #266 (audit)
    ("قال وزير النفط الإيراني بيجن زنغنه في تصريحات أذيعت اليوم إن بلاده تتوقع أن يرتفع انتاج النفط. \n"
     "ونقل التلفزيون عنه قوله إن انتاج الخام الإيراني نزل نحو مليون برميل يوميا من حوالي أربعة ملايين برميل. \n"
     "وأضاف \"سنعود إلى مستوى 3.8 و3.9 مليون برميل في غضون الأشهر القليلة المقبلة.\"", "بيجن زنغنه", "التلفزيون"),
    # invented: a feminine pronoun goes to the feminine speaker
    ("قالت الوزيرة سارة العلي إن الخطة جاهزة. وأشار المدير إلى التأخير. ونقلت الوكالة عنها قولها إن التنفيذ يبدأ غدا.",
     "سارة العلي", "الوكالة"),
])
def test_relayed_from_a_pronoun_is_the_one_spoken_of(text, speaker, via):
    quotes = extract_quotes(text)
    relayed = next(q for q in quotes if q.cue.startswith("ونقل"))
    assert (relayed.speaker.name_ar, relayed.via) == (speaker, via)
    assert all(q.speaker.name_ar == speaker for q in quotes[quotes.index(relayed):])


# --- a masculine singular verb never continues a plural speaker ----------------------------------

@pytest.mark.parametrize("text, plural", [
    # 2015-08-02.zip #180 (audit): the next speaker's name was not read; the experts did not say it
    ("وعلى الرغم من تحذيرات مسؤولي بورتوريكو، فإن خبراء ماليين مستقلين قالوا إن عدم سداد استحقاق مالي سيكون له "
     "تبعات.\nوقال جيمس إي. سبيوتو، وهو متخصص في الفصل التاسع من قانون الإفلاس، قال: «قد يكون هذا أشبه قليلاً "
     "بقول: الجمال في عين الرائي». وقال إن بورتوريكو كانت محقة في قولها.", "خبراء ماليين"),
    # invented
    ("وقال مسؤولون أميركيون إن المحادثات مستمرة. وأضاف أن الوفد سيعود الأسبوع المقبل.", "مسؤولون أميركيون"),
])
def test_a_singular_verb_does_not_continue_a_plural_speaker(text, plural):
    speakers = _speakers(text)
    assert speakers[0].startswith(plural) and all(not s.startswith(plural) for s in speakers[1:])


# --- a speaker's phrase before the verb, from the sentence start: «مصادر أردنية … قالت…» --------

@pytest.mark.parametrize("text, speaker", [
    # 2015-08-02.zip #1107 (audit)
    ("مصادر أردنية مقربة من دوائر صنع القرار قالت لـ«عكاظ» إن الأردن تراجع عن برنامج تسليح العشائر في العراق "
     "وسوريا.", "مصادر أردنية"),
    # 2015-07-26.zip #153 (audit)
    ("لكن وزير الداخلية الليبي قال في تصريحات لـ«الشرق الأوسط» من تونس، إنه تم اكتشاف العملية التي كانت مخططة "
     "لاغتياله.", "وزير الداخلية الليبي"),
    # 2015-07-25.zip #947 (audit): the office, then the name, then the verb
    ("رئيس فرقة الفنون الشعبية بمحافظة المندق عبدالرحمن الشدوي قال: من بين العديد من الفنون التي تشتهر بها الباحة "
     "تعتبر العرضة هي أبرز الألوان الشعبية.", "عبدالرحمن الشدوي"),
    # 2015-07-25.zip #182 (audit): a name, a comma and the title
    ("هشام مروة، نائب رئيس «الائتلاف الوطني السوري» المعارض قال لـ«الشرق الأوسط» معلقًا، إن تمسك النظام بهذه "
     "القضية «هو تهرب من استحقاق الحل السياسي».", "هشام مروة"),
    # invented
    ("وقال الوزير إن الخطة جاهزة. لكن مصادر حكومية مطلعة أكدت أن التنفيذ سيتأخر.", "مصادر حكومية"),
])
def test_a_speakers_phrase_running_to_the_verb_is_its_subject(text, speaker):
    assert _speakers(text)[-1].startswith(speaker)


@pytest.mark.parametrize("text", [
    # invented: a relative clause, a condition before the verb make no subject of the phrase
    "الوزير الذي زار المدينة قال إن الوضع جيد.",
    "وجامعة تبوك إذا توضح ذلك لتود أن تؤكد للجميع شفافيتها.",
])
def test_a_clause_before_the_verb_is_no_subject(text):
    assert _speakers(text) == []


def test_a_definite_description_before_the_verb_is_the_one_spoken_of():
    # invented after 2015-08-02.zip #223 (audit): «المسؤول الإيطالي» is Malagò, just named
    text = ("قال رئيس اللجنة الأولمبية الإيطالية جيوفاني مالاجو إن روما جاهزة. لكن المسؤول الايطالي أكد أيضا "
            "\"لكن هذا لا يعني أننا سنفوز\".")
    assert _speakers(text) == ["جيوفاني مالاجو", "جيوفاني مالاجو"]


# --- a short name in marks right after the verb, then what was said: «وقالت «موبايلي» إنها…» ----

@pytest.mark.parametrize("text, speaker", [
    # 2015-07-26.zip #617 (audit)
    ("وقالت «موبايلي» إنها أطلقت خدمات تجوال LTE مع النخبة فقط من المشغلين العالميين في كل دولة.", "موبايلي"),
    # invented
    ("وأوضحت “الغذاء والدواء” أن منع دخول تلك الأغذية كان لمخالفتها اللوائح الفنية.", "الغذاء والدواء"),
])
def test_a_short_name_in_marks_before_what_was_said_speaks(text, speaker):
    assert _speakers(text) == [speaker]


@pytest.mark.parametrize("text", [
    # invented: a quotation in marks, a word in marks as the verb's object
    "وقال \"إن الوضع خطير\" في كلمته.",
    "وأكد “الحرص” على التعاون.",
])
def test_a_quotation_or_object_in_marks_is_no_speaker(text):
    assert not any(s in ("إن الوضع خطير", "الحرص") for s in _speakers(text))


def test_a_description_with_a_name_of_its_own_is_not_the_one_before():
    # invented after the pattern of the annotation days: two spokesmen, each named after his office
    text = ("وقال المتحدث الرسمي باسم هيئة قناة السويس، طارق حسنين، إن عبور السفن نجح. وأوضح المتحدث الرسمي "
            "للحكومة، السفير حسام القاويش، أنه تقرر صرف 60 ألف جنيه لأسرة كل متوفى.")
    assert _speakers(text) == ["طارق حسنين", "حسام القاويش"]


# --- the rest of a title before «، أن» is not what was said -------------------------------------

@pytest.mark.parametrize("text, content_start", [
    # 2015-08-02.zip #979 (audit): a title and its body with ب, then «، أن»
    ("أكد خبير الطقس والفلك الدكتور عبدالله المسند أستاذ الجغرافيا بجامعة القصيم ، أن عدة أسباب تؤدي إلى موجة "
     "الحر بالمنطقة الشرقية.", "عدة أسباب"),
    # 2015-07-26.zip #113 (audit): the office's complement after «مفتي»
    ("وأكد مفتي فنلندا، أن تصحيح صورة الإسلام في الغرب بالرصد والاستقصاء وجمع المعلومات.", "تصحيح صورة"),
    # invented: the office goes on after «مدير»
    ("وأوضح مدير عام فرع هيئة السياحة والتراث الوطني بمنطقة الرياض، أن متحف المصمك سيفتح أبوابه.", "متحف المصمك"),
])
def test_the_rest_of_a_title_before_that_is_not_what_was_said(text, content_start):
    quotes = extract_quotes(text)
    assert len(quotes) == 1 and quotes[0].text.startswith(content_start)


def test_an_object_before_a_comma_and_that_stays_what_was_said():
    # invented: «أهمية التعاون» is no title — the object of «أكدت», with more said after it
    quotes = extract_quotes("وقالت الوزارة إن المشروع بدأ. وأكدت أيضا أهمية التعاون بين الجهات، وأن الخطة ستنفذ.")
    assert quotes[-1].text.startswith("أيضا أهمية") or quotes[-1].text.startswith("أهمية")


# --- «إمام» (imam) is a title, not the preposition «أمام» normalisation folds it into -----------

@pytest.mark.parametrize("text, speaker", [
    # 2015-07-25.zip #1415 (audit)
    ("أكد إمام وخطيب المسجد الحرام فضيلة الشيخ الدكتور سعود الشريم أن التغابي أو التغافل المحمود هو ما حمل في "
     "طياته معنى السماحة واللين وغض الطرف.", "سعود الشريم"),
    # 2015-07-25.zip #562 (audit): the imam of a narrative sentence speaks next
    ("أوصى إمام وخطيب المسجد الحرام فضيلة الشيخ الدكتور سعود بن إبراهيم الشريم المسلمين بتقوى الله عز وجل.\n"
     " وقال في خطبة الجمعة اليوم إن المرء العاقل هو الذي يستحضر على الدوام عدم كمال الحياة.",
     "سعود بن إبراهيم الشريم"),
    # invented
    ("وقال إمام مسجد الحي الشيخ خالد العمري إن المصلين تبرعوا للمشروع.", "خالد العمري"),
])
def test_an_imam_speaks(text, speaker):
    assert _speakers(text) == [speaker]


def test_the_preposition_in_front_of_stays_a_preposition():
    # invented: «أمام» (with أ) is where he stood, not who spoke
    assert _speakers("ووقف المتهم أمام المحكمة وقال إن الحكم ظالم.") in ([], ["المتهم"])


# --- a name described by «وهو/وهي» after it: «ودعا أجاثون رواسا وهو سياسي معارض بارز إلى…» ----

@pytest.mark.parametrize("text, speaker", [
    # 2015-07-26.zip #157 (audit)
    ("ووصف رامي الدالاتي، وهو عضو المجلس العسكري التابع لـ«الجيش السوري الحر»، العفو الرئاسي السوري بـ«الخطوة "
     "الجيدة».", "رامي الدالاتي"),
    # 2015-08-02.zip #137 (audit)
    ("وقالت سارة نيشوتا، وهي أستاذة مساعدة في الطلب بمركز فاندربيلت لعلم الأوبئة خلال مقابلة «النتيجة الرئيسية هي "
     "أن التمرينات خلال فترة المراهقة مرتبطة بتراجع خطر الوفاة».", "سارة نيشوتا"),
    # invented, without commas
    ("ودعا سامر خليل وهو ناشط حقوقي بارز إلى الإفراج عن المعتقلين.", "سامر خليل"),
])
def test_a_name_described_by_who_they_are_speaks(text, speaker):
    assert _speakers(text) == [speaker]


def test_a_name_and_an_object_before_who_he_was_is_no_name():
    # invented after 2015-07-26.zip #266 (audit): «بعض الوقت» is what the founder took, not his name
    assert not any("الوقت" in s for s in _speakers("واستغرق ميترا بعض الوقت وهو يفكر في الأمر، ثم قال إنه رفض الصفقة."))


def test_protesters_speak_as_a_group():
    # 2015-07-25.zip #770 (audit)
    assert _speakers("ودان المتظاهرون أيضا الحكومة واتهموها بغض النظر عن نشاطات تنظيم داعش على الأراضي التركية.") \
        == ["المتظاهرون"]


# --- «الملا» before a name, and first names in two words («أمين الدين»، «عماد الدين») ------------

@pytest.mark.parametrize("text, speaker", [
    # 2015-08-02.zip #1082 (audit): «الملا» is a title, the name follows it
    ("وقال الملا أختر منصور في رسالة صوتية، وهي أول رسالة تصدر منذ تعيينه: «ستهزم وحدتنا أعداءنا».", "أختر منصور"),
    # 2015-07-25.zip #857 (audit)
    ("وشكر د. عماد الدين حسين مقدم حلقة النقاش الوكالة على ما تقوم به من خدمات وتسهيلات لزائري المسجد النبوي.",
     "عماد الدين حسين"),
    # invented: «أمين» before «الدين» is a name, not «أمين» the secretary; the mullah is not the one named before
    ("من جهته، يقول أمين الدين حامدي، وهو كاتب ومحلل سياسي، إن الخلاف بات واضحا.", "أمين الدين حامدي"),
    ("وتم انتخاب الملا أختر منصور أميرا للحركة. وقال الملا حسن، وهو مفتي الحركة السابق، إن «الانتخاب يخالف "
     "الشرع».", "حسن"),
])
def test_titles_and_compound_first_names(text, speaker):
    assert _speakers(text)[-1].endswith(speaker)


@pytest.mark.parametrize("text, speaker", [
    # 2015-08-02.zip #1084 (audit): «الملا» after a first name is the family name
    ("أكد نجيب الملا رئيس البعثة القدساوية في أبوظبي مدى ارتياحه من معسكر تركيا.", "نجيب الملا"),
    # invented: «أمين عام» is the secretary-general
    ("وقال أمين عام الجامعة إن الأمر حسم.", "أمين عام الجامعة"),
])
def test_a_title_word_as_family_name_or_office_stays(text, speaker):
    assert _speakers(text) == [speaker]


# --- material between the speaker and the quotation (issue 12: direct quotes missed) -------------
# Each case: (text, speaker name_ar, quote). The quote is exact and is the text's own span.

def _one(text: str, speaker: str, quote: str):
    """The text's first statement is ``quote`` said by ``speaker``, its own span of the text."""
    quotes = extract_quotes(text)
    assert [(q.speaker.name_ar, q.text) for q in quotes[:1]] == [(speaker, quote)]
    q = quotes[0]
    assert text[q.start:q.end] == quote
    return q


@pytest.mark.parametrize("text, speaker, quote", [
    # 2015-07-26.zip #1034: the setting («عبر حسابه…»), a colon, ” with a space after it
    ("وكتب الفريق ضاحي خلفان عبر حسابه الرسمي على تويتر اليوم الأحد: ” المدعي العام الإماراتي يجب أن يتحرك "
     "لمحاكمة الحضيف”، مضيفاً أنه سجل قضية.", "ضاحي خلفان", "المدعي العام الإماراتي يجب أن يتحرك لمحاكمة الحضيف"),
    # 2015-08-02.zip #5
    ("وقال هزازي عبر تغريدة له: ” تم اختراق حسابي ومن فعل هذا الفعل لاينسى ان هناك رقيب عتيد”.", "هزازي",
     "تم اختراق حسابي ومن فعل هذا الفعل لاينسى ان هناك رقيب عتيد"),
    # invented
    ("وقالت الباحثة: ” الناس تركز بشكل طبيعي على القلب”.", "الباحثة", "الناس تركز بشكل طبيعي على القلب"),
])
def test_a_closing_mark_after_a_colon_opens_the_quotation(text, speaker, quote):
    assert _one(text, speaker, quote).kind == "direct"


@pytest.mark.parametrize("text, speaker, quote", [
    # 2015-08-02.zip #1040: «:"إننا …"»: the quotation after إن, its closing mark left out
    ('وأضاف شكري :"إننا نبدأ اليوم مرحلة جديدة ترسخ مفاهيم الحرية والديمقراطية والعدالة الاجتماعية " ، لافتا إلى '
     'أن الحوار الاستراتيجي فرصة لمراجعة العلاقات بين البلدين.', "شكري",
     "نبدأ اليوم مرحلة جديدة ترسخ مفاهيم الحرية والديمقراطية والعدالة الاجتماعية"),
    # invented
    ("وقال المدير: «إن المشروع سيكتمل نهاية العام».", "المدير", "المشروع سيكتمل نهاية العام"),
])
def test_what_was_said_inside_a_quotation_ends_at_its_closing_mark(text, speaker, quote):
    assert _one(text, speaker, quote).kind == "direct"


def test_a_quoted_part_of_an_indirect_clause_keeps_the_clause():
    # invented, negative: the clause opens outside the marks: mixed, the marks kept
    text = 'وقال المدير إن المشروع "سيكتمل نهاية العام".'
    assert _one(text, "المدير", 'المشروع "سيكتمل نهاية العام"').kind == "mixed"



@pytest.mark.parametrize("text, speaker, quote", [
    # 2015-08-02.zip #209: a party's name in marks, then the newspaper, then the quotation
    ('وقال النائب الفرنسي المعارض كزافييه برتران من حزب "الجمهوريون" عبر صحيفة جورنال دو ديمانش "اقول لاصدقائنا '
     'الانكليز، غضبنا كبير".', "النائب الفرنسي", "اقول لاصدقائنا الانكليز، غضبنا كبير"),
    # invented
    ('وقال المحلل في حديث مع وكالة "الأناضول" من الدوحة "الأزمة ستطول أكثر مما يتوقع الجميع".', "المحلل",
     "الأزمة ستطول أكثر مما يتوقع الجميع"),
])
def test_a_name_in_marks_in_the_narrators_aside_is_no_quotation(text, speaker, quote):
    assert _one(text, speaker, quote).kind == "direct"


def test_a_programme_title_in_marks_stays_in_what_was_said():
    # invented, negative: the title is inside the indirect clause, neither skipped nor a quotation of its own
    text = 'وقال الممثل إن برنامج "صباح الخير" حقق نجاحا كبيرا هذا الموسم.'
    assert _one(text, "الممثل", 'برنامج "صباح الخير" حقق نجاحا كبيرا هذا الموسم').kind == "mixed"


@pytest.mark.parametrize("text, speaker, quote", [
    # 2015-07-25.zip #336: «ومقره واشنطن» says where the fund is; «ومقره» is no participle «مقرة»
    ('وقال متحدث باسم الصندوق ومقره واشنطن "لقد تلقينا خطابا من السلطات اليونانية يشير إلى مساعيها للحصول على '
     'قرض جديد من صندوق النقد الدولي".', "متحدث باسم الصندوق",
     "لقد تلقينا خطابا من السلطات اليونانية يشير إلى مساعيها للحصول على قرض جديد من صندوق النقد الدولي"),
    # invented
    ('وقال متحدث باسم المجلس ومقره بروكسل "نحن قلقون جدا من تدهور الوضع الإنساني في المدينة".',
     "متحدث باسم المجلس", "نحن قلقون جدا من تدهور الوضع الإنساني في المدينة"),
])
def test_a_clause_on_where_the_body_is_based_stays_with_the_speaker(text, speaker, quote):
    _one(text, speaker, quote)


def test_a_clause_on_where_the_body_is_based_reports_nothing():
    # invented: «ومقره» alone is no verb of saying
    assert extract_quotes("وتأسس الصندوق عام 1945 ومقره واشنطن منذ ذلك الحين.") == []


@pytest.mark.parametrize("text, speaker, quote", [
    # 2015-07-25.zip #654: the description after «وهو» ends where the quotation opens
    ("وقال ناصر الحاسي وهو متحدث باسم القوات الجوية «سلاح الجو قام بقصف تمركزات للمجموعات الإرهابية في محور "
     "الصابري»، في إشارة إلى حي ساحلي في وسط بنغازي بالقرب من الميناء.", "ناصر الحاسي",
     "سلاح الجو قام بقصف تمركزات للمجموعات الإرهابية في محور الصابري"),
    # invented
    ("وقال خالد العمري وهو متحدث باسم الدفاع المدني «فرق الإنقاذ تمكنت من إخراج جميع المحتجزين من المبنى "
     "المنهار».", "خالد العمري", "فرق الإنقاذ تمكنت من إخراج جميع المحتجزين من المبنى المنهار"),
])
def test_a_name_described_by_who_they_are_speaks_the_quotation_after(text, speaker, quote):
    assert _one(text, speaker, quote).kind == "direct"


@pytest.mark.parametrize("text, speaker, content", [
    # 2015-07-26.zip #166: the description set off by commas holds a preposition («في مركز…»)
    ("ويشكك ريتشارد بن شفيق، وهو مدير برنامج الكفاءة السياسية الاقتصادية والعقوبات وأسواق الطاقة في مركز "
     "سياسات الطاقة العالمية، في قدرة إيران للعودة سريعًا لأسواق الطاقة العالمية.", "ريتشارد بن شفيق",
     "في قدرة إيران للعودة سريعًا لأسواق الطاقة العالمية"),
    # invented: and a party's name in marks
    ("وانتقد سامي كريم، وهو قيادي في حزب «الأمة الديمقراطي»، القرار الأخير للحكومة بشدة.", "سامي كريم",
     "القرار الأخير للحكومة بشدة"),
    # invented, negative: a name in marks after a prefix letter (لـ«…») is in the description, not what was said
    ("ووصف سامي كريم، وهو قيادي تابع لـ«الجيش الحر»، القرار الأخير بـ«الخطوة الجيدة».", "سامي كريم",
     "القرار الأخير بـ«الخطوة الجيدة»"),
])
def test_a_description_set_off_by_commas_is_none_of_what_was_said(text, speaker, content):
    _one(text, speaker, content)


@pytest.mark.parametrize("text, speaker, quote", [
    # 2015-07-25.zip #90: a name in marks, who she is, a colon, and ” opening after a space
    ("وقالت “جيمو بورجيجين” الباحثة المشاركة في الدراسة وعالمة الأعصاب في جامعة ميشيغان بكلية الطب: ” الناس "
     "تركز بشكل طبيعي على القلب، ويعتقدون أنه إذا ما قاموا بإنقاذ القلب، فيمكنهم إنقاذ الدماغ”.",
     "جيمو بورجيجين",
     "الناس تركز بشكل طبيعي على القلب، ويعتقدون أنه إذا ما قاموا بإنقاذ القلب، فيمكنهم إنقاذ الدماغ"),
    # invented
    ("وقال “سعد العتيبي” مدير المهرجان: ” الإقبال هذا العام فاق كل التوقعات”.", "سعد العتيبي",
     "الإقبال هذا العام فاق كل التوقعات"),
])
def test_a_name_in_marks_described_up_to_the_colon_speaks(text, speaker, quote):
    assert _one(text, speaker, quote).kind == "direct"


def test_a_title_in_marks_with_nothing_said_after_it_speaks_nothing():
    # invented, negative: a programme's title in marks and words about it, no colon, no quotation
    assert extract_quotes("وقال “ليالي رمضان” البرنامج الأشهر على القناة منذ سنوات.") == []


@pytest.mark.parametrize("text, speaker, quote, via", [
    # 2015-07-25.zip #276: the agency's name in marks is the aside's, the quotation is Won's
    ('وقال وون بحسب وكالة "يونهاب" "إذا لم تكن هناك تغيرات فإننا نتوقع إعلانا رسميا لنهاية تفشي فيروس كورونا نحو '
     'الثاني من شهر أغسطس".', "وون",
     "إذا لم تكن هناك تغيرات فإننا نتوقع إعلانا رسميا لنهاية تفشي فيروس كورونا نحو الثاني من شهر أغسطس",
     "وكالة يونهاب"),
    # invented
    ("وقال المدرب حسب صحيفة «الرياضية» «سنلعب بكامل قوتنا في المباراة المقبلة».", "المدرب",
     "سنلعب بكامل قوتنا في المباراة المقبلة", "صحيفة الرياضية"),
])
def test_a_source_aside_before_the_quotation_is_its_via_not_its_speaker(text, speaker, quote, via):
    assert _one(text, speaker, quote).via == via


def test_a_source_aside_before_a_complementiser_is_left_as_it_was():
    # invented, negative: the name in marks is no quotation; what was said follows إن
    text = 'وقال وون بحسب وكالة "يونهاب" إن الإعلان الرسمي سيكون قريبا جدا.'
    assert _one(text, "وون", "الإعلان الرسمي سيكون قريبا جدا").kind == "indirect"


# --- «من جهته، أشاد X بـ…، وقال: …»: the narrator's aside before the sentence's subject -------

@pytest.mark.parametrize("text, speaker, quote", [
    # 2015-07-25.zip #1552: the aside, then the verb and its subject; the participle speaks for him
    ("أصدر مدير جامعة تبوك الدكتور عبدالعزيز العنزي قراراً بتكليف الدكتور سمير بن موسى النجدي بالعمل مشرفاً على "
     "إدارة الإعلام خلفاً للدكتور محمد الثبيتي. من جهته علق الدكتور الثبيتي على القرار قائلاً: \"يسرني وأنا أغادر "
     "موقعي الوظيفي أن أتقدم لكم جميعاً بالشكر والتقدير\". وأضاف: \"أعتذر إن كان قد بدر مني ما يكدر صفو نفوسكم\".",
     "الدكتور الثبيتي", "يسرني وأنا أغادر موقعي الوظيفي أن أتقدم لكم جميعاً بالشكر والتقدير"),
    # 2015-08-02.zip #1127: a subject-less «وقال:» after the subject's own clause
    ("من جانبه، رفع نائب رئيس الوفد السعودي المشارك في الدورة، الأستاذ خالد الأحمد التهاني لرئيس اللجنة أحمد "
     "المقيرن، ورئيس الأولمبياد السعودي الخاص الدكتور ماهر الجديد، وقال: اليوم نجح أبطالنا في تحقيق تطلعات "
     "الجميع، 15 ميدالية حصيلتنا حتى الآن.", "نائب رئيس الوفد السعودي",
     "اليوم نجح أبطالنا في تحقيق تطلعات الجميع، 15 ميدالية حصيلتنا حتى الآن"),
    # invented
    ("من جانبها، أشادت الوزيرة بالنتائج، وقالت: «الطالبات بذلن جهدا كبيرا هذا العام».",
     "الوزيرة", "الطالبات بذلن جهدا كبيرا هذا العام"),
])
def test_an_aside_before_the_sentence_subject_leaves_it_the_subject(text, speaker, quote):
    _one(text, speaker, quote)


@pytest.mark.parametrize("text", [
    # invented, negative: «وقالت» is not the (masculine) coach's, «وقال» not the ministry's; nobody else is named
    "من جهته، أشاد المدرب بالأداء، وقالت: «اللاعبون قدموا مباراة كبيرة».",
    "من جهتها، أشادت وزارة الصحة بالحملة، وقال: «الحملة حققت أهدافها».",
])
def test_an_aside_before_a_subject_of_the_other_gender_gives_no_speaker(text):
    assert extract_quotes(text) == []


# --- «وتحدث الوزير عن…، قائلاً: …»: the main verb's subject, a title, speaks the later cue ------

@pytest.mark.parametrize("text, speaker, quote", [
    # 2015-07-25.zip #1272: a narrative verb, its subject a title (the name is not in the registry); the participle
    ("وقدّم الأمين العام لمنظمة التعاون الإسلامي الأستاذ إياد بن أمين مدني، تعازيه لأسر الضحايا الذين قضوا نحبهم "
     "في الهجوم، متمنياً الشفاء العاجل للجرحى والمصابين .", "الأمين", "الشفاء العاجل للجرحى والمصابين"),
    # 2015-07-25.zip #1041 (dev audit): a verb of saying that opened no statement (عبر … عن), its subject a title, then «وقال:»
    ("من جهته، عبر رئيس نادي نجران هذيل آل شرمه عن سعادته بالتعاقدات التي أبرمتها إدارته حتى الآن، وقال: "
     "\"لقد أنهينا ولله الحمد عددا كبيرا من التعاقدات المهمة والمميزة في جميع المراكز\".", "رئيس نادي",
     "لقد أنهينا ولله الحمد عددا كبيرا من التعاقدات المهمة والمميزة في جميع المراكز"),
    # invented
    ("وتحدث الوزير عن المشروع الجديد، قائلاً: \"المشروع سيكتمل في العام المقبل\".", "الوزير",
     "المشروع سيكتمل في العام المقبل"),
])
def test_a_later_cue_speaks_for_the_title_subject_of_the_main_verb(text, speaker, quote):
    _one(text, speaker, quote)


@pytest.mark.parametrize("text", [
    # invented, negative: the participle is feminine, the minister masculine
    "وتحدث الوزير عن المشروع الجديد، قائلة: \"المشروع سيكتمل في العام المقبل\".",
    # invented, negative: the minister is inside a prepositional phrase, not the subject
    "وتحدث عن الوزير في المؤتمر، قائلاً: \"المشروع سيكتمل في العام المقبل\".",
])
def test_a_title_of_the_other_gender_or_in_a_preposition_speaks_nothing(text):
    assert extract_quotes(text) == []


# --- an adverb in the accusative is no subject: «وشدد أخيرًا على أن…» ---------------------------

@pytest.mark.parametrize("text, speaker, quote", [
    # 2015-08-02.zip #159: «أخيرًا» (lastly) after the verb; the speaker is the sentence's subject before
    ("وأفاد رئيس جهاز الأمن القومي بأن العمل جارٍ الآن لإحصاء عدد مقاتلي لجان المقاومة الشعبية، وشدد أخيرًا "
     "على أن مدة تدريب مقاتلي اللجان الشعبية لن تقل عن 45 يومًا كحد أدنى.", "رئيس جهاز الأمن القومي",
     "مدة تدريب مقاتلي اللجان الشعبية لن تقل عن 45 يومًا كحد أدنى"),
    # 2015-07-26.zip #460: «تزامناً مع…» (at the same time as) is the narrator's setting
    ("وكانت الحكومة التركية أكدت تزامناً مع الغارات وحملات اعتقال، أنها لن تتهاون مع المتمردين الأكراد.",
     "تركيا", "لن تتهاون مع المتمردين الأكراد"),
    # invented
    ("وقال الوزير إن المشروع يسير وفق الخطة، وشدد تحديداً على أن العمل سيكتمل في العام المقبل.", "الوزير",
     "العمل سيكتمل في العام المقبل"),
])
def test_an_accusative_adverb_is_no_speaker(text, speaker, quote):
    quotes = extract_quotes(text)
    assert (quotes[-1].speaker.name_ar, quotes[-1].text) == (speaker, quote)


@pytest.mark.parametrize("text", [
    # invented: nobody else is named, so nobody speaks
    "وأعلن رسمياً أن المشروع سيكتمل في العام المقبل.",
])
def test_an_accusative_adverb_alone_gives_no_speaker(text):
    assert extract_quotes(text) == []


# --- a noun with a possessive pronoun names no speaker unless it is a person's: «قال وقتها» ------

@pytest.mark.parametrize("text, not_speaker", [
    # 2015-07-26.zip #1309: «تزيد ولولتهم» (their wailing grows) — the columnist's own words
    ("وربما تزيد ولولتهم أكثر لو قلت: دورينا يحتاج إلى رقابة صارمة في الموسم القادم أو أن كرة الثلج ستكبر!!",
     "ولولتهم"),
    # 2015-07-25.zip #967: «قال وقتها» (he said then)
    ("كثر الحديث بينهم حتى وصل للناصرية عند بيت أهلها، قال وقتها \"متى بتعودون للديرة؟ واجي اخذكم لا تدورون "
     "تكسي\".", "وقتها"),
    # invented: «كلماتها» (its lyrics) is the verb's object, the poet its subject
    ("وكتب كلماتها الشاعر خالد الفيصل، مضيفاً: «هذه الأغنية هدية للوطن وأهله».", "كلماتها"),
])
def test_a_possessed_thing_is_no_speaker(text, not_speaker):
    assert not any(s.startswith(not_speaker) for s in _speakers(text))


@pytest.mark.parametrize("text, speaker", [
    # 2015-07-25.zip #955: «أحدهم» (one of them) speaks
    ("قال احدهم للدكتور سمير الضامر في محاضرة «الموسيقى والأسطورة»:» إن في الأحساء «علماً» للفن كما هو عند "
     "اليونان.!».", "احدهم"),
    # invented, must not fire: a kinship noun with its pronoun, a family name, a body
    ("وقالت زوجته إن الحادث وقع فجأة في المنزل ولم يصب أحد.", "زوجته"),
    ("وقال الشلوي إن الفريق سيواصل تدريباته استعدادا للموسم المقبل.", "الشلوي"),
    ("وأكدت الوزارة أن المشروع سيكتمل في العام المقبل.", "الوزارة"),
])
def test_a_person_with_a_pronoun_a_family_name_or_a_body_still_speaks(text, speaker):
    assert _speakers(text) == [speaker]
