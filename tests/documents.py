"""Reading what the app sends out with the programs its readers use: LibreOffice for
spreadsheets, poppler's pdftotext for PDFs."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests import services


def pdf_text(data: bytes, tmp_path: Path, name: str = "document") -> str:
    """The PDF's text as pdftotext reads it (layout kept, so lines stay lines)."""
    services.require("libreoffice")
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True,
                          text=True, timeout=60).stdout


def spreadsheets_as_printed(files: dict[str, bytes], tmp_path: Path) -> dict[str, str]:
    """{name: text} of each XLSX as LibreOffice Calc prints it — where a cell is too narrow
    for its number or date, Calc prints "###", as on screen."""
    services.require("libreoffice")
    sources = []
    for name, data in files.items():
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(data)
        sources.append(str(path))
    out = tmp_path / "printed"
    # One run for all files (LibreOffice's start is the slow part); an own profile keeps
    # it from meeting another instance's lock.
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), *sources],
                   check=True, capture_output=True, timeout=240)
    return {name: subprocess.run(["pdftotext", "-layout", str(out / f"{name}.pdf"), "-"], check=True,
                                 capture_output=True, text=True, timeout=60).stdout
            for name in files}


def read_with_ical_js(body: bytes) -> list[dict]:
    """An iCalendar file as Thunderbird reads it (ical.js under node): each event's uid,
    summary, and start and end as UTC instants."""
    import json

    services.require("ical.js")
    script = Path(__file__).parent / "js" / "ical_read.mjs"
    done = subprocess.run(["node", str(script)], input=body, capture_output=True, check=True, timeout=60,
                          cwd=script.parent)
    return json.loads(done.stdout)
