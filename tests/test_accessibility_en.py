"""BITV 2.0 / WCAG 2.1 AA on every page in English on a 1366 px desk: a crawl of the app as every
role and signed out (following its links, one page per kind of address), each page checked by
axe-core and the Nu HTML checker (the tests of tests/accessibility_crawl.py)."""

from __future__ import annotations

from tests.accessibility_crawl import (  # noqa: F401 (the shared tests and their fixture, collected here)
    crawled,
    test_axe_finds_no_violation_on_any_page_as_any_role,
    test_every_control_a_person_sees_has_a_visible_label,
    test_no_word_is_laid_out_across_two_lines,
    test_the_nu_html_checker_finds_no_error_on_any_page,
)

LANGUAGE = "en"
