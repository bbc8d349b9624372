"""Read article files into ``Article``s: ``.txt``, ``.json``, ``.jsonl``, ``.html``/``.htm`` and ``.zip``.

``iter_articles`` walks files and folders (recursively, in sorted order) and yields one
``Article`` per article, or a ``LoadError`` per bad file, archive member or record: bad
input is reported and skipped, never raised, so one bad file cannot stop an ingest.

- ``.txt``: one article, seed style; the first line that is not boilerplate or a date is the title.
- ``.json``: an object or an array of objects with ``content`` and optional ``title, url,
  source, date``/``date_extracted``, ``author`` (the SaudiNewsNet schema).
- ``.jsonl``: one such object per line; a malformed line is reported with its number.
- ``.html``/``.htm``: the main text, extracted by trafilatura.
- ``.zip``: members of the types above, read one at a time, with zip-bomb guards.

Bytes are decoded as UTF-8 (a few damaged bytes becoming U+FFFD), UTF-8/16/32 with a
byte-order mark, UTF-16 without one, or Windows-1256, and only then by charset-normalizer's
guess; binary input is rejected.
"""
from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import lzma
import os
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

import charset_normalizer

from rag.clean import clean_text
from rag.errors import LoadError
from rag.meta import date_in_line, find_date, find_source, parse_date_field
from rag.arabic import has_arabic
from rag.types import Article

Item = Article | LoadError

# Deflate cannot pack better than about 1032:1 and news text packs 3-10:1, so a member that
# claims more than 200:1 (beyond a small size where it cannot hurt) is treated as a zip bomb.
MAX_ZIP_RATIO = 200
_RATIO_FLOOR = 1 << 20
_TRACKING_PARAMS = ("utm_", "fbclid", "gclid")
# What a damaged, encrypted or unsupported member raises when it is read.
_UNPACK_ERRORS = (
    zipfile.BadZipFile, zlib.error, lzma.LZMAError, RuntimeError, OSError, EOFError, NotImplementedError,
)


def iter_articles(paths: Iterable[str | Path], *, max_bytes: int) -> Iterator[Item]:
    """Every article under ``paths`` (files or folders), or a ``LoadError`` for each bad input.

    Paths are made absolute, so the same file reached by two relative paths is one location."""
    for file in _input_files(paths):
        if isinstance(file, LoadError):
            yield file
        else:
            yield from _file_articles(file, max_bytes)


def count_items(paths: Iterable[str | Path], *, max_bytes: int) -> int:
    """How many items ``iter_articles`` yields for ``paths`` (a progress bar's total), without
    making them: a .txt or .html file or zip member is one item whatever it holds, good or bad,
    so it is not even read; a .json file is parsed only for the length of its array and a .jsonl
    file split into lines. No HTML main text is extracted and no article built, so a whole
    archive is counted in about a second."""
    return sum(1 if isinstance(file, LoadError) else _file_count(file, max_bytes) for file in _input_files(paths))


def content_hash(text: str) -> str:
    """A digest of the article text that ignores Unicode composition and whitespace layout."""
    canonical = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha1(canonical.encode("utf-8")).hexdigest()


def article_id(text: str, url: str | None = None) -> str:
    """A stable id: from the normalised URL when there is one that names a page, else from the content."""
    try:
        page = normalize_url(url) if url else ""
    except ValueError:  # not a URL at all: "http://[abc" (an unclosed IPv6 host)
        page = ""
    if page:  # "#", "/" or a string of control characters name no page: they would all share one id
        return "u-" + hashlib.sha1(page.encode("utf-8")).hexdigest()[:16]
    return "c-" + content_hash(text)[:16]


def normalize_url(url: str) -> str:
    """The URL reduced to what names the page: no scheme, ``www.``, fragment, tracking or trailing slash."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = sorted((k, v) for k, v in pairs if not k.startswith(_TRACKING_PARAMS))
    return host + unquote(parts.path).rstrip("/") + ("?" + urlencode(query) if query else "")


def _input_files(paths: Iterable[str | Path]) -> Iterator[Path | LoadError]:
    """The files named by ``paths``, folders walked, as absolute paths; a ``LoadError`` for a missing one."""
    for path in (Path(p).absolute() for p in paths):
        if path.is_dir():
            yield from _files_under(path)
        elif path.exists():
            yield path
        else:
            yield LoadError(str(path), "no such file or folder")


def _files_under(folder: Path) -> Iterator[Path]:
    """Supported files under ``folder``, sorted, hidden files and folders skipped."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in _FILE_TYPES:
                yield Path(root) / name


