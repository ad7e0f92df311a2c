"""Protokoll: the workflow web app of a state protocol office."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from config import Config, ProductionConfig, config_from_env

from .core import logs
from .extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate
from .version import __version__


def create_app(config: type[Config] | None = None, **overrides) -> Flask:
    """Build the application from a configuration class plus keyword overrides."""
    config = config or config_from_env()
    app = Flask(__name__, instance_path=str(Path(Config.UPLOAD_DIR).parent.resolve()))
    app.config.from_object(config)
    app.config.update(overrides)
    if app.config.get("IS_PRODUCTION"):
        ProductionConfig.validate(app.config)
    # Login throttling must be shared by all web processes: Redis when there is one.
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    if app.config["RATELIMIT_STORAGE_URI"].startswith("redis"):
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", _redis_client_options(app.config))
    app.config["CELERY"] = Config.celery_settings(app.config)
    _prepare_folders(app)
    hops = app.config["TRUSTED_PROXY_HOPS"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # The TLS proxy's X-Forwarded-* headers, from exactly `hops` proxies, name the client.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    logs.configure(os.environ.get("LOG_LEVEL", "INFO"))
    logs.init_app(app)
    from .core import metrics

    metrics.init_app(app)
    for chatty in ("weasyprint", "fontTools"):  # progress lines for every PDF
        logging.getLogger(chatty).setLevel(logging.WARNING)

    _init_extensions(app)
    from .core.exports import ExportFormatConverter

    app.url_map.converters["export"] = ExportFormatConverter  # before the routes that use it
    _register_blueprints(app)
    from .core import static_assets

    static_assets.init_app(app)  # after the blueprints: Bootstrap's files are fingerprinted too
    _register_policies(app)
    _register_request_hooks(app)

    from .cli import register_cli

    register_cli(app)

    from .core.celery import celery_init_app

    celery_init_app(app)
    return app


def _redis_client_options(config) -> dict:
    """The request's short timeouts and no retries: with Redis refused or hung the limiter falls
    back to memory after REDIS_REQUEST_TIMEOUT, and re-checks the storage no slower."""
    from .core.broker import request_client_options

    return request_client_options(config)


def _prepare_folders(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.config["SQLALCHEMY_DATABASE_URI"][len("sqlite:///") :]).parent.mkdir(
            parents=True, exist_ok=True
        )
    Path(app.config["UPLOAD_DIR"]).mkdir(parents=True, exist_ok=True)
    if not app.config.get("REDIS_URL"):
        Path(app.config["EMBEDDED_BROKER_DIR"]).mkdir(parents=True, exist_ok=True)


def _init_extensions(app: Flask) -> None:
    from .core import i18n, security

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent.parent / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    bootstrap.init_app(app)
    babel.init_app(
        app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone
    )
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    i18n.init_app(app)
    security.init_app(app)
    _import_models()


def _import_models() -> None:
    # Every model module must be imported so that Alembic sees the whole schema.
    from .admin import notices as _admin_notices  # noqa: F401 (admin card, outbox-failed rule)
    from .auth import models as _auth  # noqa: F401
    from .calendar import models as _calendar  # noqa: F401
    from .core import files as _files  # noqa: F401
    from .core import heartbeats as _heartbeats  # noqa: F401
    from .core import letters as _letters  # noqa: F401
    from .core import references as _references  # noqa: F401
    from .core import workflow as _workflow  # noqa: F401
    from .core.audit import chain as _audit_chain  # noqa: F401
    from .core.audit import models as _audit  # noqa: F401
    from .core.checklists import models as _checklists  # noqa: F401
    from .core.mail_texts import models as _mail_texts  # noqa: F401
    from .core.notifications import models as _notifications  # noqa: F401
    from .core.reminders import models as _reminders  # noqa: F401
    from .core.webhooks import models as _webhooks  # noqa: F401
    from .directory import models as _directory  # noqa: F401

    # What each domain can find in the global search.
    from .directory import search as _directory_search  # noqa: F401
    from .emigrants import calendar_source as _emigrant_calendar  # noqa: F401
    from .emigrants import models as _emigrants  # noqa: F401
    from .emigrants import reminders as _emigrant_reminders  # noqa: F401
    from .emigrants import retention as _emigrant_retention  # noqa: F401
    from .emigrants import volunteer as _emigrant_volunteer  # noqa: F401 (its reminder rule)
    from .events import calendar_source as _event_calendar  # noqa: F401
    from .events import models as _events  # noqa: F401
    from .events import needs as _event_needs  # noqa: F401 (the needs' retention rule)

    # What each domain tells a partnership's page.
    from .events import partner_history as _event_history  # noqa: F401
    from .events import reminders as _event_reminders  # noqa: F401
    from .events import search as _event_search  # noqa: F401
    from .goldenbook import models as _goldenbook  # noqa: F401
    from .goldenbook import reminders as _goldenbook_reminders  # noqa: F401
    from .graves import models as _graves  # noqa: F401
    from .graves import reminders as _grave_reminders  # noqa: F401
    from .honours import models as _honours  # noqa: F401
    from .honours import reminders as _honours_reminders  # noqa: F401
    from .honours import search as _honours_search  # noqa: F401
    from .language_service import calendar_source as _assignment_calendar  # noqa: F401
    from .language_service import models as _language_service  # noqa: F401
    from .language_service import reminders as _language_reminders  # noqa: F401
    from .language_service import search as _assignment_search  # noqa: F401
    from .news import models as _news  # noqa: F401
    from .news import reminders as _news_reminders  # noqa: F401
    from .partnerships import models as _partnerships  # noqa: F401
    from .partnerships import reminders as _partnership_reminders  # noqa: F401
    from .visits import models as _visits  # noqa: F401
    from .visits import partner_history as _visit_history  # noqa: F401
    from .visits import reminders as _visit_reminders  # noqa: F401
    from .visits import search as _visit_search  # noqa: F401


def _register_policies(app: Flask) -> None:
    """Each domain's `permissions` module for templates, so that a page asks the same policy as
    its view: ``{% if policies.honours.can_edit(current_user, case) %}``."""
    from types import SimpleNamespace

    from .emigrants import permissions as emigrants
    from .events import permissions as events
    from .goldenbook import permissions as goldenbook
    from .honours import permissions as honours
    from .language_service import permissions as language_service
    from .news import permissions as news
    from .partnerships import permissions as partnerships
    from .visits import permissions as visits

    app.jinja_env.globals["policies"] = SimpleNamespace(
        visits=visits, events=events, honours=honours, language_service=language_service, emigrants=emigrants,
        goldenbook=goldenbook, news=news, partnerships=partnerships)


def _register_blueprints(app: Flask) -> None:
    from .admin import checklists as _admin_checklists  # noqa: F401 (adds routes to admin_bp)
    from .admin import letters as _admin_letters  # noqa: F401 (adds routes to admin_bp)
    from .admin import mail_texts as _admin_mail_texts  # noqa: F401 (adds routes to admin_bp)
    from .admin import webhooks as _admin_webhooks  # noqa: F401 (adds routes to admin_bp)
    from .admin.views import bp as admin_bp
    from .auth import token_pages as _token_pages  # noqa: F401 (adds the API token page to auth_bp)
    from .auth.views import bp as auth_bp
    from .calendar import cards as _calendar_cards  # noqa: F401 (registers the start-page card)
    from .calendar.views import bp as calendar_bp
    from .core.permissions import enforce_login
    from .core.search.views import bp as search_bp
    from .core.views import bp as core_bp
    from .directory.views import bp as directory_bp
    from .emigrants import cards as _emigrant_cards  # noqa: F401 (registers the start-page cards)
    from .emigrants.views import bp as emigrants_bp
    from .events import cards as _event_cards  # noqa: F401 (registers the start-page card)
    from .events.views import bp as events_bp
    from .goldenbook.views import bp as goldenbook_bp
    from .graves import cards as _grave_cards  # noqa: F401 (registers the start-page card)
    from .graves.views import bp as graves_bp
    from .honours import cards as _honours_cards  # noqa: F401 (registers the start-page card)
    from .honours.views import bp as honours_bp
    from .honours.views.public_pages import bp as honours_public_bp
    from .language_service import cards as _language_cards  # noqa: F401 (registers the start-page cards)
    from .language_service.views import bp as translations_bp
    from .news import cards as _news_cards  # noqa: F401 (registers the start-page card)
    from .news.views import bp as news_bp
    from .news.views.public import bp as news_public_bp
    from .partnerships import cards as _partnership_cards  # noqa: F401 (registers the start-page card)
    from .partnerships.views import bp as partnerships_bp
    from .visits import calendar_source as _visit_calendar  # noqa: F401 (registers the source)
    from .visits.views import bp as visits_bp

    for bp in (core_bp, auth_bp, admin_bp, directory_bp, visits_bp, calendar_bp, events_bp, honours_bp,
               translations_bp, emigrants_bp, graves_bp, goldenbook_bp, partnerships_bp, news_bp, news_public_bp,
               honours_public_bp, search_bp):
        app.register_blueprint(bp)
    _register_api(app)
    enforce_login(app)


def _register_api(app: Flask) -> None:
    """The domains' parts of the JSON API, and its document generated from them."""
    from .calendar.api import bp as calendar_api
    from .core import api
    from .directory.api import bp as directory_api
    from .events.api import bp as events_api
    from .news.api import bp as news_api
    from .visits.api import bp as visits_api

    api.init_app(app, [visits_api, events_api, calendar_api, directory_api, news_api])


