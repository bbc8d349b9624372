"""``qawl``: the command line, a thin layer over ``rag.Qawl`` (no logic of its own)."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from . import (
    SETTINGS, IngestReport, Qawl, QawlError, Settings, count_items, format_attribution_table, format_qa_table,
    quotes_in_files, run_attribution_eval, run_qa_eval, speaker_row,
)

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}
LOG_EVERY_SECONDS = 30  # progress lines when stderr is not a terminal


def command(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    COMMANDS[func.__name__.removeprefix("cmd_")] = func
    return func


def open_qawl(args: argparse.Namespace) -> Qawl:
    return Qawl(args.index, chroma_url=args.chroma_url, embedding_model=args.embedding_model)


@contextmanager
def _progress_bar(total: int, unit: str) -> Iterator[Callable[[int, str, str], None]]:
    """A progress bar on a terminal; a log file gets a plain line now and then instead of a bar
    it cannot show. Yields ``update(done, counts, where)``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), TextColumn("{task.description}"))
    console = _stderr()
    with Progress(*columns, console=console, disable=not console.is_terminal) as bar:
        task = bar.add_task("", total=total)
        logged = [time.monotonic()]

        def update(done: int, counts: str, where: str) -> None:
            bar.update(task, completed=done, description=f"{counts} · {where[-50:]}")
            if not console.is_terminal and time.monotonic() - logged[0] >= LOG_EVERY_SECONDS:
                logged[0] = time.monotonic()
                eta = bar.tasks[0].time_remaining
                print(f"{done}/{total} {unit} · {counts} · ETA {dt.timedelta(seconds=round(eta)) if eta is not None else '?'}",
                      file=sys.stderr, flush=True)

        yield update


@command
def cmd_ingest(args: argparse.Namespace) -> int:
    qawl = open_qawl(args)
    with _progress_bar(count_items(args.paths, max_bytes=qawl.settings.max_file_bytes), "items") as update:
        report = qawl.ingest(args.paths, progress=lambda report, location: update(
            report.seen, f"{report.chunks} chunks · {report.quotes} quotes", location))
    if args.json:
        _print_json(report.to_dict())
    else:
        _print_report(report)
    return 0 if report.ok else 1


@command
def cmd_reattribute(args: argparse.Namespace) -> int:
    qawl = open_qawl(args)
    with _progress_bar(qawl.stats().articles, "articles") as update:
        report = qawl.reattribute(progress=lambda report, article_id: update(
            report.articles, f"{report.changed} changed · {report.added} added · {report.removed} removed", article_id))
    if args.json:
        _print_json(report.to_dict())
    else:
        print(f"articles {report.articles} · statements unchanged {report.unchanged} · changed {report.changed} · "
              f"added {report.added} · removed {report.removed} · texts embedded {report.embedded} · "
              f"failed {len(report.failed)}")
        for article_id, reason in report.failed:
            print(f"  failed     {article_id}: {reason}")
    return 0 if report.ok else 1


@command
def cmd_search(args: argparse.Namespace) -> int:
    passages = open_qawl(args).search(
        args.query, k=args.k, source=args.source, date_from=args.date_from, date_to=args.date_to
    )
    if args.json:
        _print_json([p.to_dict() for p in passages])
        return 0
    for rank, p in enumerate(passages, 1):
        print(f"[{rank}] {p.title or p.article_id} — {p.source or '?'} {p.date or ''} [{p.start}:{p.end}] score {p.score:.4f}")
        print(f"    {p.location}")
        print("    " + p.text.replace("\n", " ")[:400])
    if not passages:
        print("No passage found.")
    return 0


@command
def cmd_ask(args: argparse.Namespace) -> int:
    qawl = open_qawl(args)
    qawl.ensure_seeded()
    answer = qawl.ask(
        args.question, speaker=args.speaker, source=args.source, date_from=args.date_from, date_to=args.date_to, k=args.k
    )
    if args.json:
        _print_json(answer.to_dict())
    else:
        _print_answer(answer)
    return 0


@command
def cmd_speakers(args: argparse.Namespace) -> int:
    rows = open_qawl(args).speakers()
    if args.json:
        _print_json([speaker_row(r) for r in rows])
        return 0
    for r in rows:
        print(f"{r.quotes:6d}  {r.speaker.name_en}  \u2066{r.speaker.name_ar}\u2069  ({r.speaker.kind}, {r.articles} articles)")
    return 0


