"""Press notes for the public website "Berlin International: Aktuelles": drafted by officers from a
visit or event that took place, approved by a manager, published in an Atom feed and a JSON list
in German and English."""
