"""Loading articles: every format and encoding, every kind of bad input reported and skipped."""
from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest

from rag.config import SEEDS_DIR
from rag.errors import LoadError
from rag.load import article_id, content_hash, count_items, iter_articles, normalize_url
from rag.types import Article

ROOT = Path(__file__).resolve().parent.parent
SEEDS = SEEDS_DIR
SAUDI_NEWS = ROOT.parent / "shared" / "corpora" / "saudinewsnet" / "2015-07-25.zip"
MB = 1 << 20
TEXT = "بكين وموسكو.. ترتيبات وحوار مرتقب\nقال وزير الخارجية الروسي سيرغي لافروف إن موسكو وبكين اتفقتا على بدء حوار بشأن الأمن.\n"
RECORD = {
    "source": "alriyadh",
    "url": "http://www.alriyadh.com/1068213",
    "date_extracted": "2015-07-25 01:27:33",
    "title": "لافروف: حوار بشأن أمن أوراسيا",
    "author": "واس - الرياض",
    "content": "قال وزير الخارجية الروسي سيرغي لافروف إن موسكو وبكين اتفقتا على بدء حوار.",
}


def load(*paths, max_bytes=10 * MB) -> list[Article | LoadError]:
    return list(iter_articles(paths, max_bytes=max_bytes))


def only_error(items) -> LoadError:
    assert len(items) == 1 and isinstance(items[0], LoadError), items
    return items[0]


# The five seeds, read by hand: the headline, and the date and outlet where the page states them.
SEED_FACTS = [
    ("000_8d73a7c772314bd9.txt", "موسكو وبكين تحضّران للقمة المقبلة: أمن آسيا الطاقوي على الطاولة", None, "مجلة وفاء"),
    ("001_8bb1481c41d16441.txt", "بكين وموسكو.. ترتيبات وحوار مرتقب بشأن أمن منطقة أوراسيا", None, None),
    ("002_4c19ce5fe45cd86e.txt", "قمة روسية صينية: تأكيد على الرغبة في جعل الحدود المشتركة حزاماً للسلام", None, None),
    (
        "003_7885229fa645d1c2.txt",
        "تأكيد على أهمية التعاون الاستراتيجي.. لقاء افتراضي يجمع بوتين ونظيره الصيني",
        dt.date(2024, 3, 26),
        "العربي",
    ),
    ("004_063b3801143a1700.txt", "الخارجية الروسية: التعاون بين موسكو وبكين هدفه إيجاد عالم متعدد الأقطاب", None, None),
]


@pytest.mark.parametrize("name, title, date, source", SEED_FACTS)
def test_each_seed_loads_with_its_title_date_and_outlet(name, title, date, source):
    [art] = load(SEEDS / name)
    assert isinstance(art, Article)
    assert art.text == (SEEDS / name).read_text(encoding="utf-8")
    assert (art.title, art.date, art.source) == (title, date, source)
    assert art.path == str(SEEDS / name) and art.url is None
    assert art.id.startswith("c-")


