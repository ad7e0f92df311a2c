"""The release's version: the one place it is written.

`/healthz`, `flask version`, the admin's footer, the image's label (`make image` reads it from
here) and the SBOM all take it from this file; CHANGELOG.md names the same number.
"""

__version__ = "1.0.0"
