"""Run every benchmark of the project (figures go to bench/results-*.md)."""

import runpy
from pathlib import Path

for script in sorted(Path(__file__).parent.glob("*_bench.py")):
    if script.name == "wsgi_bench.py":  # the app served by visits_bench, not a benchmark
        continue
    runpy.run_path(str(script), run_name="__main__")