def test_a_folder_loads_recursively_in_sorted_order_and_skips_other_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text(TEXT + "٢", encoding="utf-8")
    (tmp_path / "1.txt").write_text(TEXT + "١", encoding="utf-8")
    (tmp_path / "notes.md").write_text(TEXT, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    assert [a.path for a in load(tmp_path)] == [str(tmp_path / "1.txt"), str(tmp_path / "b" / "2.txt")]


def test_seed_ids_are_stable_and_distinct():
    first, second = load(SEEDS), load(SEEDS)
    assert [a.id for a in first] == [a.id for a in second]
    assert len({a.id for a in first}) == 5


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: t.encode("utf-8-sig"),
        lambda t: t.encode("utf-16"),  # with its byte-order mark
        lambda t: t.encode("utf-16-le"),  # without one
        lambda t: t.encode("utf-16-be"),
        lambda t: t.encode("utf-32"),
        lambda t: t.encode("cp1256"),
        lambda t: t.replace("\n", "\r\n").encode("cp1256"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le", "utf16be", "utf32", "cp1256", "cp1256-crlf"],
)
def test_encodings_decode_to_the_same_text(tmp_path, encode):
    file = tmp_path / "a.txt"
    file.write_bytes(encode(TEXT))
    [art] = load(file)
    assert art.text.replace("\r\n", "\n") == TEXT
    assert art.title == "بكين وموسكو.. ترتيبات وحوار مرتقب"


def test_a_short_cp1256_headline_decodes(tmp_path):
    file = tmp_path / "short.txt"
    file.write_bytes("مرحبا".encode("cp1256"))  # charset-normalizer alone guesses cp932 here
    assert load(file)[0].text == "مرحبا"


SENTENCE = "قال وزير الخارجية الروسي سيرغي لافروف إن موسكو وبكين اتفقتا على بدء حوار"


@pytest.mark.parametrize(
    "damaged, text",
    [
        (SENTENCE.encode()[:-1], SENTENCE[:-1] + "\ufffd"),  # a download cut inside the last character
        (SENTENCE.encode().replace("قال".encode(), "قال".encode() + b"\x81", 1), "قال\ufffd" + SENTENCE[3:]),
    ],
    ids=["truncated", "stray-byte"],
)
def test_utf8_with_a_damaged_byte_loses_a_character_not_the_text(tmp_path, damaged, text):
    """Regression (fuzzing): such a file was read as Windows-1256 mojibake, «ظ‚ط§ظ„ ظˆط²ظٹط±…»."""
    file = tmp_path / "damaged.txt"
    file.write_bytes(damaged)
    assert load(file)[0].text == text


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty file"),
        (b"  \n\r\n\t ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary"),
        (bytes(1000), "binary"),
        (b"\xff\xfe\x00\xd8", "UTF-16"),  # byte-order mark, then a lone surrogate
        ("Moscow and Beijing agreed to start a dialogue on Eurasian security.".encode(), "no Arabic text"),
    ],
    ids=["empty", "blank", "png", "nul", "bad-utf16", "english"],
)
def test_bad_text_files_are_reported(tmp_path, content, reason):
    file = tmp_path / "bad.txt"
    file.write_bytes(content)
    error = only_error(load(file))
    assert error.path == str(file) and reason in error.reason


def test_bad_files_do_not_stop_the_good_ones(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "c.json").write_text("{", encoding="utf-8")
    items = load(tmp_path, tmp_path / "missing.txt")
    assert [type(i).__name__ for i in items] == ["LoadError", "Article", "LoadError", "LoadError"]
    assert "no such file" in items[-1].reason


def test_a_file_over_the_limit_is_refused_unread(tmp_path, monkeypatch):
    file = tmp_path / "big.txt"
    file.write_text(TEXT * 100, encoding="utf-8")
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("an oversized file was read"))
    error = only_error(load(file, max_bytes=1000))
    assert "over the 1,000-byte limit" in error.reason


def test_an_unsupported_file_named_directly_is_reported(tmp_path):
    file = tmp_path / "article.docx"
    file.write_bytes(b"PK")
    assert "unsupported file type .docx" in only_error(load(file)).reason


def test_json_array_records_carry_their_metadata(tmp_path):
    no_url = {"content": TEXT, "date": "2022/2/3"}
    file = tmp_path / "day.json"
    file.write_text(json.dumps([RECORD, no_url], ensure_ascii=False), encoding="utf-8")
    first, second = load(file)
    assert (first.title, first.source, first.author, first.url) == (
        RECORD["title"], "alriyadh", "واس - الرياض", RECORD["url"],
    )
    assert first.date == dt.date(2015, 7, 25) and first.text == RECORD["content"]
    assert first.path == f"{file}#0" and first.id.startswith("u-")
    assert second.title == "بكين وموسكو.. ترتيبات وحوار مرتقب"  # no title field: the first line
    assert second.date == dt.date(2022, 2, 3) and second.id.startswith("c-") and second.source is None


