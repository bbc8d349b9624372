"""Qawl's Gradio window: ask who said what, read the verbatim quotes with their sources,
filter, browse speakers, add articles, see what the index holds.

Presentation only: every control calls ``ui.actions``, which calls the ``rag`` core.

Concurrency: reading events (questions, speakers, exports, the ``/ask`` and ``/speakers``
endpoints) share ``READERS`` workers, so questions keep being answered while articles are
added; adding articles has its own single worker, so ingests never overlap (one embedded
Chroma index has one writer at a time; another process holding it is reported, not fatal).
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import gradio as gr

from rag import Qawl, QawlError

from . import actions
from .actions import IndexView

READERS = 4  # questions answered at once
CSS_PATH = Path(__file__).with_name("qawl.css")
EXAMPLES = [
    "What did Wang Yi say about Ukraine?",
    "ماذا قال بوتين عن التجارة مع الصين؟",
    "Who said the boycotting countries will pay the price?",
    "من قال إن العلاقات تدخل عصرا جديدا؟",
    "What did Lavrov say about the Olympics?",
    "ماذا قال وانغ يي عن أوكرانيا؟",
]
EMPTY_CHAT = (
    "<div class='qawl-empty'><b>Who said what?</b>Ask in English or Arabic. Every answer quotes the speaker "
    "verbatim, in Arabic, and cites the article it comes from — or says plainly that no such statement exists.</div>"
)
# The question box takes its direction from what is typed (Gradio has no dir attribute for it).
ON_LOAD_JS = """() => {
  const box = document.querySelector('#qawl-question textarea');
  if (box) { box.setAttribute('dir', 'auto'); }
}"""
THEME = gr.themes.Soft(
    primary_hue="teal",
    neutral_hue="slate",
    font=["Inter", "system-ui", "Segoe UI", "Noto Sans", "DejaVu Sans", "sans-serif"],  # local fonts only: works offline
    font_mono=["ui-monospace", "SFMono-Regular", "DejaVu Sans Mono", "monospace"],
)


def build_app(qawl: Qawl, *, uploads_dir: str | Path | None = None) -> gr.Blocks:
    """The window over ``qawl``. Uploaded articles are kept in ``uploads_dir``
    (default ``$QAWL_HOME/uploads``) so that their paths stay valid for citations."""
    uploads = (Path(uploads_dir) if uploads_dir else Path(qawl.settings.home) / "uploads").resolve()
    exports = Path(tempfile.mkdtemp(prefix="qawl-exports-"))
    read = {"concurrency_id": "read", "concurrency_limit": READERS}
    view = IndexView.read(qawl)

    with gr.Blocks(title="Qawl — قول", analytics_enabled=False) as demo:
        header = gr.HTML(view.header_html())
        with gr.Tabs():
            with gr.Tab("Ask", id="ask"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=7):
                        chat = gr.Chatbot(
                            elem_id="qawl-chat", show_label=False, height=600, layout="panel", buttons=["copy"],
                            render_markdown=False, sanitize_html=True, latex_delimiters=[], feedback_options=None,
                            placeholder=EMPTY_CHAT,
                        )
                        with gr.Row(equal_height=True):
                            question = gr.Textbox(
                                elem_id="qawl-question", show_label=False, scale=8, lines=1, max_lines=4,
                                placeholder="What did Wang Yi say about Ukraine?  ·  ماذا قال بوتين عن التجارة؟",
                            )
                            send = gr.Button("Ask", variant="primary", scale=1, min_width=90, elem_id="qawl-send")
                        examples = gr.Examples(EXAMPLES, inputs=[question], label="Try", examples_per_page=6)
                    with gr.Column(scale=3, min_width=260):
                        gr.Markdown("#### Filters\n<span class='qawl-hint'>Applied to the next question.</span>")
                        speaker = gr.Dropdown(view.speaker_choices("name_en"), value=None, label="Speaker",
                                              filterable=True, info="Type a name in English or Arabic",
                                              elem_id="qawl-speaker")
                        outlet = gr.Dropdown(view.outlet_choices(), value=None, label="Outlet", filterable=True,
                                             elem_id="qawl-outlet")
                        date_from = gr.DateTime(label="From", include_time=False, type="string")
                        date_to = gr.DateTime(label="To", include_time=False, type="string")
                        clear_filters = gr.Button("Clear filters", size="sm", variant="secondary")
                        clear_chat = gr.Button("New conversation", size="sm", variant="secondary")
                        last_question = gr.State(None)  # the parsed question before: what follow-ups keep

            with gr.Tab("Speakers", id="speakers"):
                speaker_ids = gr.State(view.speaker_ids())
                with gr.Row(equal_height=False):
                    with gr.Column(scale=2, min_width=380):
                        speakers_table = gr.Dataframe(
                            view.speaker_table(), headers=list(actions.SPEAKER_COLUMNS),
                            datatype=list(actions.SPEAKER_COLUMNS.values()), column_widths=["54%", "23%", "23%"],
                            interactive=False, label="Quoted speakers", elem_id="qawl-speakers",
                            elem_classes="qawl-table", max_height=640,
                        )
                    with gr.Column(scale=5):
                        pick = gr.Dropdown(view.speaker_choices(), value=None, label="Quotes of", filterable=True,
                                           info="Choose a speaker, or click one in the table", elem_id="qawl-pick")
                        quotes_table = gr.Dataframe(
                            headers=list(actions.QUOTE_COLUMNS), datatype=list(actions.QUOTE_COLUMNS.values()),
                            column_widths=["10%", "9%", "43%", "11%", "15%", "12%"], wrap=True,
                            interactive=False, label="Quotes", elem_id="qawl-quotes", elem_classes="qawl-table",
                            max_height=560,
                        )
                        with gr.Row():
                            csv_file = gr.DownloadButton("Download CSV", size="sm", interactive=False, elem_id="qawl-csv")
                            json_file = gr.DownloadButton("Download JSON", size="sm", interactive=False,
                                                          elem_id="qawl-json")

            with gr.Tab("Add articles", id="add"):
                gr.Markdown("Add news articles to the index: `.txt`, `.json`, `.jsonl`, `.html` files or `.zip` archives "
                            "of them. Files that cannot be read are reported and skipped; the rest is indexed.")
                files = gr.File(file_count="multiple", file_types=list(actions.UPLOAD_TYPES), label="Article files",
                                elem_id="qawl-files")
                add = gr.Button("Add to index", variant="primary", elem_id="qawl-add")
                report = gr.HTML(elem_id="qawl-report")

            with gr.Tab("Index", id="index"):
                stats = gr.HTML(view.stats_html(), elem_id="qawl-stats")
                refresh = gr.Button("Refresh", size="sm", variant="secondary")

        # -- asking --------------------------------------------------------------------------
        def on_ask(text, history, speaker_name, source, start, end, previous):
            if not (text or "").strip():
                return history, text, previous
            # a follow-up ("And about Iran?") keeps the speaker or topic of the question before
            asked, answered, parsed = actions.chat_turn(qawl, text, previous if history else None,
                                                        speaker=speaker_name, source=source,
                                                        date_from=start, date_to=end)
            turn = [{"role": "user", "content": asked}, {"role": "assistant", "content": answered}]
            return [*history, *turn], "", parsed

        ask_io = {"fn": on_ask, "inputs": [question, chat, speaker, outlet, date_from, date_to, last_question],
                  "outputs": [chat, question, last_question], **read}
        question.submit(**ask_io, api_name="chat", api_visibility="undocumented")
        send.click(**ask_io, api_visibility="private")
        examples.load_input_event.then(**ask_io, api_visibility="private")
        clear_filters.click(lambda: (None, None, None, None), None, [speaker, outlet, date_from, date_to],
                            api_visibility="private", queue=False)
        clear_chat.click(lambda: ([], None), None, [chat, last_question], api_visibility="private", queue=False)

        # -- speakers ------------------------------------------------------------------------
        def on_pick(speaker_id):
            table, csv_path, json_path = actions.quotes_of(qawl, speaker_id, exports)
            return (table, gr.DownloadButton(value=csv_path, interactive=bool(table)),
                    gr.DownloadButton(value=json_path, interactive=bool(table)))

        def on_row(ids, evt: gr.SelectData):
            return ids[evt.index[0]]

        pick.change(on_pick, pick, [quotes_table, csv_file, json_file], api_name="speaker_quotes",
                    api_visibility="undocumented", **read)
        speakers_table.select(on_row, speaker_ids, pick, api_visibility="private", queue=False)

        # -- adding articles -----------------------------------------------------------------
        def on_add(paths, progress=gr.Progress()):
            progress((0, None), desc="Reading files…", unit="articles")

            def on_progress(ingest_report, location):  # the number of articles in zips is not known ahead
                done, text = actions.progress_text(ingest_report, location)
                progress((done, None), desc=text, unit="articles")

            kept = actions.keep_uploads(paths or [], uploads)
            return actions.ingest(qawl, kept, on_progress, uploads), None

        def on_refresh():
            fresh = IndexView.read(qawl)
            return (fresh.header_html(), fresh.stats_html(), gr.Dropdown(choices=fresh.speaker_choices("name_en")),
                    gr.Dropdown(choices=fresh.outlet_choices()), fresh.speaker_table(), fresh.speaker_ids(),
                    gr.Dropdown(choices=fresh.speaker_choices()))

        views = [header, stats, speaker, outlet, speakers_table, speaker_ids, pick]
        add.click(on_add, files, [report, files], api_name="ingest", api_visibility="undocumented",
                  concurrency_id="ingest", concurrency_limit=1, show_progress_on=report).then(
            on_refresh, None, views, api_visibility="private", **read)
        refresh.click(on_refresh, None, views, api_visibility="private", **read)
        demo.load(on_refresh, None, views, api_visibility="private", **read)

        # -- API for gradio_client -----------------------------------------------------------
        def ask(question: str, speaker: str | None = None, source: str | None = None,
                date_from: str | None = None, date_to: str | None = None, previous: dict | None = None) -> dict:
            """Answer a question (English or Arabic); optional speaker name, outlet and ISO dates;
            ``previous``, the answer to the question before (a follow-up keeps its speaker or topic).
            Returns the Answer as a dict: question, found, text, citations, parsed."""
            try:
                return actions.ask(qawl, question, speaker, source, date_from, date_to, previous).to_dict()
            except QawlError as exc:
                raise gr.Error(str(exc)) from None

        def speakers() -> list[dict]:
            """Every quoted speaker: id, name_en, name_ar, kind, quotes, articles, first, last."""
            return actions.speakers(qawl)

        gr.api(ask, api_name="ask", **read)
        gr.api(speakers, api_name="speakers", **read)

    demo.queue(default_concurrency_limit=READERS, max_size=256)
    return demo


def launch(qawl: Qawl | None = None, host: str = "127.0.0.1", port: int = 7860, **kw) -> gr.Blocks:
    """Open the window on ``host:port`` (local only by default); with no ``qawl``, the default
    index, built from the seed articles on first use. Extra keywords go to ``Blocks.launch``
    (e.g. ``prevent_thread_lock=True``) or to ``build_app`` (``uploads_dir``)."""
    if qawl is None:
        qawl = Qawl()
        qawl.ensure_seeded()
    qawl.warm()
    demo = build_app(qawl, uploads_dir=kw.pop("uploads_dir", None))
    demo.launch(server_name=host, server_port=port, theme=THEME, css=CSS_PATH.read_text(encoding="utf-8"),
                js=ON_LOAD_JS, ssr_mode=False, footer_links=["api"], **kw)
    return demo
