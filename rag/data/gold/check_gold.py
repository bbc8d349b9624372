"""Check Qawl's hand-written gold data against the article texts it quotes.

Standalone on purpose (standard library only, no Qawl import): the gold must be
verifiable without the system it evaluates. Checks:

* ``saudinewsnet_dev.json``: schema, article identity (url/title/date read back
  from the SaudiNewsNet zip), and that every statement excerpt is an exact,
  unambiguous substring of the article's ``content`` (titles for title_statements).
* ``../qa_dev.json``: schema, and that every expected fragment is an exact
  substring of its corpus *inside a statement attributed to an expected speaker*
  (SaudiNewsNet: this dev set; seeds: ``../shared/gold/seeds_attributions.json``).

* every other ``saudinewsnet_*.json`` (attribution, with ``split``) and ``../qa_*.json``
  (questions; ``corpus: saudinewsnet_full`` questions are checked against their ``sources``).

Run: ``python rag/data/gold/check_gold.py`` (exit code 1 on any error), or
``--file PATH`` to check one attribution or question file.
"""

from __future__ import annotations

import json
import os
import sys
import zipfile
from collections import Counter
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
SHARED = Path(os.environ.get("QAWL_SHARED", REPO.parent / "shared"))
CORPUS_DIR = SHARED / "corpora" / "saudinewsnet"
DEV_PATH = HERE / "saudinewsnet_dev.json"
QA_PATH = HERE.parent / "qa_dev.json"
SEEDS_DIR = HERE.parent / "seeds"
SEEDS_GOLD = SHARED / "gold" / "seeds_attributions.json"

# Only these days may be annotated; the others are reserved for independent evaluation.
ALLOWED_ZIPS = {"2015-07-25.zip", "2015-07-26.zip", "2015-08-02.zip"}
TYPES = {"direct", "indirect", "mixed"}
STATEMENT_REQUIRED = {"speakers", "speaker", "speaker_ar", "quote", "type", "cue"}
STATEMENT_OPTIONAL = {"via", "note", "optional", "nested_in", "occurrence", "tags"}
TAGS = {"directive", "direct_unknown", "relay", "participle_nonreporting", "continuation", "nested", "background",
        "described", "title_only", "group", "institution"}
SPLITS = {"test", "dev"}
ABSTAIN_TAGS = {"present_not_quoted", "topic_not_addressed", "wrong_office_holder", "not_in_archive"}
ROLE_KEYS = {"speaker", "addressee", "topic", "setting", "reporter", "outlet", "date"}
ARTICLE_KEYS = {"zip", "index", "source", "url", "title", "date", "has_speech", "statements",
                "title_statements", "note"}
INTENTS = {"what_said", "what_said_about", "who_said", "did_mention", "compare", "who_spoke_about",
           "what_said_time", "what_said_outlet"}
MAX_QUOTE_WORDS = 12
MAX_FRAGMENT_WORDS = 10


class Report:
    """Collects errors and warnings with their location."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, where: str, msg: str) -> None:
        self.errors.append(f"ERROR {where}: {msg}")

    def warn(self, where: str, msg: str) -> None:
        self.warnings.append(f"warning {where}: {msg}")


@lru_cache(maxsize=None)
def load_zip(name: str) -> list[dict]:
    """The JSON array inside one SaudiNewsNet day zip."""
    with zipfile.ZipFile(CORPUS_DIR / name) as zf:
        (member,) = zf.namelist()
        return json.loads(zf.read(member))


def has_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def nth_index(text: str, sub: str, n: int) -> int:
    """Offset of the n-th (1-based) occurrence of sub in text, or -1."""
    pos = -1
    for _ in range(n):
        pos = text.find(sub, pos + 1)
        if pos < 0:
            return -1
    return pos


def check_statement(st: dict, text: str, where: str, rep: Report) -> int:
    """Validate one statement against text; return its excerpt's offset (-1 if absent)."""
    missing = STATEMENT_REQUIRED - st.keys()
    unknown = st.keys() - STATEMENT_REQUIRED - STATEMENT_OPTIONAL
    if missing:
        rep.error(where, f"missing keys {sorted(missing)}")
        return -1
    if unknown:
        rep.error(where, f"unknown keys {sorted(unknown)}")
    speakers = st["speakers"]
    if not (isinstance(speakers, list) and speakers and all(isinstance(s, str) and s for s in speakers)):
        rep.error(where, "speakers must be a non-empty list of names")
    elif st["speaker"] != " + ".join(speakers):
        rep.error(where, f"speaker {st['speaker']!r} != ' + '.join(speakers)")
    if not has_arabic(st["speaker_ar"]):
        rep.error(where, "speaker_ar has no Arabic")
    if st["type"] not in TYPES:
        rep.error(where, f"type {st['type']!r} not in {sorted(TYPES)}")
    if not st["cue"].strip():
        rep.error(where, "empty cue")
    if "optional" in st and st["optional"] is not True:
        rep.error(where, "optional must be true when present")
    if set(st.get("tags", [])) - TAGS:
        rep.error(where, f"unknown tags {sorted(set(st['tags']) - TAGS)}; valid: {sorted(TAGS)}")
    quote = st["quote"]
    if not quote.strip() or quote != quote.strip():
        rep.error(where, f"quote empty or padded: {quote!r}")
    if len(quote.split()) > MAX_QUOTE_WORDS:
        rep.error(where, f"quote has {len(quote.split())} words (> {MAX_QUOTE_WORDS})")
    count = text.count(quote)
    occurrence = st.get("occurrence")
    if count == 0:
        rep.error(where, f"quote not found verbatim: {quote!r}")
        return -1
    if occurrence is None and count > 1:
        rep.error(where, f"quote occurs {count} times; give `occurrence`: {quote!r}")
    if occurrence is not None and not (isinstance(occurrence, int) and 1 <= occurrence <= count):
        rep.error(where, f"occurrence {occurrence!r} invalid (quote occurs {count} times)")
        return -1
    return nth_index(text, quote, occurrence or 1)


