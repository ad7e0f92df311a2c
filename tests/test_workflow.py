"""The shared workflow engine: roles, guards, comments, logs, optimistic locking."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from protocol_app.auth.models import User
from protocol_app.core import workflow
from protocol_app.core.audit import AuditEvent
from protocol_app.core.enums import LabelledEnum
from protocol_app.core.errors import ConcurrentChangeError, DomainError, NotAllowed
from protocol_app.core.permissions import Role
from protocol_app.extensions import db
from tests.support import make_user


class DocState(LabelledEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


def _not_own(doc, actor):
    return "four eyes" if doc.author_id == actor.id else None


DOC_WORKFLOW = workflow.Workflow(
    "test_doc",
    DocState,
    [
        workflow.transition("draft", "submit", "submitted", roles=[Role.OFFICER]),
        workflow.transition(
            "submitted", "approve", "approved", roles=[Role.MANAGER], guard=_not_own
        ),
        workflow.transition(
            "submitted", "return", "returned", roles=[Role.MANAGER], requires_comment=True
        ),
    ],
)


class ScratchBase(DeclarativeBase):
    pass


class Doc(workflow.WorkflowMixin, ScratchBase):
    """A throw-away record type that runs a workflow (table made by this test)."""

    __tablename__ = "wf_test_docs"
    __workflow__ = DOC_WORKFLOW

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(sa.Integer)


def _setup(app):
    """Create the test table, users and one document; return ids."""
    officer = make_user(app, "officer@example.org", roles=["officer"])
    manager = make_user(app, "manager@example.org", roles=["manager", "officer"])
    with app.app_context():
        ScratchBase.metadata.create_all(db.session.connection())
        doc = Doc(state="draft", author_id=officer)
        db.session.add(doc)
        db.session.commit()
        return officer, manager, doc.id


def test_declaring_an_unknown_state_is_refused():
    with pytest.raises(ValueError):
        workflow.Workflow("bad", DocState, [workflow.transition("draft", "x", "nowhere", roles=[])])


def test_apply_changes_state_and_writes_transition_and_audit_log(app):
    officer_id, manager_id, doc_id = _setup(app)
    with app.app_context():
        officer = db.session.get(User, officer_id)
        doc = db.session.get(Doc, doc_id)
        workflow.apply(doc, "submit", actor=officer, comment="bitte prüfen")
        db.session.commit()
        assert doc.state == "submitted" and doc.version == 2
        [entry] = workflow.history(DOC_WORKFLOW, doc_id)
        assert (entry.from_state, entry.to_state, entry.actor_id) == ("draft", "submitted", officer_id)
        assert entry.comment == "bitte prüfen"
        audit = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "test_doc.submit"))
        assert audit.changes == {"state": ["draft", "submitted"]} and audit.actor_id == officer_id


def test_role_guard_comment_and_state_are_enforced(app):
    officer_id, manager_id, doc_id = _setup(app)
    with app.app_context():
        officer = db.session.get(User, officer_id)
        manager = db.session.get(User, manager_id)
        doc = db.session.get(Doc, doc_id)
        with pytest.raises(DomainError):  # not possible from draft
            workflow.apply(doc, "approve", actor=manager)
        workflow.apply(doc, "submit", actor=officer)
        with pytest.raises(NotAllowed):  # wrong role
            workflow.apply(doc, "approve", actor=officer)
        with pytest.raises(DomainError) as exc:  # comment required
            workflow.apply(doc, "return", actor=manager, comment="  ")
        assert exc.value.field == "comment"
        assert [t.action for t in DOC_WORKFLOW.available(doc, manager)] == ["approve", "return"]
        doc.author_id = manager.id  # now the manager is the author: four-eyes guard
        with pytest.raises(NotAllowed):
            workflow.apply(doc, "approve", actor=manager)
        assert doc.state == "submitted"


def test_stale_form_version_is_refused(app):
    officer_id, _, doc_id = _setup(app)
    with app.app_context():
        officer = db.session.get(User, officer_id)
        doc = db.session.get(Doc, doc_id)
        with pytest.raises(ConcurrentChangeError):
            workflow.apply(doc, "submit", actor=officer, expected_version=doc.version - 1)
        assert doc.state == "draft"


@pytest.mark.postgres_only
def test_two_concurrent_decisions_exactly_one_applies(committing_app):
    """Two PostgreSQL connections decide the same record at the same time."""
    app = committing_app
    officer_id, manager_id, doc_id = _setup(app)
    with app.app_context():
        officer = db.session.get(User, officer_id)
        workflow.apply(db.session.get(Doc, doc_id), "submit", actor=officer)
        db.session.commit()
    make_user(app, "manager2@example.org", roles=["manager"])

    both_loaded = threading.Barrier(2)
    results = {}

    def decide(email, action, comment):
        with app.app_context():
            actor = db.session.scalar(sa.select(User).where(User.email == email))
            doc = db.session.get(Doc, doc_id)
            both_loaded.wait()
            try:
                workflow.apply(doc, action, actor=actor, comment=comment)
                db.session.commit()
                results[email] = "applied"
            except ConcurrentChangeError:
                db.session.rollback()
                results[email] = "conflict"

    threads = [
        threading.Thread(target=decide, args=("manager@example.org", "approve", None)),
        threading.Thread(target=decide, args=("manager2@example.org", "return", "Nachbessern")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results.values()) == ["applied", "conflict"]
    with app.app_context():
        doc = db.session.get(Doc, doc_id)
        assert doc.version == 3
        assert len(workflow.history(DOC_WORKFLOW, doc_id)) == 2
        db.session.close()  # release its locks before the DDL below
        ScratchBase.metadata.drop_all(db.engine)


def test_every_process_of_the_app_is_authorised_by_permissions_and_has_a_table(app):
    """Each record with a life cycle names its table; each step says which permission takes it."""
    workflows = {mapper.class_.__workflow__.name: mapper.class_.__workflow__
                 for mapper in db.Model.registry.mappers if hasattr(mapper.class_, "__workflow__")}
    assert {"visit", "event", "guest", "nomination", "assignment", "offer", "application"} <= set(workflows)
    for name, table in workflows.items():
        if name == "doc":  # the scratch process of these tests
            continue
        for step in table.transitions:
            assert step.permissions and not step.roles, (name, step.action)