def _file_articles(path: Path, max_bytes: int) -> Iterator[Item]:
    where, suffix = str(path), path.suffix.lower()
    if suffix not in _FILE_TYPES:
        yield LoadError(where, f"unsupported file type {suffix or '(none)'}: use " + ", ".join(sorted(_FILE_TYPES)))
        return
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield LoadError(where, f"{size:,} bytes, over the {max_bytes:,}-byte limit (QAWL_MAX_FILE_MB)")
            return
        if suffix == ".zip":
            yield from _zip_articles(path, max_bytes)
            return
        data = path.read_bytes()
    except OSError as error:
        yield LoadError(where, f"cannot read: {error.strerror or error}")
        return
    yield from _parse(data, suffix, where)


def _file_count(path: Path, max_bytes: int) -> int:
    """``len(list(_file_articles(path, max_bytes)))``, reading only what the count needs."""
    suffix = path.suffix.lower()
    try:
        if suffix not in _FILE_TYPES or path.stat().st_size > max_bytes:
            return 1
        if suffix == ".zip":
            return _zip_count(path, max_bytes)
        return _count(path.read_bytes, suffix)
    except OSError:
        return 1


def _parse(data: bytes, suffix: str, where: str) -> Iterator[Item]:
    """The articles in one file's bytes, by file type."""
    text = _text(data, where)
    if isinstance(text, LoadError):
        yield text
    else:
        yield from _PARSERS[suffix](text, where)


def _count(read: Callable[[], bytes], suffix: str) -> int:
    """How many items ``_parse`` makes of the bytes ``read()`` returns; read only for JSON (Lines)."""
    if suffix not in _COUNTERS:
        return 1
    text = _text(read(), "")
    return 1 if isinstance(text, LoadError) else _COUNTERS[suffix](text)


def _text(data: bytes, where: str) -> str | LoadError:
    """One file's bytes as text, or why they are not an article file."""
    if not data.strip():
        return LoadError(where, "empty file")
    try:
        return decode(data)
    except ValueError as error:
        return LoadError(where, str(error))


def _zip_articles(path: Path, max_bytes: int) -> Iterator[Item]:
    """The articles of each supported member, one member in memory at a time."""
    try:
        archive = zipfile.ZipFile(path)
    except (ValueError, *_UNPACK_ERRORS) as error:  # a damaged directory: bad names, unknown versions…
        yield LoadError(str(path), f"not a readable zip archive: {error}")
        return
    with archive:
        for info, suffix in _members(archive):
            where = f"{path}!{info.filename}"
            if suffix == ".zip":
                yield LoadError(where, "nested archive: unpack it and ingest the inner archive")
                continue
            try:
                data = _read_member(archive, info, max_bytes)
            except (ValueError, *_UNPACK_ERRORS) as error:
                yield LoadError(where, f"cannot unpack: {error}")
                continue
            yield from _parse(data, suffix, where)


def _zip_count(path: Path, max_bytes: int) -> int:
    """How many items ``_zip_articles`` yields: JSON (Lines) members are unpacked, no other."""
    try:
        archive = zipfile.ZipFile(path)
    except (ValueError, *_UNPACK_ERRORS):
        return 1
    total = 0
    with archive:
        for info, suffix in _members(archive):
            try:
                total += _count(lambda: _read_member(archive, info, max_bytes), suffix)
            except (ValueError, *_UNPACK_ERRORS):  # reported as one item
                total += 1
    return total


