"""Configuration classes, read from environment variables (and `.env` in development).

Every variable, its default and its meaning is listed in README.md ("Configuration").
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("PROTOKOLL_INSTANCE_DIR", BASE_DIR / "instance"))

load_dotenv(BASE_DIR / ".env")

#: Only the development and testing classes may fall back to this; production refuses it.
INSECURE_DEFAULT_SECRET = "dev-only-insecure-secret-key-change-me"  # noqa: S105 (refused in production)


def _env_secret(name: str, default: str | None = None) -> str | None:
    """A setting that may be a secret: read from the file named by NAME_FILE when that is set
    (container and systemd credentials, Kubernetes secrets mounted as files), else from NAME.

    Setting both is refused: which one wins would otherwise be a guess the operator cannot see.
    """
    path = os.environ.get(f"{name}_FILE")
    if path:
        if os.environ.get(name):
            raise RuntimeError(f"Set either {name} or {name}_FILE, not both.")
        try:
            value = Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise RuntimeError(f"{name}_FILE={path} cannot be read: {exc.strerror}") from None
        if not value:
            raise RuntimeError(f"{name}_FILE={path} is empty.")
        return value
    return os.environ.get(name) or default


def _env_secret_list(name: str) -> list[str]:
    """Several secrets (old keys still accepted): NAME_FILE one per line, or NAME comma-separated."""
    value = _env_secret(name)
    if not value:
        return []
    separator = "\n" if os.environ.get(f"{name}_FILE") else ","
    return [item.strip() for item in value.split(separator) if item.strip()]


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = _env_secret("SECRET_KEY", INSECURE_DEFAULT_SECRET)
    #: Keys of before the last rotation, still accepted: sessions and signed links (Flask), sealed
    #: data and reply links (protocol_app/core/sealing.py). README "Rotating keys".
    SECRET_KEY_FALLBACKS = _env_secret_list("SECRET_KEY_FALLBACKS")
    SQLALCHEMY_DATABASE_URI = _env_secret("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'protokoll.sqlite'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = _env_secret("REDIS_URL")
    #: Where each sealed head of the audit chain is anchored outside the database
    #: (protocol_app/core/audit/anchor.py): syslog/journald, and a file the database owner cannot rewrite.
    AUDIT_ANCHOR_SYSLOG = _env_bool("AUDIT_ANCHOR_SYSLOG", True)
    AUDIT_ANCHOR_FILE = os.environ.get("AUDIT_ANCHOR_FILE") or None
    #: Seconds the worker, beat and publisher wait for Redis to accept a connection, and for an answer.
    REDIS_CONNECT_TIMEOUT = _env_float("REDIS_CONNECT_TIMEOUT", 0.5)
    REDIS_SOCKET_TIMEOUT = _env_float("REDIS_SOCKET_TIMEOUT", 2.0)
    #: What a web request waits for Redis at most, per connection and per answer (the rate limits'
    #: counts and the health check): refused or hung, Redis costs a request a fraction of a second.
    #: Requests never publish mails themselves (a background thread of the process does).
    REDIS_REQUEST_TIMEOUT = _env_float("REDIS_REQUEST_TIMEOUT", 0.2)
    #: Where the embedded broker keeps its message files when REDIS_URL is unset.
    EMBEDDED_BROKER_DIR = os.environ.get("EMBEDDED_BROKER_DIR", str(INSTANCE_DIR / "broker"))
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    #: Where `flask backup` writes its archives (mode 0600 in a folder of mode 0700).
    BACKUP_DIR = os.environ.get("BACKUP_DIR", str(INSTANCE_DIR / "backups"))
    #: age public keys (age1…) the archives are encrypted for; production refuses to back up without.
    BACKUP_RECIPIENTS = _env_secret_list("BACKUP_RECIPIENTS")
    #: The age secret key (AGE-SECRET-KEY-…) that opens them, for `flask restore` only — keep it
    #: off the hosts that make backups.
    BACKUP_IDENTITY = _env_secret_list("BACKUP_IDENTITY")
    #: Archives older than this many days are deleted after each backup (0: keep all).
    BACKUP_KEEP_DAYS = _env_int("BACKUP_KEEP_DAYS", 30)
    MAX_UPLOAD_FILE_MB = _env_int("MAX_UPLOAD_MB", 20)
    #: Requests beyond this are cut off by the server (413) before reaching a view.
    MAX_CONTENT_LENGTH = (MAX_UPLOAD_FILE_MB + 5) * 1024 * 1024

    # Sessions
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    SESSION_COOKIE_NAME = "protokoll_session"
    SESSION_IDLE_MINUTES = _env_int("SESSION_IDLE_MINUTES", 30)
    SESSION_ABSOLUTE_HOURS = _env_int("SESSION_ABSOLUTE_HOURS", 10)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=SESSION_ABSOLUTE_HOURS)
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)

    # Login protection
    LOGIN_MAX_FAILURES = _env_int("LOGIN_MAX_FAILURES", 5)
    LOGIN_LOCK_MINUTES = _env_int("LOGIN_LOCK_MINUTES", 15)
    LOGIN_RATE_LIMIT_IP = os.environ.get("LOGIN_RATE_LIMIT_IP", "30 per 5 minutes")
    LOGIN_RATE_LIMIT_ACCOUNT = os.environ.get("LOGIN_RATE_LIMIT_ACCOUNT", "10 per 5 minutes")

    # Sign-in with the office directory (Active Directory or OpenLDAP); off while LDAP_URL is
    # empty. Always encrypted: ldaps://… or ldap://… with StartTLS, the server's certificate
    # checked against LDAP_CA_FILE (or the system's CAs).
    LDAP_URL = os.environ.get("LDAP_URL") or None
    LDAP_CA_FILE = os.environ.get("LDAP_CA_FILE") or None
    #: The account that looks up a user's entry and groups (empty: anonymous look-up).
    LDAP_BIND_DN = os.environ.get("LDAP_BIND_DN") or None
    LDAP_BIND_PASSWORD = _env_secret("LDAP_BIND_PASSWORD")
    LDAP_USER_BASE = os.environ.get("LDAP_USER_BASE", "")
    #: Finds the entry of the e-mail address typed ({email}, escaped).
    LDAP_USER_FILTER = os.environ.get("LDAP_USER_FILTER", "(mail={email})")
    #: An entry that does not match is a disabled account (default: Active Directory's
    #: ACCOUNTDISABLE bit of userAccountControl).
    LDAP_ACTIVE_FILTER = os.environ.get("LDAP_ACTIVE_FILTER", "(!(userAccountControl:1.2.840.113556.1.4.803:=2))")
    LDAP_GROUP_BASE = os.environ.get("LDAP_GROUP_BASE", "")
    #: The groups of the entry {dn} (escaped).
    LDAP_GROUP_FILTER = os.environ.get("LDAP_GROUP_FILTER", "(member={dn})")
    #: JSON: group DN → role or list of roles, e.g. {"cn=protokoll-referat,ou=groups,dc=berlin,dc=de": "officer"}.
    LDAP_GROUP_ROLES = os.environ.get("LDAP_GROUP_ROLES", "{}")
    LDAP_NAME_ATTRIBUTE = os.environ.get("LDAP_NAME_ATTRIBUTE", "displayName")
    # The entry's stable identifier an account is tied to (OpenLDAP: entryUUID; AD: objectGUID):
    # an address typed another way never finds, nor makes, a second account for the same entry.
    LDAP_UUID_ATTRIBUTE = os.environ.get("LDAP_UUID_ATTRIBUTE", "entryUUID")
    LDAP_TIMEOUT_SECONDS = _env_int("LDAP_TIMEOUT_SECONDS", 5)
    #: How often the beat asks the directory about the accounts with open sessions.
    LDAP_RECHECK_SECONDS = _env_int("LDAP_RECHECK_SECONDS", 900)

    # Sign-in with the Land's login (OpenID Connect: Keycloak, openDesk's Nubus, a municipal
    # portal); off while OIDC_ISSUER is empty. The authorization code flow with PKCE; the ID
    # token's issuer, audience, nonce and signature (the provider's published keys) are checked.
    OIDC_ISSUER = os.environ.get("OIDC_ISSUER") or None
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID") or None
    OIDC_CLIENT_SECRET = _env_secret("OIDC_CLIENT_SECRET")
    #: Further scopes to ask for besides openid, email and profile (e.g. "roles" or "groups").
    OIDC_EXTRA_SCOPES = os.environ.get("OIDC_EXTRA_SCOPES", "")
    #: The claim that names the user's groups, and JSON: group → role or list of roles, e.g.
    #: {"/protokoll/referat": "officer"}. A user in no mapped group is not let in.
    OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "groups")
    OIDC_GROUP_ROLES = os.environ.get("OIDC_GROUP_ROLES", "{}")
    #: Authentication methods (the ID token's "amr") that count as a second factor given at the
    #: provider; empty: the app asks its own code of the roles that need one, whatever the provider did.
    OIDC_MFA_METHODS = os.environ.get("OIDC_MFA_METHODS", "mfa,otp,hwk,swk,sms")
    OIDC_TIMEOUT_SECONDS = _env_int("OIDC_TIMEOUT_SECONDS", 5)

    # Second factor (TOTP): asked at every login of a user holding one of these roles (or who
    # enrolled), and again when the last code is older than SECOND_FACTOR_MAX_AGE_HOURS.
    SECOND_FACTOR_ROLES = os.environ.get("SECOND_FACTOR_ROLES", "admin,manager,emigration")
    SECOND_FACTOR_MAX_AGE_HOURS = _env_int("SECOND_FACTOR_MAX_AGE_HOURS", 8)
    #: The name the authenticator app shows beside the account.
    SECOND_FACTOR_ISSUER = os.environ.get("SECOND_FACTOR_ISSUER", "Protokoll Berlin")
    SECOND_FACTOR_RATE_LIMIT = os.environ.get("SECOND_FACTOR_RATE_LIMIT", "10 per 5 minutes")
    RATELIMIT_HEADERS_ENABLED = False
    #: Reverse proxies in front of the app that set X-Forwarded-For/-Proto/-Host (0: none).
    #: Only with this set does the app see (and rate-limit) the real client address; never
    #: set it higher than the proxies really there, or clients can forge their address.
    TRUSTED_PROXY_HOPS = _env_int("TRUSTED_PROXY_HOPS", 0)
    # With Redis down, limits are counted per process in memory instead of failing the
    # request (login, reply links and feeds keep working); Redis is tried again later.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True

    # argon2id; OWASP's floor is m=19 MiB, t=2, p=1. Raising these rehashes at next login.
    PASSWORD_HASH_TIME_COST = _env_int("PASSWORD_HASH_TIME_COST", 3)
    PASSWORD_HASH_MEMORY_KIB = _env_int("PASSWORD_HASH_MEMORY_KIB", 65536)
    PASSWORD_HASH_PARALLELISM = _env_int("PASSWORD_HASH_PARALLELISM", 1)
    PASSWORD_MIN_LENGTH = _env_int("PASSWORD_MIN_LENGTH", 12)

    # i18n
    LANGUAGES = ("de", "en")
    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "protocol_app" / "translations")

    # UI assets are served by the app itself: the office network may be closed.
    BOOTSTRAP_SERVE_LOCAL = True

    # Mail
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Protokoll <protokoll@localhost>")
    SMTP_HOST = os.environ.get("SMTP_HOST", "127.0.0.1")
    SMTP_PORT = _env_int("SMTP_PORT", 8025)
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME") or None
    SMTP_PASSWORD = _env_secret("SMTP_PASSWORD")
    SMTP_STARTTLS = _env_bool("SMTP_STARTTLS", False)
    SMTP_SSL = _env_bool("SMTP_SSL", False)
    #: Seconds for connecting and for each SMTP command.
    SMTP_TIMEOUT = _env_int("SMTP_TIMEOUT", 10)
    #: Seconds to wait for the server's answer after the whole message (RFC 5321 4.5.3.2.6:
    #: 10 minutes). A slow server is waited for rather than sent a second copy.
    SMTP_DATA_TIMEOUT = _env_int("SMTP_DATA_TIMEOUT", 600)
    #: Seconds before attempt 2, 3, …: spread over about two days (51 h 56 min in all),
    #: so that an outage of a working day does not lose a mail. After the last, it failed.
    OUTBOX_RETRY_DELAYS = os.environ.get(
        "OUTBOX_RETRY_DELAYS", "60,300,900,1800,3600,7200,14400,28800,43200,86400"
    )
    #: A mail claimed by a worker that died is looked at again after this long; it must be
    #: longer than a whole SMTP transaction (connect + commands + SMTP_DATA_TIMEOUT).
    OUTBOX_CLAIM_TIMEOUT_SECONDS = _env_int("OUTBOX_CLAIM_TIMEOUT_SECONDS", 900)
    #: After a request failed to publish a mail, that process leaves publishing to the
    #: sweep for this long (the sweep delivers what was not published).
    OUTBOX_BROKER_BACKOFF_SECONDS = _env_int("OUTBOX_BROKER_BACKOFF_SECONDS", 30)
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    #: Who answers barriers reported through the accessibility statement (BITV 2.0 § 7).
    ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "barrierefreiheit@protokoll.example")
    #: When the app was last checked (the statement says so); the suite checks every page on every run.
    ACCESSIBILITY_CHECKED_ON = os.environ.get("ACCESSIBILITY_CHECKED_ON", "2026-12-02")
    #: The bearer token Prometheus sends for /metrics; unset, /metrics answers 404.
    METRICS_TOKEN = _env_secret("METRICS_TOKEN")
    #: Key for the outbox's encrypted mail bodies (default: derived from SECRET_KEY).
    OUTBOX_KEY = _env_secret("OUTBOX_KEY")
    #: Outbox keys of before the last rotation, still read (sealing's key ring).
    OUTBOX_KEY_FALLBACKS = _env_secret_list("OUTBOX_KEY_FALLBACKS")

    # Background work
    OUTBOX_SWEEP_SECONDS = _env_int("OUTBOX_SWEEP_SECONDS", 60)
    REMINDER_SWEEP_SECONDS = _env_int("REMINDER_SWEEP_SECONDS", 300)
    #: How often new audit events are sealed into the hash chain.
    AUDIT_SEAL_SECONDS = _env_int("AUDIT_SEAL_SECONDS", 60)
    #: Webhooks: how often the due deliveries are handed to the workers, how long one request may
    #: take, the pauses before attempts 2, 3, … (then it counts as failed), and after how long a
    #: claim of a worker that stopped is taken again (or, once its request went out, left uncertain).
    WEBHOOK_SWEEP_SECONDS = _env_int("WEBHOOK_SWEEP_SECONDS", 15)
    WEBHOOK_TIMEOUT_SECONDS = _env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
    WEBHOOK_RETRY_DELAYS = os.environ.get("WEBHOOK_RETRY_DELAYS", "30,120,600,3600,21600")
    WEBHOOK_CLAIM_TIMEOUT_SECONDS = _env_int("WEBHOOK_CLAIM_TIMEOUT_SECONDS", 120)

    #: The public honours suggestion: its proof of work (PBKDF2 iterations per try, and the tries
    #: a browser makes at most: about half of them on average) and its limit per address.
    PROOF_OF_WORK_COST = _env_int("PROOF_OF_WORK_COST", 2000)
    PROOF_OF_WORK_MAX_TRIES = _env_int("PROOF_OF_WORK_MAX_TRIES", 250)
    HONOURS_SUGGESTION_RATE_LIMIT = os.environ.get("HONOURS_SUGGESTION_RATE_LIMIT", "5 per hour")
    #: Days after an event that its guests' answers on diet, access and language are kept.
    GUEST_NEEDS_RETENTION_DAYS = _env_int("GUEST_NEEDS_RETENTION_DAYS", 30)
    #: The JSON API (/api/v1): requests per personal access token, and the longest life a user
    #: may give a token (it can be revoked sooner at any time).
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300 per minute")
    API_TOKEN_MAX_DAYS = _env_int("API_TOKEN_MAX_DAYS", 365)
    # flask-smorest: the OpenAPI document is generated from the code and served at /api/v1/openapi.json.
    API_TITLE = "Protokoll API"
    API_VERSION = "1"
    OPENAPI_VERSION = "3.1.0"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"

    ALLOW_SQLITE_IN_PRODUCTION = _env_bool("ALLOW_SQLITE_IN_PRODUCTION", False)
    IS_PRODUCTION = False

    @classmethod
    def celery_settings(cls, config: dict) -> dict:
        """Return the Celery configuration for the given Flask config mapping."""
        redis_url = config.get("REDIS_URL")
        settings = {
            "task_serializer": "json",
            "accept_content": ["json"],
            "result_serializer": "json",
            "task_ignore_result": True,
            "task_acks_late": True,
            "task_reject_on_worker_lost": True,
            "worker_prefetch_multiplier": 1,
            "timezone": "Europe/Berlin",
            "enable_utc": True,
            "broker_connection_retry_on_startup": True,
            # The web request must not hang when the broker is down: the outbox sweep
            # re-enqueues whatever could not be published.
            "task_publish_retry_policy": {"max_retries": 0},
            "broker_connection_timeout": config["REDIS_CONNECT_TIMEOUT"],
            # Only the beat holding the lock sends (protocol_app/core/beat.py).
            "beat_scheduler": "protocol_app.core.beat:SingleBeatScheduler",
            "protokoll_database_url": config["SQLALCHEMY_DATABASE_URI"],
            "beat_schedule": {
                "outbox-sweep": {
                    "task": "protocol_app.core.notifications.tasks.sweep_outbox",
                    "schedule": float(config["OUTBOX_SWEEP_SECONDS"]),
                },
                "webhook-sweep": {
                    "task": "protocol_app.core.webhooks.tasks.sweep_webhooks",
                    "schedule": float(config["WEBHOOK_SWEEP_SECONDS"]),
                },
                "audit-seal": {
                    "task": "protocol_app.core.audit.tasks.seal_audit",
                    "schedule": float(config["AUDIT_SEAL_SECONDS"]),
                },
                "reminder-rules": {
                    "task": "protocol_app.core.reminders.tasks.run_reminder_rules",
                    "schedule": float(config["REMINDER_SWEEP_SECONDS"]),
                },
                "directory-recheck": {
                    "task": "protocol_app.auth.tasks.recheck_directory",
                    "schedule": float(config["LDAP_RECHECK_SECONDS"]),
                },
            },
        }
        if redis_url:
            from protocol_app.core.broker import TRANSPORT

            settings["broker_url"] = redis_url
            settings["broker_transport"] = TRANSPORT
            settings["broker_transport_options"] = {
                "socket_connect_timeout": config["REDIS_CONNECT_TIMEOUT"],
                "socket_timeout": config["REDIS_SOCKET_TIMEOUT"],
                # One connection attempt when publishing: kombu would otherwise retry
                # with 2 s pauses inside the request. The worker reconnects on its own.
                "max_retries": 0,
            }
        else:
            folder = config["EMBEDDED_BROKER_DIR"]
            settings["broker_url"] = "filesystem://"
            settings["broker_transport_options"] = {
                "data_folder_in": folder,
                "data_folder_out": folder,
                "processed_folder": folder,
                "store_processed": False,
            }
        return settings


class DevelopmentConfig(Config):
    """Local development: SQLite and the embedded broker unless told otherwise."""

    DEBUG = False


class TestingConfig(Config):
    """Settings for the test suite; the database URL is set by the fixtures."""

    TESTING = True
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    # Still argon2id, but cheap: about 1,500 hashes and checks per run cost 45 ms each at the
    # OWASP floor (over a minute of the suite). Production's floor is asserted by test_auth.
    PASSWORD_HASH_TIME_COST = 1
    PASSWORD_HASH_MEMORY_KIB = 1024
    OUTBOX_RETRY_DELAYS = "1,2,4,8,16,32,64"
    SERVER_NAME = None
    # The suite's many logins as admin or manager give no code; the second factor's own tests
    # set the roles that need one.
    SECOND_FACTOR_ROLES = ""
    # A proof of work of a few milliseconds: the tests solve hundreds.
    PROOF_OF_WORK_COST = 50
    PROOF_OF_WORK_MAX_TRIES = 20
    # The suite seals thousands of heads: none of them to the machine's syslog.
    AUDIT_ANCHOR_SYSLOG = False


class ProductionConfig(Config):
    """Production: PostgreSQL, Redis, secure cookies; refuses insecure defaults."""

    IS_PRODUCTION = True
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)

    @classmethod
    def validate(cls, config: dict) -> None:
        """Refuse to start with settings that are unsafe in production."""
        if config["SECRET_KEY"] in (None, "", INSECURE_DEFAULT_SECRET) or len(config["SECRET_KEY"]) < 32:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters in production."
            )
        if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") and not config[
            "ALLOW_SQLITE_IN_PRODUCTION"
        ]:
            raise RuntimeError(
                "Production needs DATABASE_URL pointing to PostgreSQL "
                "(set ALLOW_SQLITE_IN_PRODUCTION=1 to override knowingly)."
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """Pick the configuration class named by PROTOKOLL_ENV (default: development)."""
    name = os.environ.get("PROTOKOLL_ENV", "development").lower()
    if name not in CONFIGS:
        raise RuntimeError(f"PROTOKOLL_ENV must be one of {sorted(CONFIGS)}, not {name!r}")
    return CONFIGS[name]
