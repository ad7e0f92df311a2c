"""How long a crafted spreadsheet holds a request, and how much memory it takes (issue 30, item 9).

Each file of tests/crafted_xlsx.py (a few KB to a few hundred KB) is read by the import as a
request would read it: once with the limits (the refusal before openpyxl parses), and once as
openpyxl alone would take it in streaming mode (what an import cost before the limits; the DTD
case is refused by defusedxml now even there). Figures go to
bench/results-imports.md.

Run: .venv/bin/python bench/import_limits_bench.py
"""

from __future__ import annotations

import io
import time
import tracemalloc

from support import ROOT

from tests import crafted_xlsx

#: Openpyxl alone is stopped after this long: the figure then reads "> N s".
UNBOUNDED_CAP_SECONDS = 60.0


def _measure(call) -> tuple[float, float, str]:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        outcome = call()
    except Exception as exc:  # the refusal, or openpyxl giving up
        outcome = exc.__class__.__name__
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak / 1024 / 1024, str(outcome)[:40]


def _bare_app():
    """A Flask app with Babel, nothing more: the import's code is measured, not app start-up."""
    from flask import Flask
    from flask_babel import Babel

    app = Flask(__name__)
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    Babel(app)
    return app


def _with_limits(app, data: bytes):
    from protocol_app.core.tabular_import import ImportColumn, parse_upload

    with app.test_request_context():
        return parse_upload("liste.xlsx", data, [ImportColumn("name", "Name", required=True)])


def _openpyxl_alone(data: bytes):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    started = time.perf_counter()
    rows = 0
    for _row in workbook.worksheets[0].iter_rows(max_col=60, values_only=True):
        rows += 1
        if time.perf_counter() - started > UNBOUNDED_CAP_SECONDS:
            return f"stopped after {UNBOUNDED_CAP_SECONDS:.0f} s"
    return f"{rows} rows"


def main() -> None:
    lines = ["# Crafted spreadsheets: refused before the parse (issue 30, item 9)", "",
             "| file | size | with the limits | peak memory | openpyxl alone | peak memory |",
             "|---|---:|---:|---:|---:|---:|"]
    app = _bare_app()
    _measure(lambda: _with_limits(app, crafted_xlsx.entity_chain()))  # imports and locale data once, unmeasured
    for name, build in crafted_xlsx.CRAFTED.items():
        data = build()
        limited = _measure(lambda d=data: _with_limits(app, d))
        alone = _measure(lambda d=data: _openpyxl_alone(d))
        lines.append(f"| {name} | {len(data) / 1024:.0f} KB | {limited[0] * 1000:.0f} ms | {limited[1]:.1f} MB "
                     f"| {alone[0]:.1f} s ({alone[2]}) | {alone[1]:.0f} MB |")
        print(lines[-1], flush=True)
    (ROOT / "bench" / "results-imports.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
