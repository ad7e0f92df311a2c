"""String enums with translated labels, stored as plain strings in the database."""

from __future__ import annotations

import enum


class LabelledEnum(enum.StrEnum):
    """An enum whose members carry a lazily translated label.

    Declare members as ``NAME = "value", _l("Label")``.
    """

    def __new__(cls, value, label=None):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label if label is not None else value
        return obj

    def __str__(self) -> str:
        return self.value

    @classmethod
    def choices(cls):
        """Return (value, label) pairs for a select field."""
        return [(member.value, member.label) for member in cls]

    @classmethod
    def labels(cls) -> dict[str, str]:
        """{value: label in the reader's language}, translated once (a list of 25 rows would
        otherwise translate the same few labels 25 times)."""
        return {member.value: str(member.label) for member in cls}