@command
def cmd_quotes(args: argparse.Namespace) -> int:
    failed = 0
    out = []
    for item in quotes_in_files(args.paths, max_bytes=Settings.from_env().max_file_bytes):
        if isinstance(item, QawlError):
            failed += 1
            print(f"qawl: {item}", file=sys.stderr)
            continue
        article, quotes = item
        out.append({"article_id": article.id, "title": article.title, "path": article.location,
                    "quotes": [_quote_dict(q) for q in quotes]})
    if args.json:
        _print_json(out)
    else:
        for entry in out:
            print(f"# {entry['title']}  ({entry['article_id']})")
            for q in entry["quotes"]:
                print(f"  [{q['start']}:{q['end']}] {q['speaker']} / {q['speaker_ar']} — {q['kind']}, «{q['cue']}», "
                      f"{q['confidence']:.2f}\n      «{q['text']}»")
    return 1 if failed else 0


@command
def cmd_eval(args: argparse.Namespace) -> int:
    if args.what == "attribution":
        scores = run_attribution_eval(args.sets or None)
        table = format_attribution_table(scores)
    else:
        # the whole-archive question sets are asked of the index named by --index / --chroma-url
        index = open_qawl(args) if args.index or args.chroma_url else None
        if index is not None:
            index.warm()
        scores = run_qa_eval(args.sets or None, settings=Settings.from_env(embedding_model=args.embedding_model),
                             index=index)
        table = format_qa_table(scores)
    if args.json:
        _print_json({name: s.to_dict() for name, s in scores.items()})
    else:
        print(table)
    return 0


@command
def cmd_stats(args: argparse.Namespace) -> int:
    stats = open_qawl(args).stats()
    if args.json:
        _print_json(stats.to_dict())
        return 0
    print(f"index      {stats.location}")
    print(f"articles   {stats.articles}")
    print(f"chunks     {stats.chunks}")
    print(f"quotes     {stats.quotes}")
    print(f"dates      {stats.date_from or '?'} … {stats.date_to or '?'}")
    print(f"size       {_megabytes(stats.size_bytes)}")
    print(f"model      {stats.embedding_model}")
    print("sources    " + ", ".join(f"{name} ({n})" for name, n in stats.sources.items()))
    return 0


@command
def cmd_model(args: argparse.Namespace) -> int:
    embedder = open_qawl(args).embedder
    print(f"embedding model ready: {embedder.name} ({embedder.dim} dimensions)")
    return 0


@command
def cmd_seed(args: argparse.Namespace) -> int:
    qawl = open_qawl(args)
    report = qawl.ensure_seeded()
    if report is None:
        print(f"index at {qawl.location} already holds articles; nothing to do")
        return 0
    _print_report(report)
    return 0 if report.ok else 1


@command
def cmd_chat(args: argparse.Namespace) -> int:
    qawl = open_qawl(args)
    qawl.ensure_seeded()
    qawl.warm()
    print("Qawl — ask who said what (Arabic or English). Empty line or Ctrl-D to quit.")
    while True:
        try:
            question = input("› ").strip()
        except EOFError:
            return 0
        if not question:
            return 0
        try:
            _print_answer(qawl.ask(question))
        except QawlError as exc:
            print(f"qawl: {exc}")
        print()


@command
def cmd_serve(args: argparse.Namespace) -> int:
    from ui.app import launch

    qawl = open_qawl(args)
    qawl.ensure_seeded()
    launch(qawl, host=args.host, port=args.port)
    return 0


def _quote_dict(q) -> dict:
    return {"speaker": q.speaker.name_en, "speaker_ar": q.speaker.name_ar, "speaker_id": q.speaker.id,
            "text": q.text, "kind": q.kind.value, "cue": q.cue, "start": q.start, "end": q.end,
            "confidence": round(q.confidence, 3), "via": q.via, "headline": q.headline}


