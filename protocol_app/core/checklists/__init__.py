"""Checklists: templates of dated tasks per kind of record, and the tasks."""
