"""Berlin's 18 city partnerships: agreements, cooperation, contacts, networks, activities, jubilees."""
