"""BITV 2.0 / WCAG 2.1 AA on every page in English on a 1366 px desk: a crawl of the app as every
role and signed out (following its links, one page per kind of address), each page checked by
axe-core and the Nu HTML checker."""

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
    return crawl_every_role(browser, live_server, "en")


def test_axe_finds_no_violation_on_any_page_as_any_role(crawled):
    check_every_role_reached_its_pages_and_axe_found_nothing(crawled, "en")


def test_every_control_a_person_sees_has_a_visible_label(crawled):
    check_every_control_has_a_visible_label(crawled, "en")


def test_the_nu_html_checker_finds_no_error_on_any_page(crawled, tmp_path):
    check_the_nu_html_checker_finds_nothing(crawled, "en", tmp_path / "pages")
