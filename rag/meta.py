"""Article metadata stated in page text: the publication date and the outlet.

Both look only where a page states them — a short date line near the top, a credit line
naming the outlet — and return ``None`` otherwise: a date or outlet is never guessed from
a sentence that merely mentions one. Month names, limits and outlet names live in
``resources/dates.yaml`` and ``resources/outlets.yaml``; matching runs on
``rag.arabic.normalize`` output, so spelling variants of a name fold together.
"""
from __future__ import annotations

import datetime as dt
import re

from rag.arabic import normalize
from rag.knowledge import load

_DATES = load("dates")
_OUTLETS = load("outlets")


def _alternation(names: list[str]) -> str:
    """A regex group matching any of ``names`` (normalised), longest first, spaces flexible."""
    keys = sorted({normalize(n) for n in names}, key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, k.split())) for k in keys)


_MONTH_BY_NAME = {normalize(name): int(num) for num, names in _DATES["months"].items() for name in names}
_MONTH = rf"(?:{_alternation(list(_MONTH_BY_NAME))})(?!\w)"
# "26 مارس 2024", "26 آذار/مارس 2024", "الثلاثاء 26 مارس / مارس 2024", "3 شباط (فبراير) 2022"
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})\s*(?P<month>{_MONTH})"
    rf"(?:\s*[/\-–،,(]\s*(?P<alt>{_MONTH})\s*\)?)?"
    rf"\s*[,،]?\s*(?:(?:عام|سنه)\s+)?(?P<year>\d{{4}})(?!\d)"
)
# "2022/2/3" (year first) and "3/2/2022" (day first, the Arabic order)
_YEAR_FIRST = re.compile(r"(?<![\d/.\-])(?P<year>\d{4})([/.\-])(?P<month>\d{1,2})\2(?P<day>\d{1,2})(?![\d/.\-])")
_DAY_FIRST = re.compile(r"(?<![\d/.\-])(?P<day>\d{1,2})([/.\-])(?P<month>\d{1,2})\2(?P<year>\d{4})(?![\d/.\-])")
_ISO_FIELD = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})")


def find_date(text: str) -> dt.date | None:
    """The publication date a page states on a short line of its own near the top, else None."""
    lines = (line for line in text.splitlines() if line.strip())
    for _, line in zip(range(_DATES["header_lines"]), lines):
        found = date_in_line(line)
        if found:
            return found
    return None


def date_in_line(line: str) -> dt.date | None:
    """The full date (day, month and year) on a short ``line``, else None."""
    if len(line.strip()) > _DATES["max_line_chars"]:
        return None
    norm = normalize(line)
    match = _DAY_MONTH_YEAR.search(norm)
    if match:
        month = _MONTH_BY_NAME[_squeeze(match["month"])]
        if match["alt"] and _MONTH_BY_NAME[_squeeze(match["alt"])] != month:
            return None  # "3 آذار/أبريل 2024" contradicts itself: refuse rather than guess
        return _valid_date(match["year"], month, match["day"])
    match = _YEAR_FIRST.search(norm) or _DAY_FIRST.search(norm)
    return _valid_date(match["year"], match["month"], match["day"]) if match else None


def parse_date_field(value: object) -> dt.date | None:
    """A date from a JSON field: ISO ``2015-07-25 01:27:33`` or an Arabic date string, else None."""
    if not isinstance(value, str):
        return None
    match = _ISO_FIELD.match(value)
    if match:
        return _valid_date(*match.groups())
    return date_in_line(value)


def _squeeze(name: str) -> str:
    return " ".join(name.split())


def _valid_date(year: str | int, month: str | int, day: str | int) -> dt.date | None:
    """The date if it exists and its year is a plausible Gregorian one (not Hijri 1436), else None."""
    year, month, day = int(year), int(month), int(day)
    if not _DATES["min_year"] <= year <= _DATES["max_year"]:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_NAME_BY_ALIAS = {normalize(a): o["name"] for o in _OUTLETS["outlets"] for a in o["aliases"]}
_OUTLET = rf"(?P<outlet>{_alternation(list(_NAME_BY_ALIAS))})"
_CREDIT_LINES = [re.compile(line.replace("{outlet}", _OUTLET)) for line in _OUTLETS["credit_lines"]]


def find_source(text: str) -> str | None:
    """The outlet a credit line of the page names (``مجلة وفاء``, ``العربي``…), else None."""
    for line in text.splitlines():
        norm = normalize(line).strip()
        for pattern in _CREDIT_LINES:
            match = pattern.fullmatch(norm)
            if match:
                return _NAME_BY_ALIAS[_squeeze(match["outlet"])]
    return None
