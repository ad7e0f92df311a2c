"""The crawl of every role's pages in one language, and the checks of its pages, shared by
tests/test_accessibility_de.py (German, a 320 px phone) and tests/test_accessibility_en.py
(English, a 1366 px desk). Two modules, so that the two crawls run on two test workers at once;
each kind of page is checked once per language by the first role that reaches it."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests import services
from tests.accessibility import crawl, nu_check, prepare, shape, switch_to_english
from tests.browser import log_in

#: Every role of the app, by its demo account; None is the visitor who is not signed in.
ROLES = {"admin": "admin", "officer": "referent", "manager": "leitung", "translator": "dolmetscher",
         "emigration": "emigration", "viewer": "leser", "signed out": None}
#: Pages each role must have reached — a crawl that stops early cannot pass.
MUST_SEE = {
    "admin": {"/admin/users", "/admin/audit", "/admin/letters", "/visits/REF", "/barrierefreiheit"},
    "officer": {"/visits/REF", "/events/REF", "/calendar/", "/calendar/?view=week", "/translations/REF",
                "/directory/contacts", "/graves/", "/golden-book/", "/partnerships/", "/partnerships/N",
                "/partnerships/jubilees", "/news/", "/news/N"},
    "manager": {"/honours/desk", "/honours/REF"},
    "translator": {"/translations/offers", "/calendar/"},
    "emigration": {"/emigrants/REF", "/emigrants/statistics"},
    "viewer": {"/visits/REF"},
    "signed out": {"/auth/login", "/barrierefreiheit", "/ehrungen/vorschlag"},
}
#: The screen of each language's crawl.
WIDTH = {"de": 320, "en": 1366}
#: The widths each page is laid out at for the broken-word check (the crawl's own first): the
#: German crawl, whose words are the longer, at the small and the common phone and at the desk.
WORD_WIDTHS = {"de": (320, 390, 1366), "en": (1366,)}


def require_tools() -> None:
    import shutil

    from tests.accessibility import AXE

    if not AXE.exists() or shutil.which("java") is None:
        problem = "axe-core (make test runs npm ci in tests/js) or java missing"
        if services.CI:
            pytest.fail(problem, pytrace=False)
        pytest.skip(problem)


def crawl_every_role(browser, live_server, language: str) -> dict:
    """{role: [PageReport]} of the whole app in `language`."""
    require_tools()
    width, results, checked = WIDTH[language], {}, set()
    for role, user in ROLES.items():
        # Signed out, the browser's language decides; signed in, the person's choice.
        context = browser.new_context(base_url=live_server.url, bypass_csp=True,
                                      viewport={"width": width, "height": 900},
                                      locale="de-DE" if language == "de" else "en-GB")
        prepare(context)
        page = context.new_page()
        start = "/auth/login"
        if user:
            log_in(page, f"{user}@protokoll.example")
            if language == "en":
                switch_to_english(page)
            start = "/"
        reports = crawl(page, live_server.url, narrow=width < 500, start=start, checked=checked,
                        widths=WORD_WIDTHS[language])
        for other in ("/barrierefreiheit",) if user else ("/barrierefreiheit", "/ehrungen/vorschlag"):
            reports += crawl(page, live_server.url, narrow=width < 500, start=other, limit=1,
                             checked=checked, widths=WORD_WIDTHS[language])
        results[role] = reports
        if user and language == "en":  # leave the account as it was for the other browser tests
            page.goto("/")
            switch_to_english(page)  # the same button, now saying "Deutsch"
        context.close()
    return results


# --- the tests, collected by the module of each language (its LANGUAGE names it) -----------

@pytest.fixture(scope="module")
def crawled(browser, live_server, request):
    """{role: [PageReport]} of the whole app in the module's language."""
    return crawl_every_role(browser, live_server, request.module.LANGUAGE)


def test_axe_finds_no_violation_on_any_page_as_any_role(crawled, request):
    check_every_role_reached_its_pages_and_axe_found_nothing(crawled, request.module.LANGUAGE)


def test_every_control_a_person_sees_has_a_visible_label(crawled, request):
    check_every_control_has_a_visible_label(crawled, request.module.LANGUAGE)


def test_the_nu_html_checker_finds_no_error_on_any_page(crawled, request, tmp_path):
    check_the_nu_html_checker_finds_nothing(crawled, request.module.LANGUAGE, tmp_path / "pages")


def test_no_word_is_laid_out_across_two_lines(crawled, request):
    check_no_word_is_broken(crawled, request.module.LANGUAGE)


def check_every_role_reached_its_pages_and_axe_found_nothing(crawled: dict, language: str) -> None:
    reached = {shape(urlsplit(r.url).path + ("?" + urlsplit(r.url).query if urlsplit(r.url).query else ""))
               for reports in crawled.values() for r in reports}
    missing = set().union(*MUST_SEE.values()) - reached
    assert not missing, f"{language}: the crawl did not reach {missing} (reached {sorted(reached)})"
    assert len(reached) > 80, f"{language}: only {len(reached)} kinds of page checked"
    problems = [f"{role}/{language} {report.url}: {v['id']} ({v['impact']}) {v['help']} — {v['nodes']}"
                for role, reports in crawled.items() for report in reports for v in report.violations]
    assert not problems, "\n".join(problems[:40])


def check_no_word_is_broken(crawled: dict, language: str) -> None:
    """At every width of WORD_WIDTHS no word is split across lines (on a phone, only a long one at
    its hyphenation point)."""
    broken = [f"{role}/{language} {width} px {r.url}: {', '.join(words[:8])}"
              for role, reports in crawled.items() for r in reports
              for width, words in r.broken_words.items() if words]
    assert set(next(r for reports in crawled.values() for r in reports).broken_words) == set(WORD_WIDTHS[language])
    assert not broken, f"{len(broken)} pages with broken words:\n" + "\n".join(broken)


def check_every_control_has_a_visible_label(crawled: dict, language: str) -> None:
    unlabelled = [f"{role}/{language} {r.url}: {r.unlabelled}" for role, reports in crawled.items()
                  for r in reports if r.unlabelled]
    assert not unlabelled, "\n".join(unlabelled[:40])


def check_the_nu_html_checker_finds_nothing(crawled: dict, language: str, folder) -> None:
    pages = {f"{role}/{language} {r.url}": r.html for role, reports in crawled.items() for r in reports}
    assert len(pages) > 80
    errors = nu_check(pages, folder)
    assert not errors, "\n".join(errors[:40])
