"""The office directory (Active Directory or OpenLDAP) as the proof of who a member of staff is.

Search, then bind: the look-up account (or an anonymous one) finds the entry of the e-mail
address typed and its groups, the user's own password is checked by binding as that entry.
Every connection is encrypted (LDAPS, or StartTLS on ldap://) and checks the server's
certificate. Nothing here writes to the database; `services.authenticate` decides.
"""

from __future__ import annotations

import json
import ssl
import uuid
from dataclasses import dataclass, field
from enum import Enum

from flask import current_app
from ldap3 import BASE, NONE, SUBTREE, Connection, Server, Tls
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars

from ..core.permissions import Role


class DirectoryUnavailable(Exception):
    """The directory did not answer, refused TLS or the look-up account."""


class Outcome(Enum):
    UNKNOWN = "no entry for this address"
    WRONG_PASSWORD = "wrong directory password"  # noqa: S105 (an outcome, not a password)
    DISABLED = "directory account disabled"
    SIGNED_IN = "directory"


@dataclass(frozen=True)
class DirectoryAnswer:
    outcome: Outcome
    dn: str | None = None
    #: The entry's stable identifier (LDAP_UUID_ATTRIBUTE), as text.
    uuid: str | None = None
    full_name: str | None = None
    groups: frozenset[str] = field(default_factory=frozenset)


def configured() -> bool:
    return bool(current_app.config.get("LDAP_URL"))


def _normal_dn(dn: str) -> str:
    # DNs compare without case and without spaces around the separators.
    return ",".join(part.strip() for part in dn.lower().split(","))


def group_roles() -> dict[str, frozenset[Role]]:
    """LDAP_GROUP_ROLES as {normalised group DN: roles}; a role the app does not know is refused
    at start rather than ignored at login."""
    raw = json.loads(current_app.config.get("LDAP_GROUP_ROLES") or "{}")
    mapping = {}
    for dn, roles in raw.items():
        mapping[_normal_dn(dn)] = frozenset(Role(r) for r in ([roles] if isinstance(roles, str) else roles))
    return mapping


def roles_for(groups) -> frozenset[Role]:
    """The roles the directory groups give (those not mapped give none)."""
    mapping = group_roles()
    return frozenset().union(*(mapping.get(_normal_dn(g), frozenset()) for g in groups))


def _server() -> Server:
    cfg = current_app.config
    url = cfg["LDAP_URL"]
    tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=cfg.get("LDAP_CA_FILE"),
              version=ssl.PROTOCOL_TLS_CLIENT)
    return Server(url, use_ssl=url.lower().startswith("ldaps://"), tls=tls, get_info=NONE,
                  connect_timeout=cfg["LDAP_TIMEOUT_SECONDS"])


def _connect(server: Server, user: str | None, password: str | None) -> Connection | None:
    """An encrypted connection bound as `user` (anonymous when None); None if the directory
    refuses the credentials. Raises DirectoryUnavailable when it cannot be reached securely."""
    conn = Connection(server, user=user, password=password, auto_bind=False, raise_exceptions=False,
                      receive_timeout=current_app.config["LDAP_TIMEOUT_SECONDS"], read_only=True)
    try:
        conn.open()
        if not server.ssl and not conn.start_tls():
            raise DirectoryUnavailable(f"StartTLS refused: {conn.result}")
        if conn.bind():
            return conn
    except LDAPException as exc:
        raise DirectoryUnavailable(str(exc)) from exc
    conn.unbind()
    return None


#: Answers that are answers: success, and "no such object" (an entry that is gone).
_FOUND_OR_NOT = {0, 32}


def _search(conn: Connection, base: str, query: str, attributes, scope=SUBTREE) -> list:
    try:
        conn.search(base, query, search_scope=scope, attributes=attributes, size_limit=500)
    except LDAPException as exc:
        raise DirectoryUnavailable(str(exc)) from exc
    if (conn.result or {}).get("result") not in _FOUND_OR_NOT:
        # Busy, unavailable, refused: not "nobody there" — nothing is decided on it.
        raise DirectoryUnavailable(f"search answered {conn.result}")
    return [e for e in conn.response or [] if e.get("type") == "searchResEntry"]


