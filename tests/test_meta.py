"""Dates and outlets stated in page text: found where stated, never guessed."""
from __future__ import annotations

import datetime as dt

import pytest

from rag.meta import date_in_line, find_date, find_source, parse_date_field

D = dt.date


@pytest.mark.parametrize(
    "line, expected",
    [
        ("الثلاثاء 26 مارس / مارس 2024", D(2024, 3, 26)),  # seed 003's date line
        ("2022/2/3", D(2022, 2, 3)),  # year first
        ("3/2/2022", D(2022, 2, 3)),  # day first, the Arabic order
        ("3-2-2022", D(2022, 2, 3)),
        ("٢٦ آذار ٢٠٢٤", D(2024, 3, 26)),  # Levantine month, Arabic-Indic digits
        ("۲۶ مارس ۲۰۲۴", D(2024, 3, 26)),  # Eastern Arabic-Indic (Persian) digits
        ("3 شباط/ فبراير 2022", D(2022, 2, 3)),  # both names, as seed 002 writes them
        ("3 آذار (مارس) 2024", D(2024, 3, 3)),
        ("15 كانون الأول 2021", D(2021, 12, 15)),
        ("1 تشرين الثاني 2023", D(2023, 11, 1)),
        ("9 أيلول 2015", D(2015, 9, 9)),
        ("الأحد 5 إبريل 2015", D(2015, 4, 5)),
        ("5 ابريل 2015", D(2015, 4, 5)),  # no hamza
        ("الخميس 1 يوليه، 2021", D(2021, 7, 1)),
        ("25 يوليو عام 2015", D(2015, 7, 25)),
        ("نشر في: 3/2/2022 - 10:30 ص", D(2022, 2, 3)),
        ("السبت 25 يوليو 2015 - 9 شوال 1436", D(2015, 7, 25)),  # the Gregorian date beside a Hijri one
    ],
)
def test_date_lines_are_read(line, expected):
    assert date_in_line(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "في شباط/ فبراير 2022",  # month and year only: the day would be a guess
        "من 21 إلى 27 ديسمبر/ كانون الأول",  # no year (seed 003)
        "في مارس الماضي",  # seed 004: relative
        "1436/10/9",  # Hijri year
        "9 شوال 1436",
        "31 فبراير 2024",  # no such day
        "3 آذار/أبريل 2024",  # two different months: refuse rather than pick one
        "2022/13/40",
        "للعام 2022",
    ],
)
def test_partial_or_impossible_dates_are_not_guessed(line):
    assert date_in_line(line) is None


def test_a_date_inside_a_sentence_is_an_event_not_the_publication_date():
    text = "قال الوزير إن الاتفاق الذي وقع في 15 فبراير 2022 في موسكو سيدخل حيز التنفيذ قريبا، وفق بيان الخارجية."
    assert find_date(text) is None


def test_a_date_line_is_only_taken_near_the_top():
    body = "\n".join(f"فقرة رقم {i} من نص الخبر." for i in range(20))
    assert find_date("26 مارس 2024\n" + body) == D(2024, 3, 26)
    assert find_date(body + "\n26 مارس 2024") is None


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2015-07-25 01:27:33", D(2015, 7, 25)),  # SaudiNewsNet date_extracted
        ("2024-03-26T10:00:00+00:00", D(2024, 3, 26)),
        ("26 مارس 2024", D(2024, 3, 26)),
        ("2015-13-40", None),
        ("", None),
        (None, None),
        (20150725, None),
    ],
)
def test_parse_date_field(value, expected):
    assert parse_date_field(value) == expected


@pytest.mark.parametrize(
    "text, outlet",
    [
        ("موسكو وبكين تحضّران للقمة المقبلة\n\nمجلة وفاء wafaamagazine\n\nبحث وزير الخارجية", "مجلة وفاء"),  # seed 000
        ("وقع البلدان شراكة إستراتيجية.\n\nالمصادر:\nالعربي - وكالات\n\nشارك القصة", "العربي"),  # seed 003
        (" عين اليوم – متابعات\nكشفت شركة صينية رائدة عن تقنية حديثة", "عين اليوم"),  # SaudiNewsNet 3alyoum
        ("هيفاء عبدالله – عين اليوم\nبررت السلطات الكويتية", "عين اليوم"),
        ("نص الخبر.\nالمصدر: الميادين نت", "الميادين"),
        ("نص الخبر.\nالعربي الجديد - وكالات", "العربي الجديد"),  # not العربي
    ],
)
def test_outlet_named_by_a_credit_line(text, outlet):
    assert find_source(text) == outlet


@pytest.mark.parametrize(
    "text",
    [
        "وقال المتحدث لـ«الميادين» إن المحادثات مستمرة.",  # an interview given to an outlet is not its page
        "العالم العربي يواجه تحديات كبيرة في الأمن الغذائي.",
        "نص الخبر.\n\nالمصدر: وكالات",  # seed 002: agencies, no outlet
        "وأضاف وفق ما نقلت وكالة ريا نوفوستي الروسية أن بكين وموسكو ستواصلان التعاون.",
    ],
)
def test_no_outlet_without_a_credit_line(text):
    assert find_source(text) is None
