"""BITV 2.0 / WCAG 2.1 AA beyond the crawl (tests/test_accessibility_de.py and _en.py): the top
bar fits one line at 1366 px; a refused form is announced (summary with the focus, errors tied
to their fields)."""

from __future__ import annotations

from tests.accessibility import axe_violations
from tests.accessibility_crawl import require_tools
from tests.browser import log_in


def test_the_top_bar_fits_one_line_at_1366_px_for_every_role(browser, live_server):
    for user in ("admin", "referent", "leitung", "emigration"):
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900})
        page = context.new_page()
        log_in(page, f"{user}@protokoll.example")
        page.wait_for_load_state("load")  # the styles are in
        height = page.evaluate("document.querySelector('.app-header .navbar').getBoundingClientRect().height")
        right = page.evaluate("Math.max(...[...document.querySelectorAll('.app-header .nav-link, .app-header "
                              "button')].map(e => e.getBoundingClientRect().right))")
        context.close()
        assert height < 80, f"{user}: the top bar wraps ({height:.0f} px high)"
        assert right <= 1366, f"{user}: the top bar runs off the screen ({right:.0f} px)"


def test_a_refused_form_is_announced_and_tied_to_its_fields(browser, live_server):
    require_tools()
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    log_in(page, "referent@protokoll.example")
    page.goto("/visits/new")
    page.get_by_role("button", name="Speichern").click()
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible() and "Bitte korrigieren Sie Folgendes" in summary.inner_text()
    # The focus is there (moved once the page has loaded; waited for, it fails if it never comes).
    page.wait_for_function("document.activeElement && document.activeElement.hasAttribute('data-error-summary')",
                           timeout=5000)
    title = page.locator("#title")
    assert title.get_attribute("aria-invalid") == "true"
    error_id = title.get_attribute("aria-describedby").split()[-1]
    assert page.locator(f"#{error_id}").inner_text().strip()
    summary.get_by_role("link").first.click()  # the summary leads to the field
    assert page.evaluate("document.activeElement.id") in {"title", "kind", "guest_name", "arrival_at"}
    assert axe_violations(page) == []  # the refused form as it stands
    context.close()


def test_the_broken_word_check_sees_a_word_split_across_lines(browser):
    """The crawl's check itself: a word squeezed by `overflow-wrap: anywhere` is reported with
    where it broke; on a phone a break at a soft hyphen is allowed, at the desk it is not."""
    from tests.accessibility import broken_words

    context = browser.new_context(viewport={"width": 390, "height": 600})
    page = context.new_page()
    page.set_content('<main><p style="width: 4em; overflow-wrap: anywhere">Federführung</p>'
                     '<p style="width: 5em">Partner\u00adschafts\u00adjubiläen</p><p>ganz kurze Wörter</p></main>')
    found = broken_words(page, phone=True)
    assert len(found) == 1 and found[0].startswith("Fede") and "|" in found[0] and found[0].replace("|", "") == "Federführung"
    assert len(broken_words(page, phone=False)) == 2  # the soft-hyphen break counts at the desk
    context.close()
