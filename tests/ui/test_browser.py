"""The chat in a real headless Chromium (Debian's package, driven by Playwright)."""

import threading

import pytest

import rag
from tests.conftest import SCREENSHOTS, launch_ui

DEFINING = "Did Russia accept US security guarantees for Ukraine?"


def ask_in_page(page, question: str) -> None:
    """Type a question, press Ask and wait until the answer and its sources are drawn."""
    before = page.locator("#chat .message.bot, #chat [data-testid='bot']").count()
    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()
    page.wait_for_function(
        """(n) => {
            const bots = document.querySelectorAll("#chat .message.bot, #chat [data-testid='bot']");
            if (bots.length <= n) return false;
            const last = bots[bots.length - 1].innerText;
            return !last.includes("▌") && !last.includes("Searching the articles");
        }""",
        arg=before,
    )
    page.wait_for_function(
        "() => !document.querySelector('#sources').innerText.includes('Searching the articles')"
    )


def last_answer(page) -> str:
    return page.locator("#chat .message.bot, #chat [data-testid='bot']").last.inner_text()


def test_defining_question_shows_both_sides_with_their_sources(page, ui_url):
    page.goto(ui_url)
    page.locator("#examples").get_by_text(DEFINING).wait_for()  # examples on first load
    ask_in_page(page, DEFINING)

    cards = page.locator("#sources .source")
    assert cards.count() >= 2
    outlets_or_titles = {
        cards.nth(i).locator(".source-title").inner_text() for i in range(cards.count())
    }
    assert len(outlets_or_titles) >= 2  # two different articles, not one quoted twice
    assert page.locator("#chat .badge-conflict").is_visible()
    assert page.locator("#sources .conflict-banner").is_visible()
    assert "Sources disagree" in page.locator("#sources .conflict-banner").inner_text()
    assert page.locator("#sources .side-affirms").count() >= 1
    assert page.locator("#sources .side-denies").count() >= 1
    # Every [n] in the answer is tied to the source card with the same number.
    links = page.locator("#chat a.cite")
    assert links.count() >= 2
    for i in range(links.count()):
        target = links.nth(i).get_attribute("href")
        assert page.locator(f"#sources {target}").count() == 1
    # The quote is highlighted inside its paragraph.
    first = cards.first
    assert first.locator("mark").inner_text().strip()
    assert len(first.locator(".source-context").inner_text()) > len(
        first.locator("mark").inner_text()
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "chat.png"), full_page=True)


def test_refusal_reads_as_a_refusal(page, ui_url):
    page.goto(ui_url)
    ask_in_page(page, "What is the GDP of France?")
    assert page.locator("#chat .badge-refusal").last.is_visible()
    assert page.locator("#chat .badge-error").count() == 0
    assert "don't cover this" in last_answer(page)
    assert page.locator("#sources .source").count() == 0


def test_follow_up_in_the_chat_uses_the_conversation(page, ui_url):
    page.goto(ui_url)
    ask_in_page(page, "What security guarantees does Moscow want for itself?")
    ask_in_page(page, "Who said that?")
    shown = last_answer(page)
    assert page.locator("#chat .badge-refusal").count() == 0, shown
    assert page.locator("#chat .badge-error").count() == 0, shown
    page.wait_for_selector("#sources .source", timeout=15_000)  # drawn with the answer


def test_copy_as_markdown_puts_answer_and_sources_on_the_clipboard(page, ui_url):
    page.goto(ui_url)
    ask_in_page(page, DEFINING)
    page.locator("#copy-md").click()
    page.wait_for_function("async () => (await navigator.clipboard.readText()).length > 0")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(f"**Q:** {DEFINING}")
    assert "**Sources**" in copied and "[1]" in copied and "[2]" in copied


def test_uploaded_article_with_markup_renders_as_text(page, ui_url, ui_settings, tmp_path):
    hostile = tmp_path / "velmora-tram.txt"
    hostile.write_text(
        "Velmora council backs tram line\n\n"
        "The Velmora council approved the tram line <script>window.__pwned = 1</script> on "
        'Monday <img src=x onerror="window.__pwned = 2"> by a wide margin.\n\n'
        "Construction is due to start in the spring.\n",
        encoding="utf-8",
    )
    page.goto(ui_url)
    page.locator("#add-docs").get_by_text("Add documents").click()
    page.locator("#upload input[type=file]").set_input_files(str(hostile))
    # uploaded: the file's row offers it back for download (its name is drawn as two spans,
    # stem and extension, so a text match catches only the transient progress line)
    page.locator("#upload a[download='velmora-tram.txt']").wait_for()
    page.locator("#add").click()
    page.wait_for_function(
        "() => document.querySelector('#upload-status textarea').value.includes('Added')"
    )
    assert "Added velmora-tram.txt" in page.locator("#upload-status textarea").input_value()

    ask_in_page(page, "What did the Velmora council approve?")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#chat script, #sources script").count() == 0
    assert page.locator("#chat img[src='x'], #sources img[src='x']").count() == 0
    shown = page.locator("#sources").inner_text()
    assert "<script>window.__pwned = 1</script>" in shown
    assert '<img src=x onerror="window.__pwned = 2">' in shown
    assert "<script>" in last_answer(page)


@pytest.fixture
def slow_ui_url(ui_settings):
    """The app over an ask that hands out its text slowly, as an LLM would."""
    options = {"corpus_dir": ui_settings.corpus_dir, "index_dir": ui_settings.index_dir}
    done = threading.Event()

    def slow_ask(question, history=None, on_text=None, **kw):
        def trickle(piece):
            done.wait(0.08)
            on_text(piece)

        return rag.ask(question, history, on_text=trickle, **options, **kw)

    app, url = launch_ui(ui_settings, ask=slow_ask)
    yield url
    done.set()
    app.close()


def test_answer_appears_progressively(page, slow_ui_url):
    page.goto(slow_ui_url)
    page.locator("#question textarea").fill(DEFINING)
    page.locator("#ask").click()
    # Part of the answer is on screen, with the typing cursor, before the whole is there.
    page.wait_for_function(
        """() => {
            const bots = document.querySelectorAll("#chat .message.bot, #chat [data-testid='bot']");
            return bots.length > 0 && bots[bots.length - 1].innerText.includes("▌");
        }"""
    )
    partial = last_answer(page)
    ask_done = "() => document.querySelectorAll('#sources .source').length >= 2"
    page.wait_for_function(ask_done)
    final = last_answer(page)
    assert "▌" not in final
    assert len(partial.replace("▌", "").strip()) < len(final)


def test_llm_generator_chosen_in_the_ui_is_checked_against_the_sources(page, ui_url):
    page.goto(ui_url)
    menu = page.locator("#generator")
    menu.wait_for(state="visible")  # shown: more than one generator is set up
    menu.locator("input").click()
    page.get_by_role("option", name="llama-cpp").click()
    ask_in_page(page, "What did Rosatom confirm?")
    note = page.locator("#chat .note").last
    assert note.is_visible()
    text = note.inner_text()
    assert "checked against the sources" in text or "extractive answer" in text
    assert page.locator("#sources .source").count() >= 1
