"""The Gradio window for tests: an index of the seed articles plus a hostile article, served
in-process on a free 127.0.0.1 port."""
from __future__ import annotations

import json
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

from servers import free_port

from rag import Qawl
from rag.config import SEEDS_DIR

# Every field a browser could be tricked by: markup, event handlers, a javascript: URL,
# a markdown link, HTML entities, a template placeholder. Its quote (no straight double quote
# inside, so that it stays one quote) is attributed to Lavrov.
HOSTILE_QUOTE = (
    "<img src=x onerror=alert(window.__pwned=1)> الشراكة مع الصين <script>window.__pwned=1</script> "
    "[اضغط هنا](javascript:window.__pwned=1) &lt;b&gt;عريض&lt;/b&gt; ${window.__pwned=1} ستستمر رغم العقوبات"
)
HOSTILE_ARTICLE = {
    "title": '<script>window.__pwned=1</script>عنوان <img src=x onerror="window.__pwned=1">',
    "source": '<svg onload="window.__pwned=1">',
    "url": "javascript:window.__pwned=1",
    "date": "2024-05-02",
    "content": f'موسكو - قال وزير الخارجية الروسي سيرغي لافروف إن "{HOSTILE_QUOTE}".',
}
HOSTILE_QUESTION = "ماذا قال لافروف عن العقوبات؟"

# Written for these tests: a short article whose quotes are attributed to Lavrov.
ARCTIC_ARTICLE = """لافروف: التعاون مع بكين في القطب الشمالي سيتوسع

موسكو - قال وزير الخارجية الروسي سيرغي لافروف، اليوم الثلاثاء، إن "التعاون الروسي الصيني في القطب الشمالي سيتوسع خلال السنوات المقبلة".

وأضاف لافروف أن "طريق البحر الشمالي مفتوح أمام السفن الصينية".
"""


def seed_index(folder: Path, embedder) -> Qawl:
    """A Qawl index in ``folder`` holding the five seeds and the hostile article."""
    hostile = folder / "hostile.json"
    hostile.write_text(json.dumps(HOSTILE_ARTICLE, ensure_ascii=False), encoding="utf-8")
    qawl = Qawl(folder / "index")
    qawl.embedder = embedder  # the session's model, loaded once
    report = qawl.ingest([SEEDS_DIR, hostile])
    assert report.ok and report.added == 6, report
    return qawl


@contextmanager
def running_app(qawl: Qawl, uploads: Path):
    """Launch the window on a free port without blocking; yield it, then close it."""
    from ui.app import launch

    demo = launch(qawl, port=free_port(), prevent_thread_lock=True, quiet=True, uploads_dir=uploads)
    try:
        yield demo
    finally:
        demo.close()


class _Markup(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs


SAFE_TAGS = {"div", "p", "span", "bdi", "sup", "blockquote", "details", "summary", "mark", "code", "a", "ul", "li", "b",
             "table", "tr", "th", "td"}


def assert_inert(html: str) -> None:
    """``html`` builds only harmless elements: no script, image or svg, no event handler,
    no link other than https."""
    markup = _Markup(html)
    assert set(markup.tags) <= SAFE_TAGS, set(markup.tags) - SAFE_TAGS
    assert not [name for name, _ in markup.attrs if name.startswith("on")]
    assert not [value for name, value in markup.attrs if name == "href" and not (value or "").startswith("https://")]
