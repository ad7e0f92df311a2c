"""Directory: countries, partner cities, venues (missions and contacts follow)."""
