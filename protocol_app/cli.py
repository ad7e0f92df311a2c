"""Flask CLI commands: reference data and demo data."""

from __future__ import annotations

import os

import click
import sqlalchemy as sa
from flask import current_app

from .extensions import db

DEMO_PASSWORD = "Protokoll-Demo-2026"  # noqa: S105 (demo only, refused in production)

#: (e-mail, name, roles, post) of the demo accounts; password DEMO_PASSWORD, demo only.
DEMO_USERS = [
    ("admin@protokoll.example", "Anna Admin", ["admin"], None),
    ("referent@protokoll.example", "Rainer Referent", ["officer"], None),
    ("referentin@protokoll.example", "Petra Prüferin", ["officer"], None),
    ("leitung@protokoll.example", "Lena Leitung", ["manager"], "head_of_unit"),
    ("abteilungsleitung@protokoll.example", "Anton Abteilungsleiter", ["manager"], "head_of_department"),
    ("dolmetscher@protokoll.example", "Dora Dolmetscherin", ["translator"], None),
    ("dolmetscherin@protokoll.example", "Jana Jansen", ["translator"], None),
    ("uebersetzer@protokoll.example", "Ulrich Übersetzer", ["translator"], None),
    ("emigration@protokoll.example", "Emil Emigrantenprogramm", ["emigration"], None),
    ("leser@protokoll.example", "Lea Leserin", ["viewer"], None),
]


#: Who signs the demo's letters (fictional): (name, function in German, in English) per kind of letter.
DEMO_SIGNATORIES = {
    "honours.certificate": ("Karla Beispiel", "Regierende Bürgermeisterin von Berlin", "Governing Mayor of Berlin"),
    "events.invitation": ("Karla Beispiel", "Regierende Bürgermeisterin von Berlin", "Governing Mayor of Berlin"),
    "emigrants.invitation": ("Dr. Jonas Muster", "Chef des Protokolls", "Chief of Protocol"),
    "emigrants.confirmation": ("Miriam Team", "Besuchsprogramm für ehemalige Berlinerinnen und Berliner",
                               "Visitor programme for former Berliners"),
    "emigrants.thanks": ("Dr. Jonas Muster", "Chef des Protokolls", "Chief of Protocol"),
}


def seed_demo_letters(admin) -> int:
    """Name the demo's signatories where none is named yet."""
    from .core import letters

    named = letters.signatories()
    for kind, (name, function_de, function_en) in DEMO_SIGNATORIES.items():
        if kind in letters.LETTER_KINDS and kind not in named:
            letters.save_signatory(kind, actor=admin, name=name, function_de=function_de, function_en=function_en)
    return len(DEMO_SIGNATORIES)


def seed_demo_data() -> dict:
    """Create the demo users and reference data; safe to run repeatedly."""
    from .auth.services import ensure_user
    from .emigrants.demo import seed_demo_emigrants
    from .events.demo import seed_demo_events
    from .goldenbook.demo import seed_demo_book_entries
    from .graves.demo import seed_demo_graves
    from .honours.demo import seed_demo_honours
    from .language_service.demo import seed_demo_assignments, seed_demo_profiles
    from .news.demo import seed_demo_news
    from .partnerships.demo import seed_demo_partnerships
    from .reference_data import load_reference_data
    from .visits.demo import demo_visit_ids, seed_demo_visits

    counts = load_reference_data()
    users = {
        email: ensure_user(email=email, full_name=name, roles=roles, password=DEMO_PASSWORD, position=post)
        for email, name, roles, post in DEMO_USERS
    }
    counts["users"] = len(DEMO_USERS)
    counts["visits"] = seed_demo_visits(
        users["referent@protokoll.example"], users["leitung@protokoll.example"]
    )
    counts["events"] = seed_demo_events(users["referent@protokoll.example"])
    counts["translator_profiles"] = seed_demo_profiles(users, users["referent@protokoll.example"])
    if counts["translator_profiles"]:
        counts["assignments"] = seed_demo_assignments(users, users["referent@protokoll.example"])
    counts["nominations"] = seed_demo_honours(
        users["referent@protokoll.example"], users["referentin@protokoll.example"],
        users["leitung@protokoll.example"], users["abteilungsleitung@protokoll.example"],
    )
    counts["signatories"] = seed_demo_letters(users["admin@protokoll.example"])
    counts["emigrant_applications"] = seed_demo_emigrants(
        users["emigration@protokoll.example"], users["admin@protokoll.example"]
    )
    counts["honorary_graves"] = seed_demo_graves()
    counts["book_entries"] = seed_demo_book_entries(users["referent@protokoll.example"])
    counts["partnerships"] = seed_demo_partnerships(users["referent@protokoll.example"])
    counts["press_notes"] = seed_demo_news(users["referent@protokoll.example"], users["leitung@protokoll.example"],
                                           demo_visit_ids())
    return counts


