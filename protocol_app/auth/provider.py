"""The Land's login (OpenID Connect) as seen from the app: Authlib's client for the provider
named by OIDC_ISSUER, what its ID token says about roles and the second factor, and the check
of the logout token the provider sends when a user signs out there (back-channel logout).

Authlib does the authorization code flow with PKCE (S256) and checks the ID token: signature
against the provider's published keys, issuer, audience, expiry and the nonce it sent.
"""

from __future__ import annotations

import json
import time

from authlib.integrations.flask_client import OAuth
from flask import current_app
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from ..core.permissions import Role

#: The event a logout token carries (OpenID Connect Back-Channel Logout 1.0).
BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"


class InvalidLogoutToken(ValueError):
    """A logout token that is not the provider's, not for this app, or not a logout."""


def configured() -> bool:
    return bool(current_app.config.get("OIDC_ISSUER"))


def client():
    """The app's client of the provider, made at its first use from the settings (and again
    when they name another provider); it keeps the provider's metadata and keys once read."""
    cfg = current_app.config
    settings = (cfg["OIDC_ISSUER"], cfg["OIDC_CLIENT_ID"], cfg["OIDC_CLIENT_SECRET"], cfg.get("OIDC_EXTRA_SCOPES", ""))
    made = current_app.extensions.get("login_provider")
    if made is None or made[0] != settings:
        scopes = " ".join(["openid", "email", "profile", *settings[3].split()])
        made = (settings, OAuth(current_app).register(
            "provider",
            client_id=cfg["OIDC_CLIENT_ID"],
            client_secret=cfg["OIDC_CLIENT_SECRET"],
            server_metadata_url=cfg["OIDC_ISSUER"].rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs={"scope": scopes, "code_challenge_method": "S256",
                           "timeout": cfg["OIDC_TIMEOUT_SECONDS"]},
        ))
        current_app.extensions["login_provider"] = made
    return made[1]


def group_roles() -> dict[str, frozenset[Role]]:
    """OIDC_GROUP_ROLES as {group: roles}; a role the app does not know fails loudly."""
    raw = json.loads(current_app.config.get("OIDC_GROUP_ROLES") or "{}")
    return {group: frozenset(Role(r) for r in ([roles] if isinstance(roles, str) else roles))
            for group, roles in raw.items()}


def roles_for(claims) -> frozenset[Role]:
    """The roles the groups of the ID token (OIDC_GROUPS_CLAIM) give; unmapped groups give none."""
    groups = claims.get(current_app.config["OIDC_GROUPS_CLAIM"]) or []
    if isinstance(groups, str):
        groups = [groups]
    mapping = group_roles()
    return frozenset().union(*(mapping.get(group, frozenset()) for group in groups))


def asserts_second_factor(claims) -> bool:
    """Whether the provider says the user gave a second factor there (an "amr" value listed in
    OIDC_MFA_METHODS); then the app does not ask its own code."""
    accepted = {m.strip() for m in (current_app.config.get("OIDC_MFA_METHODS") or "").split(",") if m.strip()}
    methods = claims.get("amr") or []
    return bool(accepted & set(methods if isinstance(methods, list) else [methods]))


def logout_claims(token: str) -> dict:
    """The claims of a back-channel logout token once it is the provider's (signature against its
    keys), for this app (audience), fresh, and a logout event naming a subject or session."""
    app_client = client()
    metadata = app_client.load_server_metadata()
    try:
        keys = KeySet.import_key_set(app_client.fetch_jwk_set())
        decoded = jwt.decode(token, keys, registry=JWSRegistry(
            algorithms=metadata.get("id_token_signing_alg_values_supported")))
    except (JoseError, ValueError) as exc:
        raise InvalidLogoutToken(f"not the provider's: {exc}") from exc
    claims = decoded.claims
    audience, events, issued = claims.get("aud"), claims.get("events"), claims.get("iat")
    problems = [name for name, failed in (
        ("issuer", claims.get("iss") != metadata.get("issuer")),
        ("audience", current_app.config["OIDC_CLIENT_ID"] not in (audience if isinstance(audience, list) else [audience])),
        ("event", not isinstance(events, dict) or BACKCHANNEL_LOGOUT_EVENT not in events),
        ("subject", not (claims.get("sub") or claims.get("sid"))),
        ("nonce", "nonce" in claims),
        ("age", not isinstance(issued, int | float) or abs(time.time() - issued) > 300),
    ) if failed]
    if problems:
        raise InvalidLogoutToken(", ".join(problems))
    return claims