def _lookup() -> Connection:
    cfg = current_app.config
    conn = _connect(_server(), cfg.get("LDAP_BIND_DN"), cfg.get("LDAP_BIND_PASSWORD"))
    if conn is None:
        raise DirectoryUnavailable("the look-up account was refused")
    return conn


def _entry_attributes() -> list[str]:
    cfg = current_app.config
    return [cfg["LDAP_NAME_ATTRIBUTE"], "cn", cfg["LDAP_UUID_ATTRIBUTE"]]


def _entry_uuid(entry: dict) -> str | None:
    """The entry's identifier as text (AD's objectGUID arrives as 16 bytes)."""
    name = current_app.config["LDAP_UUID_ATTRIBUTE"]
    value = _first(entry.get("raw_attributes", {}).get(name))
    if isinstance(value, bytes) and len(value) == 16:
        return str(uuid.UUID(bytes_le=value))
    value = _first(entry.get("attributes", {}).get(name))
    return str(value).strip("{}").lower() if value else None


def _standing(lookup: Connection, entry: dict, fallback_name: str) -> DirectoryAnswer:
    """An entry found: disabled, or active with its groups (SIGNED_IN stands for active here)."""
    cfg = current_app.config
    dn = entry["dn"]
    attributes = entry.get("attributes", {})
    full_name = (_first(attributes.get(cfg["LDAP_NAME_ATTRIBUTE"])) or _first(attributes.get("cn"))
                 or fallback_name)
    known = {"dn": dn, "uuid": _entry_uuid(entry), "full_name": full_name}
    if not _search(lookup, dn, cfg["LDAP_ACTIVE_FILTER"], ["cn"], scope=BASE):
        return DirectoryAnswer(Outcome.DISABLED, **known)
    groups = frozenset(e["dn"] for e in _search(
        lookup, cfg["LDAP_GROUP_BASE"], cfg["LDAP_GROUP_FILTER"].format(dn=escape_filter_chars(dn)), ["cn"]))
    return DirectoryAnswer(Outcome.SIGNED_IN, groups=groups, **known)


def check(email: str, password: str) -> DirectoryAnswer:
    """Who the directory says `email` is, if `password` is theirs: the entry, its name and
    groups, or why not (unknown, disabled, wrong password)."""
    cfg = current_app.config
    lookup = _lookup()
    try:
        entries = _search(lookup, cfg["LDAP_USER_BASE"], cfg["LDAP_USER_FILTER"].format(email=escape_filter_chars(email)),
                          _entry_attributes())
        if len(entries) != 1:  # none, or an address two entries share: nobody to sign in as
            return DirectoryAnswer(Outcome.UNKNOWN)
        answer = _standing(lookup, entries[0], email)
    finally:
        lookup.unbind()
    if answer.outcome is not Outcome.SIGNED_IN:
        return answer
    own = _connect(_server(), answer.dn, password) if password else None
    if own is None:
        return DirectoryAnswer(Outcome.WRONG_PASSWORD, dn=answer.dn, uuid=answer.uuid, full_name=answer.full_name)
    own.unbind()
    return answer


def standing_of(dns) -> dict[str, DirectoryAnswer]:
    """What the directory says now of each entry (no password): gone (UNKNOWN), disabled, or
    active with its groups (SIGNED_IN). One look-up connection for all."""
    lookup = _lookup()
    try:
        answers = {}
        for dn in dns:
            entries = _search(lookup, dn, "(objectClass=*)", _entry_attributes(), scope=BASE)
            answers[dn] = _standing(lookup, entries[0], dn) if entries else DirectoryAnswer(Outcome.UNKNOWN, dn=dn)
        return answers
    finally:
        lookup.unbind()


def _first(value):
    if isinstance(value, list | tuple):
        return value[0] if value else None
    return value or None
