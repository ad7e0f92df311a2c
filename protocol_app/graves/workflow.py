"""The life cycle of an honorary grave's recognition, of a suggestion and of a renewal batch.

A recognised grave whose term ends soon is put into a renewal batch (extension pending); the
Senate's decision of the batch extends it (recognised again, for 20 more years) or ends it.

A suggestion to recognise a grave goes to the Senate departments concerned for their
statements, then to the Rat der Bürgermeister, then to the Senate, which recognises (the grave
enters the register) or not; the five-years rule is checked before the decision.

A renewal batch (the Senate submission for the terms ending in the next 18 months) is drafted
by the officers grave by grave (extend or end, with a reason), submitted, and its decision
recorded by a manager for the whole batch at once: the extended terms move on by 20 years,
the others end.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from ..core.enums import LabelledEnum
from ..core.permissions import Permission
from ..core.workflow import Workflow, transition


class GraveStatus(LabelledEnum):
    RECOGNISED = "recognised", _l("Recognised")
    EXTENSION_PENDING = "extension_pending", _l("Extension pending")
    ENDED = "ended", _l("Ended")


#: A grave's recognition: put into a renewal batch, then extended or ended by the Senate's
#: decision of the batch (`renewals.carry_out` takes the steps for every grave of the batch).
GRAVE_WORKFLOW = Workflow("honorary_grave", GraveStatus, [
    transition("recognised", "propose_renewal", "extension_pending", permission=Permission.GRAVES_EDIT,
               label=_l("Put into a renewal batch")),
    transition("extension_pending", "extend", "recognised", permission=Permission.GRAVES_DECIDE,
               label=_l("Extended by the Senate")),
    transition("extension_pending", "end", "ended", permission=Permission.GRAVES_DECIDE,
               label=_l("Ended by the Senate")),
], state_attr="status")


class BatchState(LabelledEnum):
    DRAFT = "draft", _l("Being prepared")
    SUBMITTED = "submitted", _l("Submitted to the Senate")
    DECIDED = "decided", _l("Decided")


def every_grave_proposed(batch, actor):
    """Guard: a submission names a proposal and its reason for every grave in it."""
    from .renewals import unproposed  # renewals reads the models, which import this table

    missing = unproposed(batch)
    if missing:
        return lazy_ngettext("%(n)s grave still needs a proposal with its reason.",
                             "%(n)s graves still need a proposal with its reason.", missing, n=missing)
    return None


def apply_decision(batch, actor):
    """Effect: the Senate's decision moves the extended terms on and ends the others."""
    from .renewals import carry_out

    carry_out(batch, actor)


BATCH_WORKFLOW = Workflow("grave_batch", BatchState, [
    transition("draft", "submit", "submitted", permission=Permission.GRAVES_EDIT, label=_l("Submit to the Senate"),
               guard=every_grave_proposed),
    transition("submitted", "reopen", "draft", permission=Permission.GRAVES_EDIT, label=_l("Back to preparation"),
               requires_comment=True),
    transition("submitted", "decide", "decided", permission=Permission.GRAVES_DECIDE,
               label=_l("Record the Senate's decision"), effect=apply_decision),
])


class SuggestionState(LabelledEnum):
    RECEIVED = "received", _l("Suggestion received")
    DEPARTMENTS = "departments", _l("Statements of the Senate departments")
    COUNCIL = "council", _l("Statement of the Rat der Bürgermeister")
    RECOGNISED = "recognised", _l("Recognised by the Senate")
    NOT_RECOGNISED = "not_recognised", _l("Not recognised")


def has_department_statement(suggestion, actor):
    """Guard: the council is asked once a Senate department has given its statement."""
    if not any(s.by_council is False for s in suggestion.statements):
        return _l("Record the statement of at least one Senate department first.")
    return None


def council_and_five_years(suggestion, actor):
    """Guard: the Rat der Bürgermeister has spoken and the person died five years ago or more."""
    from .suggestions import five_years_problem

    if not any(s.by_council for s in suggestion.statements):
        return _l("Record the statement of the Rat der Bürgermeister first.")
    return five_years_problem(suggestion)


def enter_register(suggestion, actor):
    """Effect: the recognised grave enters the register with its first term."""
    from .suggestions import enter_register as enter

    enter(suggestion, actor)


SUGGESTION_WORKFLOW = Workflow("grave_suggestion", SuggestionState, [
    transition("received", "ask_departments", "departments", permission=Permission.GRAVES_EDIT,
               label=_l("Ask the Senate departments")),
    transition("departments", "ask_council", "council", permission=Permission.GRAVES_EDIT,
               label=_l("Ask the Rat der Bürgermeister"), guard=has_department_statement),
    transition("council", "recognise", "recognised", permission=Permission.GRAVES_DECIDE,
               label=_l("Recognised by the Senate"), guard=council_and_five_years, effect=enter_register),
    transition("council", "refuse", "not_recognised", permission=Permission.GRAVES_DECIDE,
               label=_l("Not recognised by the Senate"), requires_comment=True),
])
