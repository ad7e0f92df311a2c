"""The release's version: the one place it is written.

`/healthz`, `flask version`, the admin's footer, the image's label (`make image` reads it from
here) and the SBOM all take it from this file; CHANGELOG.md names the same number.
"""

__version__ = "1.0.0"

#: The release an installation upgrades from: its commit and the last migration it knew. Every
#: migration after that one must leave that release working while it runs (expand only; a
#: contraction waits for a later release — docs/upgrades.md), and the upgrade drill
#: (tests/test_upgrade_drill.py) runs that release against the new migrations.
PREVIOUS_RELEASE = {
    "version": "0.9.0",
    "commit": "9b07d1f05558186bd2dfd42550faeeb08b84f1a7",
    "migration": "0036_partnerships_news",
}