def _members(archive: zipfile.ZipFile) -> Iterator[tuple[zipfile.ZipInfo, str]]:
    """The members of an archive that give items, with their file type: article files, and
    nested archives (reported); folders, hidden files, macOS metadata and other types are skipped."""
    for info in archive.infolist():
        name = Path(info.filename)
        if info.is_dir() or info.filename.startswith("__MACOSX/") or name.name.startswith("."):
            continue
        if name.suffix.lower() in _FILE_TYPES:
            yield info, name.suffix.lower()


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_bytes: int) -> bytes:
    """A member's bytes; ``ValueError`` for a zip bomb (too large, or too compressed, to be news text).

    zipfile never unpacks more than the declared size and then checks the CRC, so a member
    that lies about its size fails with ``BadZipFile`` instead of filling memory.
    """
    if info.file_size > max_bytes:
        raise ValueError(f"unpacks to {info.file_size:,} bytes, over the {max_bytes:,}-byte limit")
    ratio = info.file_size // max(info.compress_size, 1)
    if info.file_size > _RATIO_FLOOR and ratio > MAX_ZIP_RATIO:
        raise ValueError(f"compression ratio {ratio:,}:1 looks like a zip bomb")
    return archive.read(info)


# ---------------------------------------------------------------------------------- decoding

_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_LETTER = re.compile(r"[^\W\d_]")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
_SAMPLE = 65536
# UTF-8 with this many well-formed multi-byte characters per bad sequence is damaged UTF-8, not
# another encoding: Windows-1256 Arabic is almost all bad bytes, since its letters are lead bytes.
_DAMAGED_UTF8_RATIO = 4


def decode(data: bytes) -> str:
    """``data`` as text; ``ValueError`` with the reason when it is binary or undecodable.

    Strict UTF-8 first (cheap, and most files are); Arabic UTF-16 without a byte-order mark
    is valid ASCII full of NULs and \\x06, so every result must also be free of control
    characters. UTF-16 and Windows-1256 are taken only when the result reads as Arabic,
    which also keeps ISO-8859-6 bytes (Latin letters under cp1256) for charset-normalizer.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise ValueError(f"not valid {codec.upper()} text despite its byte-order mark") from None
    text = _try_decode(data, "utf-8")
    if text is None:
        text = _damaged_utf8(data)
    if text is not None and _is_text(text):
        return text
    for codec in ("utf-16-le", "utf-16-be", "cp1256"):
        text = _try_decode(data, codec)
        if text is not None and _is_text(text) and _reads_as_arabic(text):
            return text
    guess = charset_normalizer.from_bytes(data[: 16 * _SAMPLE]).best()
    if guess is not None:
        text = _try_decode(data, guess.encoding)
        if text is not None and _is_text(text):
            return text
    kind = "binary data" if b"\x00" in data or _CONTROL.search(data[:_SAMPLE].decode("latin-1")) else "undecodable text"
    raise ValueError(f"{kind}: not UTF-8, UTF-16 or Windows-1256 text")


def _try_decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _damaged_utf8(data: bytes) -> str | None:
    """UTF-8 with a few bad bytes (a truncated download, a corrupted byte), each bad sequence
    as U+FFFD, so one broken character does not turn a whole Arabic article into Windows-1256
    mojibake («ط¨ظƒظٹظ†»); None when the bytes are not mostly well-formed UTF-8."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - bad  # well-formed non-ASCII characters
    return text if multibyte >= _DAMAGED_UTF8_RATIO * bad else None


def _is_text(text: str) -> bool:
    """No NUL, and control characters (bar tab and line breaks) under 1% of the start."""
    sample = text[:_SAMPLE]
    return "\x00" not in text and len(_CONTROL.findall(sample)) * 100 <= len(sample)


def _reads_as_arabic(text: str) -> bool:
    sample = text[:_SAMPLE]
    letters = len(_LETTER.findall(sample))
    return letters > 0 and len(_ARABIC_LETTER.findall(sample)) * 2 >= letters


# ----------------------------------------------------------------------------- file formats


def _txt_articles(text: str, where: str) -> Iterator[Item]:
    yield _article(text, where)


def _loads(text: str) -> object:
    """``json.loads``, with nesting deeper than the parser can follow also a ``JSONDecodeError``."""
    try:
        return json.loads(text)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", text, 0) from None


def _json_articles(text: str, where: str) -> Iterator[Item]:
    try:
        value = _loads(text)
    except json.JSONDecodeError as error:
        yield LoadError(where, f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}")
        return
    if isinstance(value, list):
        for index, record in enumerate(value):
            yield _record_article(record, f"{where}#{index}")
    else:
        yield _record_article(value, where)