def test_a_json_object_is_one_article(tmp_path):
    file = tmp_path / "one.json"
    file.write_text(json.dumps(RECORD, ensure_ascii=False), encoding="utf-8")
    [art] = load(file)
    assert art.path == str(file) and art.id == article_id(RECORD["content"], RECORD["url"])


@pytest.mark.parametrize(
    "records, reason",
    [
        ([{"title": "بلا محتوى"}], "no 'content' text"),
        ([{"content": 42}], "no 'content' text"),
        (["نص"], "expected an object"),
        ([{"content": "   "}], "empty article"),
        ([{"content": "Lavrov met Wang Yi in Beijing."}], "no Arabic text"),
    ],
)
def test_bad_json_records_are_reported(tmp_path, records, reason):
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    error = only_error(load(file))
    assert error.path == f"{file}#0" and reason in error.reason


def test_lone_surrogate_escapes_become_replacement_characters(tmp_path):
    """Regression (fuzzing): half an emoji escape in a record raised UnicodeEncodeError out of the loader."""
    file = tmp_path / "half-emoji.json"
    file.write_text('{"content": "قال الوزير \\ud83d إن", "title": "\\udc00عنوان"}', encoding="utf-8")
    [art] = load(file)
    assert (art.text, art.title) == ("قال الوزير \ufffd إن", "\ufffdعنوان")


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_json_nested_too_deeply_is_reported(tmp_path, suffix):
    """Regression (fuzzing): 100,000 "[" raised RecursionError out of the loader."""
    file = tmp_path / f"deep{suffix}"
    file.write_text("[" * 100_000, encoding="utf-8")
    assert "nested too deeply" in only_error(load(file)).reason


def test_malformed_json_names_the_line(tmp_path):
    file = tmp_path / "broken.json"
    file.write_text('[\n  {"content": "نص"},\n  {"content": "نص" "title": 1}\n]', encoding="utf-8")
    assert "line 3" in only_error(load(file)).reason


def test_jsonl_malformed_line_is_reported_and_the_others_load(tmp_path):
    good = json.dumps(RECORD, ensure_ascii=False)
    other = json.dumps({**RECORD, "url": "http://www.alriyadh.com/1068214"}, ensure_ascii=False)
    file = tmp_path / "day.jsonl"
    file.write_text(f"{good}\n{{\"content\": \"نص\"\n\n{other}\n[1, 2]\n", encoding="utf-8")
    first, broken, second, not_object = load(file)
    assert isinstance(first, Article) and first.path == f"{file}#L1"
    assert isinstance(broken, LoadError) and broken.reason.startswith("line 2:") and broken.path == f"{file}#L2"
    assert isinstance(second, Article) and second.path == f"{file}#L4"
    assert isinstance(not_object, LoadError) and not_object.path == f"{file}#L5"


