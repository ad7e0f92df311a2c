"""Events: ceremonies, commemorations and receptions of the Land."""
