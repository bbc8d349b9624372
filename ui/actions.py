"""What the window's controls do, as plain functions over a ``Qawl`` (no Gradio here).

Each one calls the ``rag`` core and shapes its result for a component: choices for a
dropdown, rows for a table, files for a download, HTML (from ``ui.render``) for a panel.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from rag import (
    Answer, IndexLocked, IndexStats, IngestReport, Qawl, QawlError, QuestionError, speaker_row, write_csv, write_json,
)

from . import render

log = logging.getLogger(__name__)

UPLOAD_TYPES = (".txt", ".json", ".jsonl", ".zip", ".html", ".htm")
# Columns of the Speakers tab's tables, with Gradio datatypes: "html" cells come from render.cell_html.
SPEAKER_COLUMNS = {"Speaker": "html", "Quotes": "number", "Articles": "number"}
QUOTE_COLUMNS = {"Date": "str", "Outlet": "html", "Quote": "html", "Said by": "str", "Article": "html",
                 "Link or path": "html"}


def parse_date(value: str | None, name: str) -> dt.date | None:
    """A date typed or picked in the window (``YYYY-MM-DD``, a time part is ignored)."""
    if value is None or not str(value).strip():
        return None
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise QuestionError(f"The {name} date “{value}” is not a date: use YYYY-MM-DD.") from None


def ask(qawl: Qawl, question: str, speaker: str | None = None, source: str | None = None,
        date_from: str | None = None, date_to: str | None = None, previous: dict | None = None) -> Answer:
    """``Qawl.ask`` with the window's filters; empty filters mean none. ``previous``: the
    parsed question before in the conversation (``Answer.parsed``), kept by follow-ups."""
    return qawl.ask(
        question,
        speaker=speaker or None,
        source=source or None,
        date_from=parse_date(date_from, "from"),
        date_to=parse_date(date_to, "to"),
        previous=previous or None,
    )


def chat_turn(qawl: Qawl, question: str, previous: dict | None = None,
              **filters: str | None) -> tuple[str, str, dict | None]:
    """One exchange: the question's HTML (with its filters), the answer's HTML (or the error),
    and what the next question may keep of this one (the answer's parsed question)."""
    shown = {"speaker": filters.get("speaker"), "outlet": filters.get("source"),
             "from": filters.get("date_from"), "to": filters.get("date_to")}
    asked = render.question_html(question or "", {k: str(v) for k, v in shown.items() if v})
    try:
        answer = ask(qawl, question, previous=previous, **filters)
        return asked, render.answer_html(answer), answer.parsed
    except QawlError as exc:
        return asked, render.error_html(str(exc)), previous
    except Exception:  # a bug must not take the conversation down; the log has the traceback
        log.exception("answering %r failed", question)
        return asked, render.error_html("Something went wrong while answering this question; "
                                        "the details are in the server log."), previous


def speakers(qawl: Qawl) -> list[dict]:
    """Every quoted speaker with counts, most quoted first (the ``/speakers`` endpoint)."""
    return [speaker_row(count) for count in qawl.speakers()]


@dataclass(frozen=True)
class IndexView:
    """What the window shows about the index (header, status, filters, speakers), read at once."""

    stats: IndexStats
    speakers: list[dict]

    @classmethod
    def read(cls, qawl: Qawl) -> IndexView:
        return cls(qawl.stats(), speakers(qawl))

    def speaker_ids(self) -> list[str]:
        """The speakers' ids in table order (a clicked row gives its index)."""
        return [s["id"] for s in self.speakers]

    def speaker_table(self) -> list[list]:
        return [[render.speaker_cell_html(s["name_en"], s["name_ar"]), s["quotes"], s["articles"]] for s in self.speakers]

    def speaker_choices(self, value: str = "id") -> list[tuple[str, str]]:
        """Dropdown choices «Wang Yi — وانغ يي (13)», searchable in both scripts; their value is the
        speaker's ``id`` (Speakers tab) or ``name_en`` (the ask filter, which takes names)."""
        return [(f"{s['name_en']} — \u2067{s['name_ar']}\u2069 ({s['quotes']})", s[value]) for s in self.speakers]

    def outlet_choices(self) -> list[str]:
        return sorted(name for name in self.stats.sources if name != "unknown")

    def header_html(self) -> str:
        return render.header_html(self.stats, len(self.speakers))

    def stats_html(self) -> str:
        return render.stats_html(self.stats, len(self.speakers))


def quotes_of(qawl: Qawl, speaker_id: str | None, folder: Path) -> tuple[list[list], Path | None, Path | None]:
    """A speaker's quotes as table rows, and the same quotes written to CSV and JSON in ``folder``."""
    if not speaker_id:
        return [], None, None
    rows = qawl.quote_rows(speaker_id)
    table = [[r.date or "", render.cell_html(r.source), render.cell_html(r.quote), r.speaker,
              render.cell_html(r.title or r.article_id), render.location_html(r.location)] for r in rows]
    stem = "quotes-" + "".join(ch if ch.isalnum() else "-" for ch in speaker_id)
    folder.mkdir(parents=True, exist_ok=True)
    return table, write_csv(rows, folder / f"{stem}.csv"), write_json(rows, folder / f"{stem}.json")


def keep_uploads(files: Iterable[str | Path], folder: Path) -> list[Path]:
    """Copy uploaded files out of Gradio's temporary cache into ``folder``, under their own
    names (in a folder named by their content, so that the same file keeps one location)."""
    kept = []
    for file in files:
        source = Path(file)
        digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
        target = folder / digest / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        kept.append(target)
    return kept


def ingest(qawl: Qawl, paths: list[Path], on_progress: Callable[[IngestReport, str], None],
           uploads: Path | None = None) -> str:
    """Index ``paths`` and return the report as HTML (files kept in ``uploads`` named as uploaded);
    a locked or failing index is a message, not a crash."""
    if not paths:
        return render.error_html("Choose one or more files first (.txt, .json, .jsonl, .zip, .html).")
    try:  # an upload does not wait, silently, for another process writing to the index: it says so at once
        return render.report_html(_as_uploaded(qawl.ingest(paths, progress=on_progress, wait=False), uploads))
    except IndexLocked:
        return render.error_html(
            "Another Qawl process is adding articles to this index right now. "
            "Try again when it has finished; nothing was changed."
        )
    except QawlError as exc:
        return render.error_html(f"The articles could not be added: {exc}")
    except Exception:  # a bug must not take the window down; the log has the traceback
        log.exception("ingest failed")
        return render.error_html("Adding the articles failed unexpectedly; the index is unchanged for the "
                                 "files not reported as added. See the server log for details.")


def _as_uploaded(report: IngestReport, uploads: Path | None) -> IngestReport:
    """The report with locations under ``uploads/<digest>/`` shown as the uploaded names."""
    if uploads is None:
        return report
    prefix = str(uploads) + "/"

    def shown(location: str) -> str:
        return location.removeprefix(prefix).partition("/")[2] if location.startswith(prefix) else location

    return replace(report, failed=[(shown(p), why) for p, why in report.failed],
                   skipped=[(shown(p), why) for p, why in report.skipped],
                   duplicates=[(shown(p), kept) for p, kept in report.duplicates])


def progress_text(report: IngestReport, location: str) -> tuple[int, str]:
    """How many files are done, and a line saying so, for the progress bar."""
    done = report.seen
    return done, f"{done} done · {report.quotes} quotes found · {Path(location).name}"
