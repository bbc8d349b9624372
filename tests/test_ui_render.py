"""The window's HTML: directions and isolation of mixed lines, citation cards with the quoted
span marked in its passage, abstentions, ingest reports, and untrusted text kept inert.

Quotes and passages are from seed 001 (seeds/001_8bb1481c41d16441.txt) and seed 002, copied
from the articles; offsets were read off the article text.
"""
from __future__ import annotations

import datetime as dt

import pytest
from ui_app import assert_inert

from rag import Answer, Citation, IndexStats, IngestReport
from ui import render

WANG_YI_QUOTE = ("لقد أجرينا أنا ووزير الخارجية لافروف محادثات في العمق حول الكثير من القضايا الدولية والإقليمية "
                 "المهمة، ولا سيما أوكرانيا والنزاع الإسرائيلي الفلسطيني")
WANG_YI_PASSAGE = f"بدوره، قال وزير الخارجية الصيني \"{WANG_YI_QUOTE}\"."
HOSTILE = ('<img src=x onerror=window.__pwned=1> الشراكة <script>window.__pwned=1</script> '
           '[اضغط هنا](javascript:window.__pwned=1) &lt;b&gt;عريض&lt;/b&gt; ${window.__pwned=1} ستستمر')


def citation(**changes) -> Citation:
    fields = dict(
        speaker="Wang Yi", speaker_ar="وانغ يي", quote=WANG_YI_QUOTE, kind="direct",
        article_id="c-b200ddda6c8db783", title="بكين وموسكو.. ترتيبات وحوار مرتقب بشأن أمن منطقة أوراسيا",
        source="العربي", date=dt.date(2024, 4, 9), url="seeds/001_8bb1481c41d16441.txt",
        start=505, end=654, passage=WANG_YI_PASSAGE, score=0.8,
    )
    return Citation(**{**fields, **changes})


# --- direction and isolation ----------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("What did Wang Yi say about Ukraine?", "ltr"),
    ("ماذا قال بوتين عن التجارة مع الصين؟", "rtl"),
    ("«ستدفع الثمن» said China", "rtl"),  # the first strong letter decides, as dir="auto" does
    ("2024 — Putin: «بالتأكيد»", "ltr"),
    ("[1] 2024-04-09 …", "auto"),
])
def test_direction_follows_the_first_strong_letter(text, expected):
    assert render.direction(text) == expected


def test_arabic_inside_an_english_line_is_isolated_with_its_guillemets_outside():
    html = render.line_html("Wang Yi (China's foreign minister) said [1]: «لقد أجرينا محادثات في العمق»")
    assert html == ('<p dir="ltr">Wang Yi (China&#x27;s foreign minister) said <sup class="qawl-ref">[1]</sup>: '
                    "«<bdi>لقد أجرينا محادثات في العمق</bdi>»</p>")


def test_english_inside_an_arabic_line_is_isolated():
    html = render.line_html("قال وانغ يي (Wang Yi) إن الصين مستعدة [2]")
    assert html == '<p dir="rtl">قال وانغ يي (<bdi>Wang Yi</bdi>) إن الصين مستعدة <sup class="qawl-ref">[2]</sup></p>'


# --- citations ------------------------------------------------------------------------------

@pytest.mark.parametrize("passage, quote, span", [
    (WANG_YI_PASSAGE, WANG_YI_QUOTE, (33, 33 + len(WANG_YI_QUOTE))),
    ("محذرة من أنها \"ستدفع الثمن\".", "ستدفع الثمن", (15, 26)),
    ("أعلن الزعيمان شي وبوتين أن العلاقات \"تدخل عصرا جديدا\".", "العلاقات \"تدخل عصرا جديدا\"", (27, 53)),
    ("محذرة من أنها \"ستدفع الثمن\".", "لن تدفع", None),
    ("محذرة من أنها \"ستدفع الثمن\".", "", None),
])
def test_highlight_finds_the_quote_in_its_passage(passage, quote, span):
    assert render.highlight(passage, quote) == span
    if span:
        assert passage[span[0]:span[1]] == quote


def test_a_citation_card_shows_speaker_quote_rtl_and_its_marked_passage():
    html = render.citation_html(1, citation())
    assert '<span class="qawl-speaker">Wang Yi</span>' in html and ">وانغ يي</bdi>" in html
    assert f'<blockquote class="qawl-quote" dir="rtl" lang="ar">{WANG_YI_QUOTE}</blockquote>' in html
    assert f'بدوره، قال وزير الخارجية الصيني &quot;<mark>{WANG_YI_QUOTE}</mark>&quot;.' in html
    assert "بكين وموسكو.. ترتيبات" in html and "العربي" in html and "2024-04-09" in html
    assert "<code>seeds/001_8bb1481c41d16441.txt</code>" in html and "characters 505–654" in html
    assert "<details" in html and "<summary" in html