def _register_request_hooks(app: Flask) -> None:
    from .core.api import is_api_request
    from .core.db import commit_or_rollback
    from .core.errors import is_conflict
    from .core.navigation import menus_for, nav_for
    from .core.notifications.services import unread_count
    from .core.permissions import Permission, Role, is_static_request, user_has

    @app.before_request
    def _finish_sign_in_first():
        # One ordered flow (new password, then second factor, then the page asked for): a
        # session that still owes a step reaches nothing else of the app.
        if is_static_request():  # the files: nobody's session to look up
            return None
        if current_user and current_user.is_authenticated and not is_api_request():  # a token owes no step
            from .auth.sessions import current_session
            from .auth.sign_in_flow import redirect_to_pending_step

            return redirect_to_pending_step(current_user, current_session())
        return None

    @app.after_request
    def _commit_unit_of_work(response):
        # The one commit of a request: services only flush. Error responses roll back.
        try:
            commit_or_rollback(response.status_code < 400)
        except Exception as exc:
            from .core.security import conflict_response, is_database_outage, outage_page

            if is_database_outage(exc):  # the database went away between the view and its commit
                return app.make_response(outage_page())
            # A race lost only at commit is a conflict too, never a 500.
            if not is_conflict(exc):
                raise
            body, status = conflict_response(exc)
            return app.make_response((body, status))
        return response

    @app.context_processor
    def _layout_context():
        if not (current_user and current_user.is_authenticated):  # None outside requests
            return {"nav_items": [], "nav_menus": [], "unread_notifications": 0, "Permission": Permission}
        try:
            unread = unread_count(current_user)
        except SQLAlchemyError:  # the error page of a database outage must still render
            db.session.rollback()
            unread = 0
        from .auth.sessions import current_session
        from .auth.sign_in_flow import pending_step

        # While the sign-in still owes a step, the menus would only lead back to it.
        nav_items = [] if pending_step(current_user, current_session()) else nav_for(current_user)
        return {
            "nav_items": nav_items,
            "nav_menus": menus_for(nav_items),
            "unread_notifications": unread,
            "Permission": Permission,
            "user_has": user_has,
            # The admin's footer names the release (support asks for it; nobody else needs it).
            "app_version": __version__ if Role.ADMIN in current_user.roles else None,
        }
