"""Reminder rules: functions of the database, run by beat, each reminder once."""

from .services import (
    create_once,
    create_reminders,
    remind_once,
    reminder_key,
    reminder_rule,
    run_all_rules,
)

__all__ = ["create_once", "create_reminders", "remind_once", "reminder_key", "reminder_rule", "run_all_rules"]