def test_jsonl_keeps_line_separators_inside_strings(tmp_path):
    content = "قال الوزير\u2028إن المحادثات مثمرة."
    file = tmp_path / "sep.jsonl"
    file.write_text(json.dumps({"content": content}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert load(file)[0].text == content


def make_zip(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_zip_members_of_every_type_load_with_locatable_paths(tmp_path):
    inner = make_zip(tmp_path / "inner.zip", {"x.txt": TEXT.encode()}).read_bytes()
    archive = make_zip(tmp_path / "bundle.zip", {
        "a.txt": TEXT.encode("cp1256"),
        "dir/b.json": json.dumps([RECORD], ensure_ascii=False).encode(),
        "c.jsonl": (json.dumps(RECORD, ensure_ascii=False) + "\n").encode("utf-8-sig"),
        "readme.md": b"# notes",
        "__MACOSX/._a.txt": b"\x00\x05",
        "nested.zip": inner,
    })
    items = load(archive)
    assert [i.path for i in items] == [
        f"{archive}!a.txt", f"{archive}!dir/b.json#0", f"{archive}!c.jsonl#L1", f"{archive}!nested.zip",
    ]
    assert items[0].text == TEXT and items[1].title == RECORD["title"]
    assert isinstance(items[3], LoadError) and "nested archive" in items[3].reason


def test_a_zip_bomb_member_is_refused_and_the_rest_load(tmp_path):
    archive = make_zip(tmp_path / "bomb.zip", {"bomb.txt": b"\x00" * (4 * MB), "ok.txt": TEXT.encode()})
    bomb, ok = load(archive, max_bytes=10 * MB)
    assert isinstance(bomb, LoadError) and "zip bomb" in bomb.reason
    assert isinstance(ok, Article)


def test_a_zip_member_over_the_limit_is_refused(tmp_path):
    archive = make_zip(tmp_path / "big.zip", {"big.txt": (TEXT * 300).encode(), "ok.txt": TEXT.encode()})
    big, ok = load(archive, max_bytes=50_000)
    assert isinstance(big, LoadError) and "over the 50,000-byte limit" in big.reason
    assert isinstance(ok, Article)


def test_a_zip_member_that_lies_about_its_size_is_caught(tmp_path):
    archive = make_zip(tmp_path / "liar.zip", {"a.txt": (TEXT * 50).encode()})
    data = bytearray(archive.read_bytes())
    true_size = len((TEXT * 50).encode()).to_bytes(4, "little")
    small = (100).to_bytes(4, "little")
    data[:] = data.replace(true_size, small)  # local header and central directory both claim 100 bytes
    archive.write_bytes(bytes(data))
    assert "cannot unpack" in only_error(load(archive)).reason


@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_LZMA], ids=["deflate", "lzma"])
def test_corrupt_compressed_data_is_reported(tmp_path, compression):
    """LZMA: regression (fuzzing), its LZMAError escaped the loader."""
    archive = make_zip(tmp_path / "damaged.zip", {"a.txt": (TEXT * 50).encode()}, compression)
    data = bytearray(archive.read_bytes())
    for i in range(40, 80):  # inside the deflate stream, after the local header and name
        data[i] ^= 0x55
    archive.write_bytes(bytes(data))
    assert "cannot unpack" in only_error(load(archive)).reason


def test_a_corrupt_zip_is_reported(tmp_path):
    file = tmp_path / "corrupt.zip"
    file.write_bytes(b"PK\x03\x04 not really a zip")
    assert "not a readable zip archive" in only_error(load(file)).reason


def _unknown_version(data: bytearray) -> bytearray:
    entry = data.index(b"PK\x01\x02")
    data[entry + 6] = 99  # "version needed to extract": 9.9, which zipfile does not implement
    return data


def _name_not_utf8(data: bytearray) -> bytearray:
    return data.replace("é".encode(), b"\xff\xa9")  # flagged as UTF-8, and no longer UTF-8


@pytest.mark.parametrize("damage", [_unknown_version, _name_not_utf8])
def test_a_zip_with_a_damaged_directory_is_reported(tmp_path, damage):
    """Regression (fuzzing): NotImplementedError and UnicodeDecodeError escaped the loader."""
    archive = make_zip(tmp_path / "directory.zip", {"é.txt": TEXT.encode()})
    archive.write_bytes(bytes(damage(bytearray(archive.read_bytes()))))
    assert "not a readable zip archive" in only_error(load(archive)).reason


def trafilatura_error() -> str | None:
    try:
        import trafilatura  # noqa: F401
    except ImportError as error:
        return str(error)
    return None


HTML = """<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>لافروف: موسكو وبكين تبدآن حوارا بشأن أمن أوراسيا</title>
<meta property="og:site_name" content="العين الإخبارية">
<meta property="article:published_time" content="2024-04-09T10:00:00+00:00">
<link rel="canonical" href="https://al-ain.com/article/lavrov-eurasia"></head><body>
<nav><a href="/">الرئيسية</a> / <a href="/news">آخر الأخبار</a></nav><article>
<h1>لافروف: موسكو وبكين تبدآن حوارا بشأن أمن أوراسيا</h1>
<p>قال وزير الخارجية الروسي سيرغي لافروف، اليوم الثلاثاء، إن موسكو وبكين اتفقتا على بدء حوار بشأن الأمن في منطقة أوراسيا.</p>
<p>وتابع "اتفقنا أنا وأصدقائي الصينيون على بدء حوار بمشاركة أولئك الذين لهم تفكير مماثل حيال هذه المسألة".</p>
</article><footer>جميع الحقوق محفوظة</footer></body></html>"""


@pytest.mark.skipif(trafilatura_error() is not None, reason=f"trafilatura does not import: {trafilatura_error()}")
@pytest.mark.parametrize("suffix, encoding", [(".html", "utf-8"), (".htm", "cp1256")])
def test_html_main_text_and_metadata(tmp_path, suffix, encoding):
    file = tmp_path / f"page{suffix}"
    file.write_bytes(HTML.replace('charset="utf-8"', f'charset="{encoding}"').encode(encoding))
    [art] = load(file)
    assert "اتفقنا أنا وأصدقائي الصينيون" in art.text
    assert "جميع الحقوق محفوظة" not in art.text and "آخر الأخبار" not in art.text
    assert art.title == "لافروف: موسكو وبكين تبدآن حوارا بشأن أمن أوراسيا"
    assert (art.source, art.date, art.url) == ("العين الإخبارية", dt.date(2024, 4, 9), "https://al-ain.com/article/lavrov-eurasia")


@pytest.mark.skipif(trafilatura_error() is not None, reason=f"trafilatura does not import: {trafilatura_error()}")
def test_html_without_article_text_is_reported(tmp_path):
    file = tmp_path / "empty.html"
    file.write_text('<html><body><img src="a.jpg"><script>var x = 1;</script></body></html>', encoding="utf-8")
    assert isinstance(only_error(load(file)), LoadError)


@pytest.mark.slow
@pytest.mark.skipif(not SAUDI_NEWS.exists(), reason="../shared/corpora/saudinewsnet is absent")
def test_saudinewsnet_zip_loads_as_it_is():
    with zipfile.ZipFile(SAUDI_NEWS) as archive:
        records = json.load(io.TextIOWrapper(archive.open("2015-07-25.json"), encoding="utf-8"))
    items = load(SAUDI_NEWS, max_bytes=200 * MB)
    assert count_items([SAUDI_NEWS], max_bytes=200 * MB) == len(items)
    articles = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, LoadError)]
    assert len(items) == len(records)
    assert len(errors) == sum(not r["content"].strip() for r in records)
    assert all(e.reason == "empty article: no text" for e in errors)
    assert len({a.id for a in articles}) == len(articles)
    for art, record in zip(articles, (r for r in records if r["content"].strip())):
        assert (art.text, art.source, art.url) == (record["content"], record["source"], record["url"])
        assert art.title == (record["title"].strip() or _first_line(record["content"]))
        assert art.date == dt.date(2015, 7, 25) and art.path.startswith(f"{SAUDI_NEWS}!2015-07-25.json#")