def register_cli(app) -> None:
    @app.cli.command("seed-reference")
    def seed_reference():
        """Load countries, partner cities and venues (idempotent, safe in production)."""
        from .reference_data import load_reference_data

        counts = load_reference_data()
        db.session.commit()
        click.echo(f"reference data added: {counts}")

    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Only when the database has no users yet.")
    def seed_demo(if_empty):
        """Create demo users and data (idempotent; refused in production)."""
        if current_app.config.get("IS_PRODUCTION"):
            raise click.ClickException("seed-demo refuses to run in production.")
        if if_empty:
            from .auth.models import User

            if db.session.scalar(sa.select(sa.func.count(User.id))):
                click.echo("database has users already; demo data not loaded")
                return
        counts = seed_demo_data()
        db.session.commit()
        click.echo(f"demo data ready: {counts}")

    @app.cli.command("seed-bulk")
    @click.option("--visits", default=20000, show_default=True)
    @click.option("--items", default=200000, show_default=True)
    @click.option("--tasks", default=100000, show_default=True)
    def seed_bulk_command(visits, items, tasks):
        """Add bulk visits for benchmarks (refused in production)."""
        if current_app.config.get("IS_PRODUCTION"):
            raise click.ClickException("seed-bulk refuses to run in production.")
        from .auth.models import User, UserRole
        from .visits.bulk import seed_bulk

        seed_demo_data()
        officers = list(db.session.scalars(
            sa.select(User.id).join(UserRole).where(UserRole.role == "officer")))
        counts = seed_bulk(visits=visits, items=items, tasks=tasks, officer_ids=officers)
        db.session.commit()
        click.echo(f"bulk data added: {counts}")

    @app.cli.command("backup")
    @click.option("--output", type=click.Path(dir_okay=False), default=None,
                  help="Archive to write (default: BACKUP_DIR/protokoll-<time>.tar.gz[.age]).")
    def backup_command(output):
        """Write the database and the uploaded files into one archive with a manifest, encrypted
        for BACKUP_RECIPIENTS; then delete archives older than BACKUP_KEEP_DAYS."""
        import time
        from pathlib import Path

        from .core.backup import BackupError, create_backup, remove_old_archives
        from .core.heartbeats import record
        from .core.time import now_utc

        config = current_app.config
        recipients = config["BACKUP_RECIPIENTS"]
        if not recipients and config.get("IS_PRODUCTION"):
            raise click.ClickException("BACKUP_RECIPIENTS is unset: production writes encrypted backups only "
                                       "(flask backup-keygen makes a key pair)")
        if output is None:
            stamp = now_utc().strftime("%Y%m%d-%H%M%S")
            output = Path(config["BACKUP_DIR"]) / f"protokoll-{stamp}.tar.gz{'.age' if recipients else ''}"
        started = time.monotonic()
        try:
            manifest = create_backup(output, recipients)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from exc
        record(db.session.connection(), "backup", duration=time.monotonic() - started,
               value=Path(output).stat().st_size)
        db.session.commit()
        removed = remove_old_archives(Path(output).parent, config["BACKUP_KEEP_DAYS"]) \
            if config["BACKUP_KEEP_DAYS"] > 0 else []
        rows = sum(manifest["tables"].values())
        click.echo(f"backup written: {output} ({len(manifest['tables'])} tables, {rows} rows, "
                   f"{len(manifest['files'])} files, revision {manifest['revision']}, "
                   f"{'encrypted' if recipients else 'NOT encrypted'}); {len(removed)} older archives removed")

    @app.cli.command("backup-keygen")
    def backup_keygen():
        """Make an age key pair for the backups: the public key for BACKUP_RECIPIENTS on the hosts,
        the secret key for BACKUP_IDENTITY where restores are done (a vault, not the hosts)."""
        import pyrage

        identity = pyrage.x25519.Identity.generate()
        click.echo(f"BACKUP_RECIPIENTS={identity.to_public()}")
        click.echo(f"BACKUP_IDENTITY={identity}")

    @app.cli.command("restore")
    @click.argument("archive", type=click.Path(exists=True, dir_okay=False))
    def restore_command(archive):
        """Load a backup archive into an empty database and upload folder, then verify it."""
        from .core.backup import BackupError, restore_backup

        try:
            report = restore_backup(archive, current_app.config["BACKUP_IDENTITY"])
        except BackupError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"restored and verified: {report.tables} tables, {report.rows} rows, {report.files} files")

    @app.cli.command("outbox-resend")
    @click.option("--id", "mail_ids", type=int, multiple=True, help="Only these mails (repeatable).")
    def outbox_resend(mail_ids):
        """Queue failed and unconfirmed mails again (all of them, or those given by --id)."""
        from .core.notifications.delivery import resend
        from .core.notifications.models import MailStatus, OutboxMail

        if not mail_ids:
            mail_ids = list(db.session.scalars(sa.select(OutboxMail.id).where(
                OutboxMail.status.in_([MailStatus.FAILED.value, MailStatus.UNCERTAIN.value]))))
        count = resend(mail_ids, actor=None)
        db.session.commit()
        click.echo(f"{count} mail(s) queued again")

    @app.cli.group("audit")
    def audit_group():
        """The audit log's hash chain."""

    @audit_group.command("seal")
    def audit_seal():
        """Seal the audit events not yet in the chain (the beat does this every minute)."""
        from .core.audit.chain import seal_audit_log

        count = seal_audit_log()
        db.session.commit()
        click.echo(f"{count} audit event(s) sealed")

    @audit_group.command("verify")
    @click.option("--anchors", type=click.Path(exists=True, dir_okay=False),
                  help="Anchor file or syslog/journal export (default: AUDIT_ANCHOR_FILE).")
    def audit_verify(anchors):
        """Recompute the chain and compare its head with the newest anchor kept outside the
        database; name the first broken or missing link (exit 1 if any)."""
        from .core.audit.anchor import compare_with_anchor, newest_anchor
        from .core.audit.chain import verify_chain

        report = verify_chain()
        source = anchors or app.config.get("AUDIT_ANCHOR_FILE")
        anchor = newest_anchor(source) if source and os.path.exists(source) else None
        if anchor is None:
            click.echo("note: no anchor compared (set AUDIT_ANCHOR_FILE or pass --anchors with an export of "
                       "the log, e.g. `journalctl -t protokoll-audit -o cat`)")
        else:
            report.problems[:0] = compare_with_anchor(anchor)
        if report.unsealed_overdue:
            click.echo(f"warning: {report.unsealed_overdue} event(s) older than 10 minutes not sealed "
                       "(is the beat running?)")
        if report.ok:
            click.echo(f"audit chain intact: {report.sealed} links")
            return
        click.echo(f"audit chain BROKEN: {len(report.problems)} problem(s) in {report.sealed} links; first: "
                   f"{report.problems[0]}")
        for problem in report.problems[1:20]:
            click.echo(f"  also: {problem}")
        raise SystemExit(1)

    @app.cli.command("grants")
    @click.option("--role", default="protokoll_app", show_default=True, help="The app's database role.")
    @click.option("--schema", default="public", show_default=True)
    @click.option("--apply", "apply_now", is_flag=True,
                  help="Run them (as the schema owner) instead of printing them; the image's `migrate` does.")
    def grants(role, schema, apply_now):
        """Print (or apply) the GRANTs that let the app's role work without owning (or erasing) anything."""
        from .core.audit.chain import grants_sql

        statements = grants_sql(role, schema)
        if not apply_now:
            click.echo(statements, nl=False)
            return
        if db.engine.dialect.name != "postgresql":
            raise click.ClickException("grants apply to PostgreSQL only")
        db.session.connection().exec_driver_sql(statements)
        db.session.commit()
        click.echo(f"grants for {role} applied")

    from flask.cli import AppGroup

    keys = AppGroup("keys", help="The app's keys (README: Rotating keys).")
    app.cli.add_command(keys)

    @keys.command("rotate")
    def keys_rotate():
        """Seal every sealed value (TOTP secrets, mails not yet sent) again with the newest key."""
        from .core.audit import record_event
        from .core.sealing import reseal_all

        done = reseal_all()
        summary = ", ".join(f"{name}: {count}" for name, count in done.items())
        record_event("keys.rotate", summary=summary)
        db.session.commit()
        click.echo(f"re-sealed with the newest key: {summary}")
        if any(name.endswith("unreadable") for name in done):
            raise click.ClickException("some values open with no key of the ring: they stay as they are")

    @app.cli.command("version")
    def version_command():
        """Print the release's version (the same as /healthz and the image's label)."""
        from .version import __version__

        click.echo(__version__)

    @app.cli.command("create-admin")
    @click.option("--email", required=True)
    @click.option("--name", required=True)
    def create_admin(email, name):
        """Create the first admin account and print its temporary password."""
        from .auth.services import create_user, find_user_by_email

        if find_user_by_email(email):
            raise click.ClickException("a user with this e-mail exists already")
        user, temporary = create_user(actor=None, email=email, full_name=name, roles=["admin"])
        db.session.commit()
        click.echo(f"admin {user.email} created; temporary password: {temporary}")
