"""Webhooks: neighbour systems told of events (see services)."""