def _first_line(text: str) -> str:
    return next(line.strip() for line in text.splitlines() if line.strip())


def test_count_items_counts_what_ingest_will_see_without_making_articles(tmp_path, monkeypatch):
    array = json.dumps([RECORD, {**RECORD, "url": "http://www.alriyadh.com/2"}, "not an object"], ensure_ascii=False)
    lines = "\n".join([json.dumps(RECORD, ensure_ascii=False), "", "{not json", "  ", '{"content": ""}'])
    news = tmp_path / "news"
    news.mkdir()
    files = {
        "article.txt": TEXT.encode(),
        "empty.txt": b"",
        "binary.txt": b"\x00\x01\x02" * 100,
        "page.html": HTML.encode(),
        "no-text.html": b"<html><body><img src=a.jpg></body></html>",
        "array.json": array.encode(),
        "object.json": json.dumps(RECORD, ensure_ascii=False).encode(),
        "broken.json": b'[{"content": ',
        "lines.jsonl": lines.encode(),
        "notes.md": b"# not an article file",
    }
    for name, data in files.items():
        (news / name).write_bytes(data)
    make_zip(news / "bundle.zip", {
        "a.txt": TEXT.encode(), "b.html": HTML.encode("cp1256", errors="replace"), "c.json": array.encode(),
        "d.jsonl": lines.encode("utf-16"), "nested.zip": b"PK", "readme.md": b"# notes", ".hidden.txt": b"x",
        "__MACOSX/._a.txt": b"\x00\x05",
    })
    make_zip(news / "bomb.zip", {"bomb.json": b" " * (4 * MB), "ok.json": array.encode()})
    (news / "damaged.zip").write_bytes(b"PK\x03\x04 not really a zip")
    # one item per file, whatever it holds; a JSON array's elements; a JSON Lines file's non-blank lines
    expected = {
        "article.txt": 1, "empty.txt": 1, "binary.txt": 1, "page.html": 1, "no-text.html": 1, "array.json": 3,
        "object.json": 1, "broken.json": 1, "lines.jsonl": 3, "notes.md": 1, "bundle.zip": 1 + 1 + 3 + 3 + 1,
        "bomb.zip": 1 + 3, "damaged.zip": 1, "missing.txt": 1,
    }

    def unused(*args, **kwargs):
        raise AssertionError("counting made an article or extracted an HTML page's text")

    with monkeypatch.context() as patch:
        patch.setattr("rag.load._article", unused)
        patch.setattr("trafilatura.bare_extraction", unused)
        counts = {name: count_items([news / name], max_bytes=10 * MB) for name in expected}
        in_folder = count_items([news], max_bytes=10 * MB)
        over_the_limit = count_items([news / "array.json"], max_bytes=100)
    assert counts == expected
    assert counts == {name: len(load(news / name)) for name in expected}
    assert in_folder == len(load(news)) == sum(expected.values()) - expected["notes.md"] - expected["missing.txt"]
    assert over_the_limit == 1 == len(load(news / "array.json", max_bytes=100))


