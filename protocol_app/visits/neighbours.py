"""What the neighbour systems hear of visits (webhooks): a visit confirmed, changed while
confirmed, or cancelled — never a confidential one, and never the guest's personal details."""

from __future__ import annotations

from flask import current_app

from ..core.webhooks import services as webhooks
from .models import Visit


def tell(visit: Visit, event_type: str) -> None:
    """Tell the subscribers of `event_type` (visit.confirmed, visit.changed, visit.cancelled)."""
    if visit.is_confidential:
        return
    webhooks.emit(event_type, {
        "reference": visit.reference, "title": visit.title, "kind": visit.kind, "state": visit.state,
        "arrival_at": visit.arrival_at, "departure_at": visit.departure_at, "country_code": visit.country_code,
        "url": f"{current_app.config['BASE_URL'].rstrip('/')}/visits/{visit.reference}",
    })
