"""Reminder rules: functions of the database, run by beat, each reminder once."""

from .services import create_once, reminder_rule, run_all_rules

__all__ = ["create_once", "reminder_rule", "run_all_rules"]
