"""Shared building blocks: time, errors, database helpers, permissions, audit,
workflow, notifications, reminders and i18n. Domain packages import from here,
never from each other's views."""