def check_article(art: dict, rep: Report) -> None:
    """Schema, identity against the zip, and every statement of one dev article."""
    where = f"{art.get('zip')}#{art.get('index')}"
    if art.keys() - ARTICLE_KEYS:
        rep.error(where, f"unknown article keys {sorted(art.keys() - ARTICLE_KEYS)}")
    if art.get("zip") not in ALLOWED_ZIPS:
        rep.error(where, "zip is not one of the annotation days")
        return
    row = load_zip(art["zip"])[art["index"]]
    for key in ("url", "title", "source"):
        if art.get(key) != row[key]:
            rep.error(where, f"{key} differs from the zip row")
    if art.get("date") != row["date_extracted"][:10]:
        rep.error(where, "date is not the date_extracted day")
    statements = art.get("statements", [])
    if art.get("has_speech") != bool(statements):
        rep.error(where, "has_speech disagrees with statements")
    offsets = [check_statement(st, row["content"], f"{where} statement {i}", rep)
               for i, st in enumerate(statements)]
    if offsets != sorted(offsets):
        rep.error(where, "statements are not in text order")
    for i, st in enumerate(art.get("title_statements", [])):
        check_statement(st, row["title"], f"{where} title_statement {i}", rep)


def statement_regions(text: str, starts: list[tuple[int, list[str]]]) -> list[tuple[int, int, list[str]]]:
    """(start, end, speakers) per statement: up to the next statement or the end of the line."""
    ordered = sorted(starts)
    regions = []
    for i, (start, speakers) in enumerate(ordered):
        nxt = ordered[i + 1][0] if i + 1 < len(ordered) else len(text)
        eol = text.find("\n", start)
        end = min(nxt, eol if eol >= 0 else len(text))
        regions.append((start, max(end, start + 1), speakers))
    return regions


def dev_regions(dev: dict) -> list[tuple[str, list[tuple[int, int, list[str]]]]]:
    """(text, regions) for every dev article's content and title."""
    out = []
    for art in dev["articles"]:
        row = load_zip(art["zip"])[art["index"]]
        for field, key in (("content", "statements"), ("title", "title_statements")):
            text = row[field]
            starts = [(nth_index(text, st["quote"], st.get("occurrence", 1)), st["speakers"])
                      for st in art.get(key, [])]
            out.append((text, statement_regions(text, [s for s in starts if s[0] >= 0])))
    return out


