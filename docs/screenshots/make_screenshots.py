"""Full-page screenshots of every kind of page, at 1366 px (desk) and 390 px (phone), from the
demo data: `.venv/bin/python docs/screenshots/make_screenshots.py` (Debian's chromium). The
start page is taken once per role: each role's waiting work is what it shows."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser import CHROMIUM_ARGS, LiveServer, log_in  # noqa: E402
from tests.conftest import build_app, migrate  # noqa: E402

#: (file name, demo user, how to find the page from the start page)
PAGES = [
    ("start-officer", "referent", "/"),
    ("start-manager", "leitung", "/"),
    ("start-translator", "dolmetscher", "/"),
    ("start-emigration", "emigration", "/"),
    ("start-admin", "admin", "/"),
    ("visits", "referent", "/visits/"),
    ("visit", "referent", "first:/visits/?q=Staatsbesuch:a[href^='/visits/V-']"),
    ("calendar", "referent", "/calendar/"),
    ("events", "referent", "/events/"),
    ("event", "referent", "first:/events/:a[href^='/events/E-']"),
    ("event-guest-list", "referent", "first:/events/:a[href^='/events/E-']#guests"),
    ("event-seating", "referent", "first:/events/:a[href^='/events/E-']/seating"),
    ("honours", "referent", "/honours/"),
    ("honours-case", "leitung", "first:/honours/desk:a[href^='/honours/N-']"),
    ("honours-desk", "leitung", "/honours/desk"),
    ("translations", "referent", "/translations/"),
    ("translator-inbox", "dolmetscher", "/translations/offers"),
    ("emigrants", "emigration", "/emigrants/"),
    ("emigrant-case", "emigration", "first:/emigrants/:a[href^='/emigrants/EP-']"),
    ("graves", "referent", "/graves/"),
    ("golden-book", "referent", "/golden-book/"),
    ("partnerships", "referent", "/partnerships/"),
    ("news", "referent", "/news/"),
    ("users", "admin", "/admin/users"),
]
SIZES = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}


def _address(page, how: str) -> str:
    if not how.startswith("first:"):
        return how
    _, listing, rest = how.split(":", 2)
    selector, _, suffix = rest.partition("]")
    page.goto(listing)
    href = page.locator(selector + "]").first.get_attribute("href")
    return href + suffix


def _shrink(path: Path) -> None:
    """256 colours are plenty for a page of text and keep the repository small (about a fifth)."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def main() -> None:
    folder = Path(__file__).parent
    tmp = Path(tempfile.mkdtemp())
    app = build_app(f"sqlite:///{tmp / 'demo.sqlite'}", UPLOAD_DIR=str(tmp / "uploads"),
                    EMBEDDED_BROKER_DIR=str(tmp / "broker"))
    migrate(app)
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    server = LiveServer(app).start()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        for size, viewport in SIZES.items():
            for name, user, how in PAGES:
                context = browser.new_context(base_url=server.url, viewport=viewport, locale="de-DE")
                page = context.new_page()
                log_in(page, f"{user}@protokoll.example")
                page.goto(_address(page, how))
                if name == "event-seating" and page.get_by_text("Noch keine Tische angelegt.").count():
                    # Lay out three tables, as an officer would, so that the drawing shows.
                    page.get_by_label("Tische").fill("3")
                    page.get_by_label("Plätze je Tisch").fill("8")
                    page.get_by_role("button", name="Tische anlegen").click()
                page.wait_for_load_state("load")
                path = folder / f"{name}-{size}.png"
                page.screenshot(path=str(path), full_page=True)
                _shrink(path)
                context.close()
        browser.close()
    server.stop()


if __name__ == "__main__":
    main()
