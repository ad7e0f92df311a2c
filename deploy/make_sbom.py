"""Write the SBOM (CycloneDX JSON) of the runtime packages: `make sbom` → build/sbom.cdx.json.

cyclonedx-py reads requirements.txt — the runtime pins only, never requirements-dev.txt — and
this script names Protokoll itself as the main component, with the version of
protocol_app/version.py and its licence, so the image carries one SBOM that says what it is.
"""

from __future__ import annotations

import json
import runpy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603
        [str(Path(sys.executable).parent / "cyclonedx-py"), "requirements", str(ROOT / "requirements.txt"),
         "--output-reproducible", "-o", str(output)],
        check=True,
    )
    version = runpy.run_path(str(ROOT / "protocol_app" / "version.py"))["__version__"]
    bom = json.loads(output.read_text())
    bom["metadata"]["component"] = {
        "type": "application", "bom-ref": "protokoll", "name": "Protokoll", "version": version,
        "licenses": [{"license": {"id": "EUPL-1.2"}}],
    }
    bom["dependencies"] = [{"ref": "protokoll", "dependsOn": [c["bom-ref"] for c in bom["components"]]}]
    output.write_text(json.dumps(bom, indent=2, sort_keys=True) + "\n")
    print(f"SBOM: {output} ({len(bom['components'])} runtime packages, Protokoll {version})")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "sbom.cdx.json")