def test_an_answer_line_quoting_its_citation_is_not_printed_twice():
    answer = Answer("What did Wang Yi say about Ukraine?", True,
                    f"Wang Yi (China's foreign minister) said [1]: «{WANG_YI_QUOTE}»", [citation()])
    html = render.answer_html(answer)
    assert html.count(WANG_YI_QUOTE) == 2  # once in the card's quote, once marked in the passage
    assert '<p dir="ltr" class="qawl-lead">Wang Yi (China&#x27;s foreign minister) said' in html


def test_citations_the_text_does_not_quote_are_listed_as_sources():
    answer = Answer("q", True, "Two statements were found [1] [2].",
                    [citation(), citation(quote="ستدفع الثمن", speaker="China", speaker_ar="الصين")])
    html = render.answer_html(answer)
    assert html.index("Two statements") < html.index(">Sources<") < html.index('data-n="1"') < html.index('data-n="2"')


def test_an_abstention_says_so_and_keeps_its_alternatives():
    answer = Answer("What did Lavrov say about football?", False,
                    "No statement by Sergei Lavrov about “football” was found in the indexed articles.\n"
                    "Sergei Lavrov is quoted on: «عقداً ناجحاً ومذهلاً لدورة الألعاب الأولمبية الشتوية»")
    html = render.answer_html(answer)
    assert "No matching statement" in html and "qawl-cite" not in html
    assert "«<bdi>عقداً ناجحاً ومذهلاً لدورة الألعاب الأولمبية الشتوية</bdi>»" in html


@pytest.mark.parametrize("location, expected", [
    ("https://www.alarabiya.net/articles/1", '<a href="https://www.alarabiya.net/articles/1" target="_blank" '
                                             'rel="noopener noreferrer">https://www.alarabiya.net/articles/1</a>'),
    ("/data/seeds/001.txt", "<code>/data/seeds/001.txt</code>"),
    ("javascript:alert(1)", "<code>javascript:alert(1)</code>"),
    ('https://x.org/"><script>', '<a href="https://x.org/&quot;&gt;&lt;script&gt;" target="_blank" '
                                 'rel="noopener noreferrer">https://x.org/&quot;&gt;&lt;script&gt;</a>'),
])
def test_only_http_locations_become_links(location, expected):
    assert render.location_html(location) == expected


# --- untrusted text -------------------------------------------------------------------------

def test_hostile_article_text_is_escaped_everywhere():
    hostile = citation(quote=HOSTILE, passage=f"قال لافروف \"{HOSTILE}\".", title="<script>alert(1)</script>",
                       source='<img src=x onerror="alert(1)">', url="javascript:alert(1)",
                       speaker="<b>Lavrov</b>", speaker_ar="لافروف<svg onload=alert(1)>")
    answer = Answer("<img src=x onerror=alert(1)>", True, f"<i>Lavrov</i> said [1]: «{HOSTILE}»", [hostile])
    html = render.question_html(answer.question, {"speaker": "<script>"}) + render.answer_html(answer)
    assert_inert(html)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "&amp;lt;b&amp;gt;" in html  # entities in the article stay text, not markup
    assert "[اضغط هنا](javascript:window.__pwned=1)" in html  # a markdown link stays text


def test_ingest_report_lists_failures_with_their_reasons_escaped():
    report = IngestReport(added=1, failed=[("uploads/bad<img src=x onerror=alert(1)>.json", "invalid JSON <here>")],
                          duplicates=[("b.txt", "c-1")], quotes=4)
    html = render.report_html(report)
    assert_inert(html)
    assert "<b>1</b><span>added</span>" in html and '<div class="qawl-tile qawl-bad"><b>1</b><span>failed</span>' in html
    assert "invalid JSON &lt;here&gt;" in html and "b.txt" in html


def test_index_status_shows_counts_dates_outlets_and_model():
    stats = IndexStats(articles=5, chunks=27, quotes=77, sources={"العربي": 1, "<script>": 1}, date_from=dt.date(2021, 12, 15),
                       date_to=dt.date(2024, 4, 9), size_bytes=10, location="/tmp/index", embedding_model="multilingual-e5-small")
    html = render.stats_html(stats, speakers=13)
    assert_inert(html)
    for text in ("<b>5</b><span>articles</span>", "<b>77</b><span>quotes</span>", "<b>13</b><span>speakers</span>",
                 "2021-12-15 → 2024-04-09", "multilingual-e5-small", "العربي", "&lt;script&gt;"):
        assert text in html


def test_understood_chips_show_roles_kept_roles_and_candidates():
    from ui.render import understood_html

    html = understood_html({"speakers": [{"name_en": "Sergei Lavrov"}], "topic": "Iran", "addressee": "kerry",
                            "kept": ["speaker"], "candidates": []})
    assert "Understood:" in html and "Sergei Lavrov" in html and "(kept)" in html and "to: <bdi>kerry" in html
    ambiguous = understood_html({"speakers": [], "candidates": [{"name_en": "John Kerry"}, {"name_en": "Sergei Lavrov"}]})
    assert "which speaker?" in ambiguous and "John Kerry" in ambiguous and "Sergei Lavrov" in ambiguous
    assert understood_html({}) == ""
