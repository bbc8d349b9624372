"""The window end to end in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright):
questions typed in English and Arabic, quotes rendered right-to-left, sources expanded to the
marked span, filters, the Speakers tab with its CSV export, an upload, and a hostile article
that must not run. Screenshots of each state go to tests/artifacts/.
"""
from __future__ import annotations

import csv
import threading
from pathlib import Path

import pytest
from ui_app import ARCTIC_ARTICLE, HOSTILE_QUESTION, HOSTILE_QUOTE, running_app, seed_index

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]
ARTIFACTS = Path(__file__).parent / "artifacts"
TIMEOUT = 60_000  # ms

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium "
                       "(apt-get install -y chromium chromium-driver); the browser tests need it"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright's Python package is not installed")
expect = sync_api.expect


@pytest.fixture(scope="module")
def app(tmp_path_factory, embedder):
    folder = tmp_path_factory.mktemp("ui-browser")
    qawl = seed_index(folder, embedder)
    with running_app(qawl, folder / "uploads") as demo:
        yield qawl, demo


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, app):
    context = browser.new_context(viewport={"width": 1360, "height": 940}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.dialogs = []  # any alert() a hostile article managed to run
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(app[1].local_url)
    page.wait_for_selector("#qawl-question textarea")
    yield page
    assert page.dialogs == [] and page.evaluate("window.__pwned") is None
    context.close()


def ask(page, question: str, answers: int = 1) -> None:
    page.click("#qawl-question textarea")
    page.keyboard.insert_text(question)
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.querySelectorAll('#qawl-chat [data-testid=bot]').length >= {answers}")


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_english_question_quote_rtl_and_marked_source(page):
    ask(page, "What did Wang Yi say about Ukraine?")
    card = page.locator("#qawl-chat .qawl-cite").filter(has_text="ولا سيما أوكرانيا").first
    quote = card.locator(".qawl-quote")
    assert quote.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert set(page.locator("#qawl-chat .qawl-speaker").all_inner_texts()) == {"Wang Yi"}
    mark = card.locator(".qawl-passage mark")
    assert not mark.is_visible()
    shot(page, "01-answer-english")

    card.locator(".qawl-source summary").click()
    expect(mark).to_be_visible()
    card.scroll_into_view_if_needed()
    assert mark.inner_text() == quote.inner_text()
    assert card.locator(".qawl-passage").evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert "001_8bb1481c41d16441.txt" in card.locator(".qawl-loc").first.inner_text()
    shot(page, "02-source-expanded")


def test_arabic_question_typed_right_to_left(page):
    box = page.locator("#qawl-question textarea")
    box.click()
    page.keyboard.insert_text("ماذا قال بوتين عن التجارة مع الصين؟")
    assert box.evaluate("e => getComputedStyle(e).direction") == "rtl"  # dir="auto" on the box
    page.keyboard.press("Enter")
    page.wait_for_selector("#qawl-chat .qawl-quote")
    lead = page.locator("#qawl-chat .qawl-lead").first
    assert "فلاديمير بوتين" in lead.inner_text() and lead.evaluate("e => getComputedStyle(e).direction") == "rtl"
    quotes = page.locator("#qawl-chat .qawl-quote").all_inner_texts()
    assert any("حجم التبادل التجاري" in q for q in quotes)
    shot(page, "03-answer-arabic")


def test_example_click_asks_and_abstention_is_shown(page):
    page.get_by_text("Who said the boycotting countries will pay the price?", exact=True).first.click()
    page.wait_for_selector("#qawl-chat .qawl-quote")
    assert page.locator("#qawl-chat [data-testid=user]").first.inner_text().startswith("Who said the boycotting")
    assert any("ستدفع" in q for q in page.locator("#qawl-chat .qawl-quote").all_inner_texts())
    ask(page, "What did Joe Biden say about China?", answers=2)
    abstain = page.locator("#qawl-chat .qawl-abstain").last
    assert abstain.locator(".qawl-badge").text_content() == "No matching statement"
    assert "Joe Biden" in abstain.inner_text()
    shot(page, "04-abstention")


def test_speaker_filter_searched_in_arabic(page):
    page.click("#qawl-speaker input")
    page.keyboard.insert_text("وانغ")
    page.keyboard.press("End")  # Gradio filters on key events; an Arabic keyboard sends them for each letter
    options = page.locator("#qawl-speaker li[role=option]")
    expect(options).to_have_count(2)
    assert [o.get_attribute("aria-label") for o in options.all()] == ["Wang Yi — \u2067وانغ يي\u2069 (13)",
                                                                      "Wang Wenbin — \u2067وانغ وينبن\u2069 (1)"]
    options.first.click()
    ask(page, "What was said about Ukraine?")
    speakers = page.locator("#qawl-chat .qawl-speaker").all_inner_texts()
    assert speakers and set(speakers) == {"Wang Yi"}
    assert "speaker: Wang Yi" in page.locator("#qawl-chat .qawl-chips").first.inner_text()
    shot(page, "05-filtered")


def test_hostile_article_is_shown_as_text_and_never_runs(page):
    ask(page, HOSTILE_QUESTION)
    quotes = page.locator("#qawl-chat .qawl-quote")
    assert HOSTILE_QUOTE in quotes.all_inner_texts()
    answer = page.locator("#qawl-chat .qawl-answer").last
    assert answer.locator("img, script, svg, iframe").count() == 0
    page.locator("#qawl-chat .qawl-source summary").first.click()
    assert page.locator("#qawl-chat .qawl-loc a[href^='javascript']").count() == 0
    shot(page, "06-hostile-article")
    # the fixture checks that no dialog opened and window.__pwned was never set


def test_speakers_tab_lists_quotes_and_exports_csv(page, tmp_path):
    page.get_by_role("tab", name="Speakers").click()
    table = page.locator("#qawl-speakers")
    table.get_by_text("وانغ يي", exact=True).first.wait_for()
    table.get_by_text("Wang Yi", exact=True).first.click()  # choosing a row fills the speaker box
    page.wait_for_function("document.querySelector('#qawl-quotes').innerText.includes('ولا سيما أوكرانيا')")
    shot(page, "07-speakers")
    with page.expect_download() as download:
        page.click("#qawl-csv")
    saved = tmp_path / "wang-yi.csv"
    download.value.save_as(saved)
    with saved.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and any("ولا سيما أوكرانيا" in r["quote"] for r in rows)
    assert all("Wang Yi" in r["speaker"] for r in rows)

    page.click("#qawl-pick input")
    page.keyboard.press("Control+A")
    page.keyboard.type("Sergei Lavrov")
    page.locator("#qawl-pick li[role=option]").first.click()  # his quotes include the hostile article's
    page.wait_for_function("document.querySelector('#qawl-quotes').innerText.includes('window.__pwned=1')")
    assert page.locator("#qawl-quotes img, #qawl-quotes script, #qawl-quotes a[href^='javascript']").count() == 0
    shot(page, "08-speaker-hostile-quotes")


def test_upload_shows_progress_then_the_report(page, app, tmp_path, monkeypatch):
    qawl = app[0]
    release = threading.Event()
    ingest = qawl.ingest
    monkeypatch.setattr(qawl, "ingest", lambda paths, **kw: (release.wait(60), ingest(paths, **kw))[1])
    good = tmp_path / "arctic.txt"
    good.write_text(ARCTIC_ARTICLE, encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text('{"title": "بلا نهاية", "content": ', encoding="utf-8")

    page.get_by_role("tab", name="Add articles").click()
    page.set_input_files("#qawl-files input[type=file]", [str(good), str(broken)])
    page.wait_for_function("document.querySelector('#qawl-files').innerText.includes('broken')")
    page.click("#qawl-add")
    page.locator("#qawl-report .progress-text, #qawl-report .progress-level").first.wait_for()
    shot(page, "09-upload-progress")
    release.set()
    page.wait_for_selector("#qawl-report .qawl-tiles")
    report = page.locator("#qawl-report").inner_text()
    assert "1\nADDED" in report.upper() and "1\nFAILED" in report.upper() and "broken.json" in report
    shot(page, "10-upload-report")

    page.get_by_role("tab", name="Index").click()
    stats = page.locator("#qawl-stats")
    assert "7" in stats.locator(".qawl-tile b").first.inner_text()  # five seeds, the hostile article, arctic.txt
    assert "<svg onload" in stats.inner_text()  # the hostile outlet name, as text
    shot(page, "11-index-status")