def _json_count(text: str) -> int:
    try:
        value = _loads(text)
    except json.JSONDecodeError:
        return 1
    return len(value) if isinstance(value, list) else 1


def _jsonl_lines(text: str) -> Iterator[tuple[int, str]]:
    """The non-blank lines of a JSON Lines text, numbered from 1."""
    # Split on "\n" only: JSON strings may hold U+2028 and other characters splitlines() breaks on.
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield number, line


def _jsonl_articles(text: str, where: str) -> Iterator[Item]:
    for number, line in _jsonl_lines(text):
        try:
            record = _loads(line)
        except json.JSONDecodeError as error:
            yield LoadError(f"{where}#L{number}", f"line {number}: invalid JSON at column {error.colno}: {error.msg}")
            continue
        yield _record_article(record, f"{where}#L{number}")


def _html_articles(text: str, where: str) -> Iterator[Item]:
    try:  # imported here: heavy, and only HTML needs it
        import trafilatura
    except ImportError as error:
        yield LoadError(where, f"cannot read HTML: trafilatura does not import ({error})")
        return
    page = trafilatura.bare_extraction(
        text, with_metadata=True, include_comments=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if page is None or not (page.text or "").strip():
        yield LoadError(where, "no article text found in the HTML page")
        return
    yield _article(
        page.text, where, title=_field(page.title), url=_field(page.url), source=_field(page.sitename),
        date=parse_date_field(page.date), author=_field(page.author),
    )


_PARSERS: dict[str, Callable[[str, str], Iterator[Item]]] = {
    ".txt": _txt_articles,
    ".json": _json_articles,
    ".jsonl": _jsonl_articles,
    ".html": _html_articles,
    ".htm": _html_articles,
}
_FILE_TYPES = {*_PARSERS, ".zip"}
# Types that are not one item per file, and how many items their text holds (``count_items``).
_COUNTERS: dict[str, Callable[[str], int]] = {
    ".json": _json_count,
    ".jsonl": lambda text: sum(1 for _ in _jsonl_lines(text)),
}


# --------------------------------------------------------------------------------- articles


def _record_article(record: object, where: str) -> Item:
    """An article from one JSON object of the SaudiNewsNet schema."""
    if not isinstance(record, dict):
        return LoadError(where, f"expected an object with 'content', found {type(record).__name__}")
    content = record.get("content")
    if not isinstance(content, str):
        return LoadError(where, "no 'content' text")
    content = _without_lone_surrogates(content)
    date = parse_date_field(record.get("date")) or parse_date_field(record.get("date_extracted"))
    return _article(
        content, where, title=_field(record.get("title")), url=_field(record.get("url")),
        source=_field(record.get("source")), date=date, author=_field(record.get("author")),
    )


def _article(
    text: str, where: str, *, title: str | None = None, url: str | None = None,
    source: str | None = None, date: dt.date | None = None, author: str | None = None,
) -> Item:
    """An ``Article``, with what the fields lack taken from the text; ``LoadError`` if it has no Arabic text."""
    if not text.strip():
        return LoadError(where, "empty article: no text", empty=True)
    if not has_arabic(text):
        return LoadError(where, "no Arabic text")
    return Article(
        id=article_id(text, url),
        text=text,
        title=title or _title_from_text(text),
        source=source or find_source(text),
        date=date or find_date(text),
        url=url,
        path=where,
        author=author,
    )


def _title_from_text(text: str) -> str | None:
    """The first line of the cleaned text that is not a date line (seed style: the headline)."""
    for line in clean_text(text).text.split("\n"):
        if line.strip() and date_in_line(line) is None:
            return line.strip()
    return None


def _field(value: object) -> str | None:
    """A JSON or metadata field as stripped text, or None when it is missing or empty."""
    return (_without_lone_surrogates(value).strip() or None) if isinstance(value, str) else None


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(text: str) -> str:
    """JSON escapes can spell half an emoji ("\\ud83d"), which no UTF-8 file or index can hold:
    each becomes U+FFFD, one character for one, so offsets into the text stay true."""
    return _LONE_SURROGATE.sub("\ufffd", text)