@pytest.mark.parametrize(
    "a, b",
    [
        ("http://www.alriyadh.com/1068213", "https://alriyadh.com/1068213/"),
        ("http://www.alriyadh.com/1068213?utm_source=x#comments", "http://www.alriyadh.com/1068213"),
        ("http://www.3alyoum.com/news/a/شاهد-منع/", "http://www.3alyoum.com/news/a/%D8%B4%D8%A7%D9%87%D8%AF-%D9%85%D9%86%D8%B9"),
        ("http://Example.COM/a?b=2&a=1", "http://example.com/a?a=1&b=2"),
    ],
)
def test_the_same_page_under_url_variants_has_one_id(a, b):
    assert normalize_url(a) == normalize_url(b)
    assert article_id("نص", a) == article_id("نص آخر", b)


@pytest.mark.parametrize("url", ["http://[abc", "#", "/", "\x00", "http://"])
def test_a_url_that_names_no_page_gives_a_content_id(url):
    """Regression (fuzzing): "http://[abc" raised ValueError out of the loader, and URLs that
    normalise to nothing gave every article carrying one the same id."""
    assert article_id("نص", url) == article_id("نص") != article_id("نص آخر", url)


def test_a_record_with_a_malformed_url_loads_with_its_url(tmp_path):
    file = tmp_path / "one.json"
    file.write_text(json.dumps({**RECORD, "url": "http://[abc"}, ensure_ascii=False), encoding="utf-8")
    [art] = load(file)
    assert art.url == "http://[abc" and art.id == article_id(RECORD["content"])


def test_different_pages_have_different_ids():
    assert article_id("نص", "http://www.alriyadh.com/1068213") != article_id("نص", "http://www.alriyadh.com/1068214")


def test_content_hash_ignores_layout_but_not_words():
    composed, decomposed = "قال الوزير: «نعم» é", "قال الوزير: «نعم» e\u0301"
    assert content_hash(composed) == content_hash(decomposed)
    assert content_hash("قال  الوزير\r\nنعم ") == content_hash("قال الوزير نعم")
    assert content_hash("قال الوزير نعم") != content_hash("قال الوزير لا")
