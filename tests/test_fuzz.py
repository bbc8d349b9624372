"""Fuzzing every stage that reads untrusted text: loaders, cleaning and chunking, normalisation,
attribution, question parsing, and one ``ask`` through the facade.

The inputs are random bytes, random Unicode (astral characters, combining marks, bidi
controls, every line break Python knows), real Arabic sentences from the seeds mixed with
the reporting verbs of ``rag/resources/reporting.yaml`` and unbalanced quotation marks, and
inputs at the size limits. The property is always the same: a stage succeeds with offsets
that point exactly into its input, or fails with the error it documents (``LoadError``,
``QuestionError``), never another exception, and within a time budget.

The per-module files hold the hand-read cases; the properties here are what must hold for
any input. Runs are derandomized, so a failure reproduces.
"""
from __future__ import annotations

import json
import os
import random
import re
import tempfile
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rag.attribute import extract_quotes
from rag.chunk import chunk_article
from rag.clean import is_blank
from rag.config import PROJECT_ROOT, SEEDS_DIR
from rag.errors import LoadError, QuestionError
from rag.load import iter_articles
from rag.arabic import has_arabic, normalize, normalize_with_offsets
from rag.question import MAX_NAMED_SPEAKERS, MAX_QUESTION_CHARS, ParsedQuestion, parse_question
from rag.speakers import SpeakerRegistry
from rag.types import Answer, Article
from test_chunk import assert_valid
from test_clean import assert_maps_back

_FUZZ = settings(deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))]
SENTENCES = sorted({s.strip() for t in SEED_TEXTS for s in re.split(r"(?<=[.!؟?])\s+|\n", t) if has_arabic(s)})
LIMIT = 4096  # a small max_bytes, so inputs at the size limit stay cheap
BUDGET = 5.0  # seconds any one input may take, however hostile


def _verbs() -> list[str]:
    """Every written form the lexicon lists (past, present, participle), as in reporting.yaml."""
    data = yaml.safe_load((PROJECT_ROOT / "rag" / "resources" / "reporting.yaml").read_text(encoding="utf-8"))
    forms = [v.get(tense) for v in data["verbs"] for tense in ("past", "present", "participle")]
    return sorted({f for form in forms if form for f in ([form] if isinstance(form, str) else form)})


VERBS = _verbs()

# --- what the inputs are made of -----------------------------------------------------------

