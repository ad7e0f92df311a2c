"""The Golden Book of Berlin and the Gästebuch: who signed, when, on which page."""
