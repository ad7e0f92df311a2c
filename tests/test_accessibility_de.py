"""BITV 2.0 / WCAG 2.1 AA on every page in German on a 320 px phone: a crawl of the app as every
role and signed out (following its links, one page per kind of address), each page checked by
axe-core and the Nu HTML checker; no page scrolls sideways."""

from __future__ import annotations

import pytest

from tests.accessibility_crawl import (
    check_every_control_has_a_visible_label,
    check_every_role_reached_its_pages_and_axe_found_nothing,
    check_the_nu_html_checker_finds_nothing,
    crawl_every_role,
)


@pytest.fixture(scope="module")
def crawled(browser, live_server):
    return crawl_every_role(browser, live_server, "de")


def test_axe_finds_no_violation_on_any_page_as_any_role(crawled):
    check_every_role_reached_its_pages_and_axe_found_nothing(crawled, "de")


def test_no_page_scrolls_sideways_on_a_320_px_phone(crawled):
    wide = [f"{role}: {r.url}" for role, reports in crawled.items() for r in reports if r.scrolls_sideways]
    assert not wide, "\n".join(wide)


def test_every_control_a_person_sees_has_a_visible_label(crawled):
    check_every_control_has_a_visible_label(crawled, "de")


def test_the_nu_html_checker_finds_no_error_on_any_page(crawled, tmp_path):
    check_the_nu_html_checker_finds_nothing(crawled, "de", tmp_path / "pages")