BIDI = ["\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))]
BREAKS = ["\n", "\r\n", "\r", "\x85", "\u2028", "\u2029", "\x0b", "\x0c", "\n\n\n"]
MARKS = ["«", "»", "“", "”", '"', "„", "‹", "›", "'", "(", ")"]
COMBINING = [*map(chr, range(0x064B, 0x0653)), "\u0670", "\u0640", "\u0301", "\u0308", "\u20dd", "\u200d"]
PUNCTUATION = [" ", " ", " ", ":", "،", ".", "؟", "!", "؛", "…", "\xa0", "\t"]
NAMES = ["بوتين", "لافروف", "وانغ يي", "شي جين بينغ", "وزير الخارجية الصيني", "المتحدث باسم الخارجية الصينية",
         "الكرملين", "نظيره الصيني", "الوزيران", "Wang Yi", "Putin said", "Lavrov"]
ASTRAL = st.characters(min_codepoint=0x10000)  # emoji, CJK extensions, mathematical letters
ANY_CHARS = st.text(st.characters(codec="utf-8"), max_size=12)  # any code point but surrogates

PIECE = st.one_of(
    st.sampled_from(SENTENCES), st.sampled_from(VERBS), st.sampled_from(NAMES),
    st.sampled_from(BIDI + BREAKS + MARKS + COMBINING + PUNCTUATION), ASTRAL, ANY_CHARS,
)
MIXED = st.lists(PIECE, max_size=60).map("".join)
# One sentence repeated on one line: long lines that chunking must cut and attribution must walk.
LONG_LINE = st.builds(lambda s, n, sep: sep.join([s] * n), st.sampled_from(SENTENCES),
                      st.integers(20, 150), st.sampled_from([" ", "\u200f ", "، "]))
ARTICLE_TEXT = st.one_of(MIXED, LONG_LINE, st.text(st.characters(codec="utf-8"), max_size=300))


def fuzz(examples: int) -> settings:
    """Deterministic runs of ``examples`` inputs, sized so the whole file runs in about a minute;
    ``QAWL_FUZZ_SCALE=20`` runs twenty times as many, for a deeper search."""
    return settings(_FUZZ, max_examples=examples * int(os.environ.get("QAWL_FUZZ_SCALE", "1")))


@contextmanager
def within_budget(seconds: float = BUDGET):
    started = time.perf_counter()
    yield
    assert time.perf_counter() - started < seconds, "took too long"


# --- loaders -------------------------------------------------------------------------------

SUFFIXES = [".txt", ".json", ".jsonl", ".html", ".zip"]
ARTICLE_ID = re.compile(r"[uc]-[0-9a-f]{16}")


def load_bytes(data: bytes, suffix: str, *, max_bytes: int = LIMIT) -> list[Article | LoadError]:
    """Write ``data`` to a file and load it; check every item is a valid Article or LoadError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        with within_budget():
            items = list(iter_articles([path], max_bytes=max_bytes))
    for item in items:
        assert_valid_item(item)
    return items


def assert_valid_item(item: object) -> None:
    if isinstance(item, LoadError):
        assert item.path and item.reason.strip()
        return
    assert isinstance(item, Article)
    assert item.text.strip() and has_arabic(item.text) and ARTICLE_ID.fullmatch(item.id)
    fields = [item.text, item.title, item.source, item.url, item.author]
    for field in filter(None, fields):
        field.encode("utf-8")  # storable: no lone surrogates


@fuzz(120)
@given(st.binary(max_size=3000), st.sampled_from(SUFFIXES))
def test_random_bytes_load_or_fail_with_a_load_error(data, suffix):
    load_bytes(data, suffix)


@fuzz(60)
@given(st.text(st.characters(codec="cp1256"), max_size=300), st.sampled_from([".txt", ".jsonl"]))
def test_random_windows_1256_text_loads_or_fails_with_a_load_error(text, suffix):
    load_bytes(text.encode("cp1256"), suffix)


# Text a file could hold: no control characters (which mark a file as binary) but tab and
# line breaks; it opens with an Arabic sentence, so it is an article whatever follows.
FILE_TEXT = st.builds(
    lambda first, rest: first + rest, st.sampled_from(SENTENCES),
    st.lists(PIECE.filter(lambda p: not re.search(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]", p)), max_size=20)
    .map("".join),
)


@fuzz(100)
@given(FILE_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_text_in_a_unicode_encoding_loads_as_written(text, encoding):
    [item] = load_bytes(text.encode(encoding), ".txt", max_bytes=1 << 20)
    assert isinstance(item, Article) and item.text == text


# Arabic prose (no Latin words, which Windows-1256 shares with other code pages) that the code page can spell.
CP1256_SENTENCES = [s for s in SENTENCES if s == s.encode("cp1256", "ignore").decode("cp1256")
                    and not re.search("[A-Za-z]", s)]


@fuzz(30)
@given(st.lists(st.tuples(st.sampled_from(CP1256_SENTENCES), st.sampled_from(["\n", "\r\n", " ", "\n\n"])),
                min_size=1, max_size=8))
def test_arabic_in_windows_1256_loads_as_written(parts):
    text = "".join(s + sep for s, sep in parts).strip()
    [item] = load_bytes(text.encode("cp1256"), ".txt", max_bytes=1 << 20)
    assert isinstance(item, Article) and item.text == text


@fuzz(40)
@given(st.lists(st.sampled_from(SENTENCES), min_size=3, max_size=10), st.data())
def test_utf8_with_a_damaged_byte_keeps_every_undamaged_line(lines, data):
    """A truncated download or one corrupted byte costs a character, not the article
    (decoded as Windows-1256, every Arabic letter would turn to mojibake: «ط¨ظƒظٹظ†»)."""
    raw = "\n".join(lines).encode("utf-8")
    at = data.draw(st.integers(len(lines[0].encode()) + 1, len(raw) - 1), label="at")
    damage = data.draw(st.sampled_from(["cut", "flip", "insert"]), label="damage")
    damaged = {"cut": raw[:at], "flip": raw[:at] + b"\xff" + raw[at + 1:], "insert": raw[:at] + b"\x81" + raw[at:]}
    [item] = load_bytes(damaged[damage], ".txt", max_bytes=1 << 20)
    assert isinstance(item, Article)
    line_ends = [len("\n".join(lines[:k + 1]).encode()) for k in range(len(lines))]
    untouched = [line for line, end in zip(lines, line_ends) if end < at]
    assert untouched and all(line in item.text for line in untouched)


JSON_TEXT = st.one_of(st.sampled_from(SENTENCES), MIXED, st.text(max_size=30))
# Lone surrogates: JSON can spell them (a truncated emoji escape), no UTF-8 file or index can hold them.
SURROGATE_TEXT = st.builds(lambda s, c: s + c, st.sampled_from(SENTENCES), st.characters(categories=["Cs"]))
URLS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["http://[abc", "http://[::1]:99999/", "https://www.alriyadh.com/1068213?utm_source=x#top",
                     "\x00", "#", "/", "http://", "mailto:x", "http://a.b/%ff%fe", "http://exa mple.com/ب"]),
)
JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), JSON_TEXT)
RECORD = st.fixed_dictionaries({}, optional={
    "content": st.one_of(JSON_TEXT, SURROGATE_TEXT, JSON_SCALARS, st.lists(JSON_TEXT, max_size=2)),
    "title": st.one_of(JSON_SCALARS, SURROGATE_TEXT),
    "url": st.one_of(URLS, JSON_SCALARS),
    "date": st.one_of(JSON_SCALARS, st.sampled_from(["2015-07-25 01:27:33", "0000-00-00", "9999-99-99",
                                                       "26 مارس 2024", "2024-02-30", "٢٠٢٤-٠٣-٢٦"])),
    "date_extracted": JSON_SCALARS,
    "source": JSON_SCALARS,
    "author": st.one_of(JSON_SCALARS, SURROGATE_TEXT),
})
RECORDS = st.lists(st.one_of(RECORD, JSON_SCALARS), max_size=6)


def expected_text(record: object) -> str | None:
    """The article a record must give: its content, if that is text with an Arabic letter."""
    if isinstance(record, dict) and isinstance(record.get("content"), str) and has_arabic(record["content"]):
        return record["content"]
    return None


def assert_loaded_as(item: Article | LoadError, record: object) -> None:
    content = expected_text(record)
    if content is None:
        assert isinstance(item, LoadError)
        return
    assert isinstance(item, Article) and len(item.text) == len(content)  # offsets stand
    assert all(a == b for a, b in zip(item.text, content) if not "\ud800" <= b <= "\udfff")


@fuzz(150)
@given(RECORDS)
def test_json_arrays_give_one_item_per_record(records):
    items = load_bytes(json.dumps(records).encode(), ".json", max_bytes=1 << 20)
    assert len(items) == len(records)
    for item, record in zip(items, records):
        assert_loaded_as(item, record)


@fuzz(100)
@given(st.lists(st.one_of(RECORD, st.text(st.characters(exclude_categories=["Cc", "Cs"]), max_size=20)),
                min_size=1, max_size=8).filter(lambda lines: any(isinstance(x, dict) for x in lines)))
def test_jsonl_gives_one_item_per_line(lines):
    """Records among lines of random text (mostly invalid JSON): each non-blank line one item, named by its number."""
    written = [json.dumps(x) if isinstance(x, dict) else x for x in lines]
    items = load_bytes("\n".join(written).encode(), ".jsonl", max_bytes=1 << 20)
    numbered = [(n, x) for n, (line, x) in enumerate(zip(written, lines), start=1) if line.strip()]
    assert [item.path.rsplit("#L", 1)[1] for item in items] == [str(n) for n, _ in numbered]
    for item, (_, x) in zip(items, numbered):
        if isinstance(x, dict):
            assert_loaded_as(item, x)


@fuzz(100)
@given(RECORDS, st.data())
def test_malformed_json_is_a_load_error(records, data):
    text = json.dumps(records, ensure_ascii=data.draw(st.booleans(), label="ascii"))
    at = data.draw(st.integers(0, len(text)), label="at")
    mutation = data.draw(st.sampled_from(["truncate", "insert", "nest"]), label="mutation")
    if mutation == "truncate":
        text = text[:at]
    elif mutation == "insert":
        text = text[:at] + data.draw(st.sampled_from(list('{}[],:"\\') + ["\ud800", "\x00", "NaN", "\n"])) + text[at:]
    else:  # nesting deeper than the parser's recursion limit
        text = "[" * data.draw(st.integers(1, 200_000), label="depth") + text
    for suffix in (".json", ".jsonl"):
        load_bytes(text.encode("utf-8", "surrogatepass"), suffix, max_bytes=1 << 20)


MEMBER_SUFFIXES = [*SUFFIXES, ".htm", ".md", "", ".TXT", ".Json"]
# A member's bytes, with the article text it must give when it is a .txt file (None: no promise).
MEMBER_DATA = st.one_of(
    st.binary(max_size=400).map(lambda b: (b, None)),
    FILE_TEXT.map(lambda t: (t.encode("utf-8"), t)),
    RECORDS.map(lambda r: (json.dumps(r).encode(), None)),
)
MEMBERS = st.lists(
    st.tuples(st.sampled_from(["", "dir/", "__MACOSX/", "a/b/"]),
              st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=1, max_size=8),
              st.sampled_from(MEMBER_SUFFIXES), MEMBER_DATA),
    max_size=6, unique_by=lambda m: (m[0] + m[1] + m[2]).lower(),
).map(lambda members: [(folder + stem + suffix, *data) for folder, stem, suffix, data in members])
COMPRESSIONS = [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]


def zip_bytes(members: list[tuple], compression: int) -> bytes:
    """An archive of ``(name, data, ...)`` members."""
    with tempfile.TemporaryFile() as file:
        with zipfile.ZipFile(file, "w", compression=compression) as archive:
            for name, data, *_ in members:
                archive.writestr(name, data)
        file.seek(0)
        return file.read()


@fuzz(100)
@given(MEMBERS, st.sampled_from(COMPRESSIONS))
def test_zip_members_load_like_the_files_they_are(members, compression):
    """Each .txt member holding article text is an Article, found where the archive says."""
    items = load_bytes(zip_bytes(members, compression), ".zip", max_bytes=1 << 20)
    by_path = {item.path.split("!", 1)[1]: item for item in items}
    for name, _, text in members:
        if name.lower().endswith(".txt") and not name.startswith("__MACOSX/") and text is not None:
            assert isinstance(by_path[name], Article) and by_path[name].text == text


@fuzz(100)
@given(MEMBERS, st.sampled_from(COMPRESSIONS), st.data())
def test_damaged_zips_are_load_errors(members, compression, data):
    archive = bytearray(zip_bytes(members, compression))
    at = data.draw(st.integers(0, len(archive) - 1), label="at")
    if data.draw(st.booleans(), label="truncate"):
        del archive[at:]
    else:
        archive[at] ^= data.draw(st.integers(1, 255), label="xor")
    load_bytes(bytes(archive), ".zip", max_bytes=1 << 20)


@fuzz(30)
@given(st.integers(-3, 3), st.sampled_from([".txt", ".json", ".zip-member"]))
def test_inputs_at_the_size_limit(delta, kind):
    """A byte over ``max_bytes`` is refused unread, with the limit named; at or under it is read
    (text cut mid-character still an article, cut JSON an error of its own)."""
    text = "\n".join(SENTENCES)
    data = {
        ".txt": text.encode("utf-8")[: LIMIT + delta],  # may end mid-character
        ".json": json.dumps({"content": text}).encode()[: LIMIT + delta],  # truncated JSON
        ".zip-member": zip_bytes([("big.txt", text.encode("utf-8")[: LIMIT + delta])], zipfile.ZIP_DEFLATED),
    }[kind]
    items = load_bytes(data, kind.removesuffix("-member"))
    over = [item for item in items if isinstance(item, LoadError) and f"{LIMIT:,}-byte limit" in item.reason]
    assert len(over) == (1 if delta > 0 else 0)
    if delta <= 0 and kind != ".json":
        assert [type(item) for item in items] == [Article]


@fuzz(40)
@given(st.one_of(MIXED, st.text(max_size=200)), st.sampled_from(["<p>{}</p>", "<html><body><article>{}",
                                                                  "<title>{}</title>", "<!--{}", "<![CDATA[{}", "{}"]))
def test_html_pages_load_or_fail_with_a_load_error(text, template):
    load_bytes(template.format(text).encode("utf-8"), ".html", max_bytes=1 << 20)


# --- cleaning, chunking, normalisation -------------------------------------------------------


@fuzz(300)
@given(ARTICLE_TEXT, st.integers(1, 800))
def test_clean_and_chunk_keep_exact_offsets_on_hostile_text(text, max_chars):
    """Bidi controls, combining marks, astral characters, every line break: offsets stay exact."""
    with within_budget():
        assert_maps_back(text)
        art = Article(id="a1", text=text)
        assert_valid(art, chunk_article(art, max_chars=max_chars), max_chars)


@fuzz(5)
@given(LONG_LINE, st.sampled_from(BREAKS))
def test_a_huge_article_cleans_and_chunks_in_time(line, brk):
    text = brk.join([line] * 40)  # up to ~3 MB
    with within_budget():
        art = Article(id="a1", text=text)
        assert_valid(art, chunk_article(art), 700)


@fuzz(300)
@given(ARTICLE_TEXT)
def test_normalisation_offsets_are_monotone_and_it_is_idempotent(text):
    norm, offsets = normalize_with_offsets(text)
    assert norm == normalize(text) and normalize(norm) == norm
    assert len(offsets) == len(norm) + 1 and offsets[-1] == len(text)
    assert all(0 <= a <= b for a, b in zip(offsets, offsets[1:]))
    assert all(o < len(text) for o in offsets[:-1])
    # Monotone offsets make each original character's output one run: its own normalised form.
    runs = [""] * len(text)
    for char, i in zip(norm, offsets):
        runs[i] += char
    assert runs == [normalize(c) for c in text]


# --- attribution ---------------------------------------------------------------------------

REGISTRY = SpeakerRegistry.default()
TITLES = st.one_of(st.none(), st.sampled_from(SENTENCES), MIXED)
DATES = st.one_of(st.none(), st.dates())


def invisible_edge(span: str) -> bool:
    """The span starts or ends with whitespace, a zero-width character or a bidi control."""
    return any(is_blank(c) or c in BIDI for c in (span[0], span[-1]))


def assert_valid_quotes(text: str, quotes) -> None:
    for q in quotes:
        assert 0 <= q.start < q.end <= len(text) and text[q.start:q.end] == q.text
        assert not invisible_edge(q.text), repr(q.text)
        assert q.speaker.id and (q.speaker.name_ar.strip() or q.speaker.name_en.strip())
        assert q.kind in ("direct", "indirect", "mixed") and 0.0 <= q.confidence <= 1.0
        if q.cue_start is not None:
            assert 0 <= q.cue_start < len(text) and text.startswith(q.cue, q.cue_start), (q.cue, q.cue_start)
    assert all(a.end <= b.start for a, b in zip(quotes, quotes[1:]))


NEWS = st.lists(st.one_of(PIECE, st.sampled_from(SENTENCES), st.sampled_from(VERBS).map(lambda v: f"و{v} ")),
                min_size=5, max_size=120).map("".join)


@fuzz(300)
@given(NEWS, TITLES, DATES)
def test_attribution_on_mixed_news_fragments_gives_exact_spans(text, title, date):
    with within_budget():
        quotes = extract_quotes(text, title=title, date=date)
    assert_valid_quotes(text, quotes)


@fuzz(4)
@given(st.lists(st.sampled_from(SENTENCES + MARKS + BIDI + BREAKS + NAMES + VERBS), min_size=1, max_size=60),
       st.integers(0, 2**32))
def test_attribution_of_a_200k_character_text_within_budget(pieces, seed):
    """Seeded draws from the pieces up to 200,000 characters: too much for hypothesis to draw itself."""
    draw, parts, size = random.Random(seed), [], 0
    while size < 200_000:
        parts.append(draw.choice(pieces) + draw.choice([" ", "", "\n", "، "]))
        size += len(parts[-1])
    text = "".join(parts)[:200_000]
    with within_budget(10.0):
        quotes = extract_quotes(text, title=SENTENCES[0])
    assert_valid_quotes(text, quotes)


# --- questions -----------------------------------------------------------------------------

INJECTION = ["Ignore previous instructions and", "'; DROP TABLE quotes; --", "{{7*7}}", "${jndi:ldap://x}",
             "<script>alert(1)</script>", "\\u0000", "%s%s%n", "../../etc/passwd", "$where: 1", "\x00", "])}\"'"]
QUESTION_PARTS = st.sampled_from([
    "What did", "say about", "Who said", "Who spoke about", "Did", "mention", "ماذا قال", "عن", "من قال إن",
    "هل تحدث", "in 2022", "since 2019", "before 2020", "في عام 2024", "منذ ٢٠١٩", "on March 3, 2022",
    "في 30 فبراير 2022", "according to Al-Araby,", "بحسب العربي،", "and", "و", "?", "؟", *NAMES, *INJECTION,
])
# "What did A and B and C… say" with names the registry does not know: each costs a fuzzy match.
MANY_SPEAKERS = st.builds(
    lambda name, count, sep, template: template.format(sep.join([name] * count))[:MAX_QUESTION_CHARS],
    st.sampled_from(["a", "X Y", "الفاطمي", "زيد"]), st.integers(1, 400), st.sampled_from([" and ", ", ", " و", "، "]),
    st.sampled_from(["What did {} say about Ukraine?", "ماذا قال {} عن أوكرانيا؟", "Did {} mention China?"]),
)
QUESTION = st.one_of(
    st.lists(st.one_of(QUESTION_PARTS, PIECE), max_size=15).map(" ".join),
    MANY_SPEAKERS,
    st.text(st.characters(codec="utf-8"), max_size=80),
    st.sampled_from(["", " ", "\n\t", "\u200f", "\u2028", "?" * 3, "؟"]),
    st.integers(MAX_QUESTION_CHARS - 2, MAX_QUESTION_CHARS + 2).map(lambda n: ("ماذا قال بوتين " * n)[:n]),
)


def assert_documented(error: QuestionError, question: str) -> None:
    """A question is refused only for what QuestionError documents, and says so."""
    assert (not question.strip() or len(question) > MAX_QUESTION_CHARS
            or f"at most {MAX_NAMED_SPEAKERS} at a time" in str(error)), str(error)


@fuzz(300)
@given(QUESTION)
def test_a_question_parses_or_is_a_question_error(question):
    try:
        with within_budget(2.0):
            parsed = parse_question(question, registry=REGISTRY, sources=["العربي", "مجلة وفاء"],
                                    known_speakers=[REGISTRY.unknown("الفاطمي")])
    except QuestionError as error:
        assert_documented(error, question)
        return
    assert isinstance(parsed, ParsedQuestion) and parsed.lang in ("ar", "en")
    assert parsed.intent in ("what_said", "who_said", "did_say", "did_mention", "who_spoke", "compare")
    assert parsed.topic is None or parsed.topic.strip()
    assert parsed.date_from is None or parsed.date_to is None or parsed.date_from <= parsed.date_to
    json.dumps(parsed.to_dict(), ensure_ascii=False)


# --- end to end ----------------------------------------------------------------------------


@pytest.mark.parametrize("seeded", ["embedded"], indirect=True)
@fuzz(25)
@given(question=QUESTION)
def test_ask_answers_with_exact_citations_or_raises_a_question_error(seeded, question):
    try:
        with within_budget():
            answer = seeded.ask(question, phrase=False)
    except QuestionError as error:
        assert_documented(error, question)
        return
    assert isinstance(answer, Answer) and answer.text.strip()
    for citation in answer.citations:
        text = seeded.article(citation.article_id).text
        assert text[citation.start:citation.end] == citation.quote
