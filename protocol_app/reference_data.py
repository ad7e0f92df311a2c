"""The reference data of the whole installation, loaded area by area (idempotent, safe in
production). Each area keeps its own data; this module only puts them together, one layer
above all of them."""

from __future__ import annotations

from .core.audit import record_event


def load_reference_data() -> dict[str, int]:
    """Load every area's reference data; return the counts added."""
    from .directory.reference_data import load_directory_data
    from .emigrants.letters import load_default_templates
    from .events.reference_data import load_occasions, occasion_ids
    from .honours.reference_data import load_award_types

    counts = load_directory_data()
    counts["occasions"] = load_occasions()
    counts["award_types"] = load_award_types(occasion_ids())
    counts["letter_templates"] = load_default_templates()
    if any(counts.values()):
        record_event("reference_data.load", summary=str(counts))
    return counts
