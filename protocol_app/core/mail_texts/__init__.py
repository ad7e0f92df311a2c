"""The office's own words for its mails (invitations, reminders, confirmations, the notices of the
app): kinds registered by the domains with default words, changed by admins, versioned and
audited; each mail written with the words in force when it was queued."""

from .registry import LANGUAGES, MailKind, mail_kind, mail_kinds, register_mail_kind
from .services import placeholder_names, write_mail

__all__ = ["LANGUAGES", "MailKind", "mail_kind", "mail_kinds", "placeholder_names", "register_mail_kind", "write_mail"]
