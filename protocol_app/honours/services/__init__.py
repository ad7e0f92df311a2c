"""Rules of honours, one module per use case: recording a case and its parts (`cases`),
moving it through its approval chain and recording the Senate's decision (`approval`),
the register of holders (`holders`) and the chain's steps kept by admins (`approval_chain`).

Every function takes the acting user, runs in one SAVEPOINT and is audited. Audit
entries name the case by reference and list changed fields, never the nominee's data.
This package's namespace is the domain's service interface for views, tasks and others.
"""

from ..workflow import involvement
from .approval import (
    approve_step,
    forward,
    mark_awarded,
    record_decision,
    return_step,
    return_to_draft,
    schedule_ceremony,
    start_review,
    submit,
    waiting_for,
    withdraw,
)
from .approval_chain import DECIDING_ROLES, add_step, remove_last_step
from .cases import (
    CASE_FIELDS,
    NOMINATION_PARTS,
    SCOPE,
    add_disclosure,
    add_merit,
    create_case,
    editable,
    erase_due_disclosures,
    log_read,
    receive_statement,
    record_death,
    remove_merit,
    request_statement,
    today,
    undo_death,
    update_case,
)
from .holders import add_holder, correct_holder, record_holder_death, revoke, undo_holder_death
from .public_suggestions import (
    MAX_LETTERS,
    PUBLIC_FIELDS,
    public_award_choices,
    receive_public_suggestion,
)

__all__ = [
    "MAX_LETTERS", "PUBLIC_FIELDS", "public_award_choices", "receive_public_suggestion", "CASE_FIELDS", "DECIDING_ROLES", "NOMINATION_PARTS", "SCOPE", "add_disclosure", "add_holder", "add_merit",
    "add_step", "approve_step", "create_case", "editable", "erase_due_disclosures", "forward", "involvement",
    "log_read", "mark_awarded", "receive_statement", "record_death", "record_decision", "record_holder_death",
    "remove_last_step", "remove_merit", "request_statement", "return_step", "return_to_draft", "revoke",
    "schedule_ceremony", "start_review", "submit", "today", "update_case", "waiting_for", "withdraw",
    "correct_holder", "undo_death", "undo_holder_death",
]