def seed_regions(rep: Report) -> list[tuple[str, list[tuple[int, int, list[str]]]]]:
    """(text, regions) for the five seeds, from the shared seeds gold."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))}
    if not SEEDS_GOLD.exists():
        rep.warn("seeds", f"{SEEDS_GOLD} missing: seed fragments checked for presence only")
        return [(t, [(0, len(t), ["*"])]) for t in texts.values()]
    starts: dict[str, list] = {name: [] for name in texts}
    for st in json.loads(SEEDS_GOLD.read_text(encoding="utf-8")):
        text = texts.get(st["file"], "")
        pos = text.find(st["quote"])
        if pos >= 0:
            starts[st["file"]].append((pos, st["speakers"]))
    return [(texts[name], statement_regions(texts[name], starts[name])) for name in texts]


def fragment_speakers(fragment: str, corpus) -> set[str]:
    """Speakers of every gold statement region containing the fragment."""
    found: set[str] = set()
    for text, regions in corpus:
        pos = text.find(fragment)
        while pos >= 0:
            for start, end, speakers in regions:
                if start <= pos and pos + len(fragment) <= end:
                    found.update(speakers)
            pos = text.find(fragment, pos + 1)
    return found


def check_question(q: dict, corpora: dict, rep: Report) -> None:
    """Schema of one QA item, and that each fragment sits in a statement of an expected speaker."""
    where = f"question {q.get('id')}"
    for key in ("id", "corpus", "lang", "intent", "question", "expect"):
        if key not in q:
            rep.error(where, f"missing {key}")
            return
    if q["corpus"] == "saudinewsnet_full":
        check_full_question(q, where, rep)
        return
    if q["corpus"] not in corpora:
        rep.error(where, f"corpus {q['corpus']!r} unknown")
        return
    if q["lang"] not in {"en", "ar"} or (q["lang"] == "ar") != has_arabic(q["question"]):
        rep.error(where, "lang does not match the question's script")
    if q["intent"] not in INTENTS:
        rep.error(where, f"intent {q['intent']!r} not in {sorted(INTENTS)}")
    expect = q["expect"]
    if expect.get("found") is False:
        if not expect.get("reason"):
            rep.error(where, "abstention without a reason")
        return
    if expect.get("found") is not True or not expect.get("speakers") or not expect.get("fragments"):
        rep.error(where, "found=true needs speakers and fragments")
        return
    by_speaker = expect.get("fragments_by_speaker")
    if expect.get("all_speakers") and set(by_speaker or {}) != set(expect["speakers"]):
        rep.error(where, "fragments_by_speaker must cover exactly the expected speakers")
    pairs = ([(f, {s}) for s, fs in by_speaker.items() for f in fs] if by_speaker
             else [(f, set(expect["speakers"])) for f in expect["fragments"]])
    for fragment, wanted in pairs:
        words = len(fragment.split())
        if words > MAX_FRAGMENT_WORDS or words < 2:
            rep.error(where, f"fragment has {words} words: {fragment!r}")
        elif words < 3:
            rep.warn(where, f"short fragment ({words} words): {fragment!r}")
        speakers = fragment_speakers(fragment, corpora[q["corpus"]])
        if not any(fragment in text for text, _ in corpora[q["corpus"]]):
            rep.error(where, f"fragment not in the {q['corpus']} texts: {fragment!r}")
        elif not (speakers & wanted or "*" in speakers):
            rep.error(where, f"fragment not inside a statement of {sorted(wanted)} "
                             f"(found under {sorted(speakers)}): {fragment!r}")


def check_full_question(q: dict, where: str, rep: Report) -> None:
    """A question asked of the whole archive: fragments are exact substrings of its sources
    (articles of the annotation days), roles and abstention tags are well formed."""
    if q["lang"] not in {"en", "ar"} or (q["lang"] == "ar") != has_arabic(q["question"]):
        rep.error(where, "lang does not match the question's script")
    if q["intent"] not in INTENTS:
        rep.error(where, f"intent {q['intent']!r} not in {sorted(INTENTS)}")
    if set(q.get("roles") or {}) - ROLE_KEYS:
        rep.error(where, f"unknown roles {sorted(set(q['roles']) - ROLE_KEYS)}; valid: {sorted(ROLE_KEYS)}")
    expect = q["expect"]
    if expect.get("found") is False:
        if not expect.get("reason"):
            rep.error(where, "abstention without a reason")
        if not ABSTAIN_TAGS & set(q.get("tags", [])):
            rep.error(where, f"abstention needs one of the tags {sorted(ABSTAIN_TAGS)}")
        return
    if expect.get("found") is not True or not expect.get("speakers") or not expect.get("fragments"):
        rep.error(where, "found=true needs speakers and fragments")
        return
    sources = expect.get("sources") or []
    texts = []
    for pair in sources:
        if not (isinstance(pair, list) and len(pair) == 2 and pair[0] in ALLOWED_ZIPS):
            rep.error(where, f"source {pair!r} is not [zip, index] of an annotation day")
            continue
        texts.append(load_zip(pair[0])[pair[1]]["content"])
    if not texts:
        rep.error(where, "found=true needs sources")
    by_speaker = expect.get("fragments_by_speaker") or {}
    if expect.get("all_speakers") and set(by_speaker) != set(expect["speakers"]):
        rep.error(where, "fragments_by_speaker must cover exactly the expected speakers")
    for fragment in list(expect["fragments"]) + [f for fs in by_speaker.values() for f in fs]:
        words = len(fragment.split())
        if words > MAX_FRAGMENT_WORDS or words < 2:
            rep.error(where, f"fragment has {words} words: {fragment!r}")
        if texts and not any(fragment in text for text in texts):
            rep.error(where, f"fragment not in its sources: {fragment!r}")


def check_attribution_file(path: Path, rep: Report) -> dict:
    """Every article of one attribution gold file (its split too, where it names one)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if "split" in data and data["split"] not in SPLITS:
        rep.error(path.name, f"split {data['split']!r} not in {sorted(SPLITS)}")
    for art in data["articles"]:
        check_article(art, rep)
    return data


