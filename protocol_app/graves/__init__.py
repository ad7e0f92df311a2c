"""Ehrengrabstätten: the Land's register of honorary graves, their renewal batches and reminders."""