def _print_answer(answer) -> None:
    print(answer.text)
    for n, c in enumerate(answer.citations, 1):
        print(f"\n[{n}] {c.speaker} / {c.speaker_ar} — {c.kind}")
        print(f"    {c.title or c.article_id}")
        print(f"    {c.source or 'outlet unknown'} · {c.date or 'date unknown'} · {c.url} [{c.start}:{c.end}]")
        if c.also_in:
            print(f"    also in: {', '.join(c.also_in)}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qawl", description="Who said what in Arabic news, verbatim and cited.")
    parser.add_argument("--index", help="index folder (default: $QAWL_INDEX, else ./index if there is one, else $XDG_DATA_HOME/qawl/index)")
    parser.add_argument("--chroma-url", help="Chroma server URL instead of the embedded index ($QAWL_CHROMA_URL)")
    parser.add_argument("--embedding-model", help="sentence-transformers model name or folder ($QAWL_EMBEDDING_MODEL)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="index article files and folders (.txt .json .jsonl .zip .html)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--json", action="store_true", help="print the ingest report as JSON")

    p = sub.add_parser("reattribute", help="extract the statements of every indexed article again with this "
                                           "version's rules (after an upgrade); only new wordings are embedded")
    p.add_argument("--json", action="store_true", help="print the report as JSON")

    p = sub.add_parser("search", help="hybrid passage search")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=5)
    _add_filters(p)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("ask", help="ask who said what (English or Arabic)")
    p.add_argument("question")
    p.add_argument("--speaker", help="only this speaker (name, spelling variant or title)")
    p.add_argument("-k", type=int, default=5)
    _add_filters(p)
    p.add_argument("--json", action="store_true", help="print the Answer as JSON")

    p = sub.add_parser("speakers", help="quoted speakers with quote counts")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("quotes", help="attributed quotes in article files (no index needed)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("eval", help="measure attribution (F1, speaker accuracy) or answers (accuracy) on the gold sets")
    p.add_argument("what", choices=["attribution", "qa"])
    p.add_argument("sets", nargs="*", help="gold sets (attribution: saudinewsnet_test, saudinewsnet_dev, seeds; "
                                           "qa: seeds, saudinewsnet, and with --index of the whole archive "
                                           "full_test, full_dev)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("stats", help="what the index holds")
    p.add_argument("--json", action="store_true")

    sub.add_parser("model", help="build (once) and load the embedding model")
    sub.add_parser("seed", help="index the seed articles when the index is empty")
    sub.add_parser("chat", help="terminal chat over the index (indexes the seed articles when empty)")

    p = sub.add_parser("serve", help="open the chat window in the browser (indexes the seed articles when empty)")
    p.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: this machine only; "
                                                       "0.0.0.0 exposes it to the network)")
    p.add_argument("--port", type=int, default=7860)
    parser.epilog = "settings: " + ", ".join(s.env for s in SETTINGS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = COMMANDS[args.command](args)
    except QawlError as exc:
        print(f"qawl: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("qawl: interrupted; what was fully indexed stays indexed, run the same command to finish.", file=sys.stderr)
        return 130
    if argv is None and args.command in _READ_ONLY and not Qawl.ingested:
        _exit_now(code)
    return code


# Commands that only read the index: run as the program (not called from Python), they exit as soon
# as their output is written, skipping the interpreter's teardown of Chroma and OpenVINO (a second
# that `qawl ask` from the shell would otherwise wait for, with nothing left to save).
_READ_ONLY = {"ask", "search", "speakers", "stats"}


def _exit_now(code: int) -> None:
    import logging

    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", help="only this outlet")
    p.add_argument("--date-from", type=dt.date.fromisoformat, help="YYYY-MM-DD")
    p.add_argument("--date-to", type=dt.date.fromisoformat, help="YYYY-MM-DD")


def _print_report(report: IngestReport) -> None:
    print(
        f"added {report.added} · updated {report.updated} · unchanged {report.unchanged} · "
        f"duplicates {len(report.duplicates)} · skipped {len(report.skipped)} · failed {len(report.failed)} · "
        f"chunks {report.chunks} · quotes {report.quotes}"
    )
    for location, kept in report.duplicates:
        print(f"  duplicate  {location} (same text as {kept})")
    for path, reason in report.failed:
        print(f"  failed     {path}: {reason}")


def _print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    print()


def _megabytes(size: int | None) -> str:
    return "n/a (server)" if size is None else f"{size / 1e6:.1f} MB"


def _stderr():
    from rich.console import Console

    return Console(stderr=True)


if __name__ == "__main__":
    sys.exit(main())