def check_question_file(path: Path, corpora: dict, rep: Report) -> dict:
    """Every question of one question file, ids unique, follow-ups pointing inside the file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if "split" in data and data["split"] not in SPLITS:
        rep.error(path.name, f"split {data['split']!r} not in {sorted(SPLITS)}")
    ids = [q.get("id") for q in data["questions"]]
    if len(ids) != len(set(ids)):
        rep.error(path.name, "duplicate question ids")
    for q in data["questions"]:
        if q.get("follow_up_of") and q["follow_up_of"] not in ids:
            rep.error(f"question {q.get('id')}", "follow_up_of names no question of this file")
        check_question(q, corpora, rep)
    return data


def check_one_file(path: Path) -> int:
    """``--file PATH``: check one attribution or question file and print a short summary."""
    rep = Report()
    data = json.loads(path.read_text(encoding="utf-8"))
    if "articles" in data:
        check_attribution_file(path, rep)
        sts = [s for a in data["articles"] for s in a["statements"]]
        print(f"{path.name}: {len(data['articles'])} articles, {len(sts)} statements "
              f"({sum(1 for s in sts if not s.get('optional'))} required); by type:",
              dict(Counter(s["type"] for s in sts)), "tags:", dict(Counter(t for s in sts for t in s.get("tags", []))))
    else:
        dev = json.loads(DEV_PATH.read_text(encoding="utf-8"))
        check_question_file(path, {"saudinewsnet": dev_regions(dev), "seeds": seed_regions(rep)}, rep)
        qs = data["questions"]
        print(f"{path.name}: {len(qs)} questions; by lang:", dict(Counter(q["lang"] for q in qs)),
              "intent:", dict(Counter(q["intent"] for q in qs)),
              "abstain:", sum(1 for q in qs if not q["expect"].get("found")))
    for line in rep.warnings + rep.errors:
        print(line)
    print("OK" if not rep.errors else f"{len(rep.errors)} error(s)")
    return 1 if rep.errors else 0


def summarize(dev: dict, qa: dict) -> None:
    arts = dev["articles"]
    sts = [s for a in arts for s in a["statements"]]
    required = [s for s in sts if not s.get("optional")]
    print(f"dev articles: {len(arts)} ({sum(a['has_speech'] for a in arts)} with speech); "
          f"statements: {len(sts)} ({len(required)} required, {len(sts) - len(required)} optional); "
          f"title statements: {sum(len(a.get('title_statements', [])) for a in arts)}")
    print("  required by type:", dict(Counter(s["type"] for s in required)),
          "| all by type:", dict(Counter(s["type"] for s in sts)))
    qs = qa["questions"]
    print(f"questions: {len(qs)}; by corpus/lang:", dict(Counter(f"{q['corpus']}/{q['lang']}" for q in qs)))
    print("  by intent:", dict(Counter(q["intent"] for q in qs)))
    print("  abstain:", dict(Counter(q["corpus"] for q in qs if not q["expect"]["found"])))


def main() -> int:
    rep = Report()
    if not CORPUS_DIR.exists():
        print(f"skipped: {CORPUS_DIR} not found")
        return 0
    if "--file" in sys.argv:
        return check_one_file(Path(sys.argv[sys.argv.index("--file") + 1]))
    dev = check_attribution_file(DEV_PATH, rep)
    for path in sorted(HERE.glob("saudinewsnet_*.json")):
        if path != DEV_PATH:
            check_attribution_file(path, rep)
    with_speech = sum(a["has_speech"] for a in dev["articles"])
    if with_speech < 15 or len(dev["articles"]) - with_speech < 2:
        rep.error("dev", "need >= 15 articles with speech and >= 2 without")
    qa = json.loads(QA_PATH.read_text(encoding="utf-8"))
    ids = [q.get("id") for q in qa["questions"]]
    if len(ids) != len(set(ids)):
        rep.error("qa", "duplicate question ids")
    corpora = {"saudinewsnet": dev_regions(dev), "seeds": seed_regions(rep)}
    for q in qa["questions"]:
        check_question(q, corpora, rep)
    for path in sorted(QA_PATH.parent.glob("qa_*.json")):
        if path != QA_PATH:
            check_question_file(path, corpora, rep)
    summarize(dev, qa)
    for line in rep.warnings + rep.errors:
        print(line)
    print("OK" if not rep.errors else f"{len(rep.errors)} error(s)")
    return 1 if rep.errors else 0


if __name__ == "__main__":
    sys.exit(main())
