"""A real OpenID provider for the sign-in tests: node's oidc-provider (tests/js/oidc_provider.mjs)
with a few people of the Land's login, and the walk a browser makes through its sign-in page.

The app's test client starts the sign-in and takes the answer; between the two, `through_provider`
plays the browser at the provider (a requests session with the provider's cookies): it opens
the authorization address, fills in login and password and returns the address the provider
sends the browser back to — with the code the app then exchanges at the provider itself.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urljoin

import requests

from tests.receiver import Receiver
from tests.smtp import free_port

CLIENT_ID = "protokoll"
CLIENT_SECRET = "test-client-secret-of-protokoll-0123456789"  # noqa: S105 (throwaway provider)
PASSWORD = "Landes-Login-2026!"  # noqa: S105

#: login → (claims, how they proved who they are)
PEOPLE = {
    "anna": ({"email": "anna.amt@example.org", "email_verified": True, "name": "Anna Amt",
              "groups": ["/protokoll/referat"]}, ["pwd"]),
    "lea": ({"email": "lea.leitung@example.org", "email_verified": True, "name": "Lea Leitung",
             "groups": ["/protokoll/leitung", "/protokoll/referat"]}, ["pwd", "otp"]),
    "kurt": ({"email": "kurt.kantine@example.org", "email_verified": True, "name": "Kurt Kantine",
              "groups": ["/kantine"]}, ["pwd"]),
    "ilse": ({"email": "ilse.intern@example.org", "email_verified": True, "name": "Ilse Intern",
              "groups": ["/protokoll/referat"]}, ["pwd"]),
}
GROUP_ROLES = {"/protokoll/referat": "officer", "/protokoll/leitung": ["manager"]}


class LogoutReceiver(Receiver):
    """Where the provider posts its back-channel logout tokens: kept for the test to hand to the
    app (whose test client has no address the provider could reach)."""

    def __init__(self):
        super().__init__("/auth/provider/logout")
        self.taken = 0

    def wait_for_token(self, provider_output, timeout: float = 20) -> str:
        assert self.wait_for(self.taken + 1, timeout), f"the provider sent no logout token: {provider_output()[-2000:]}"
        self.taken += 1
        return parse_qs(self.received[self.taken - 1][1].decode())["logout_token"][0]


class LoginProvider:
    def __init__(self, app_base: str = "http://localhost", backchannel: str | None = None):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.app_base = app_base
        self.backchannel = backchannel
        self.process = None

    def start(self) -> LoginProvider:
        config = {
            "port": self.port,
            "client": {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                       "redirect_uris": [f"{self.app_base}/auth/provider/callback"],
                       "post_logout_redirect_uris": [f"{self.app_base}/auth/login"],
                       **({"backchannel_logout_uri": self.backchannel} if self.backchannel else {})},
            "accounts": {login: {"password": PASSWORD, "amr": amr, "claims": claims}
                         for login, (claims, amr) in PEOPLE.items()},
        }
        script = Path(__file__).parent / "js" / "oidc_provider.mjs"
        # Its output goes to a file (a pipe nobody reads would stall it once full).
        self.log = tempfile.NamedTemporaryFile("w+", prefix="oidc-provider-", suffix=".log")  # noqa: SIM115
        self.process = subprocess.Popen(["node", str(script), json.dumps(config)], stdout=self.log,
                                        stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=2).ok:
                    return self
            except requests.ConnectionError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the login provider did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.log.close()

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text()

    def settings(self) -> dict:
        return {"OIDC_ISSUER": self.issuer, "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET,
                "OIDC_EXTRA_SCOPES": "groups", "OIDC_GROUPS_CLAIM": "groups",
                "OIDC_GROUP_ROLES": json.dumps(GROUP_ROLES), "OIDC_MFA_METHODS": "otp,mfa"}


def through_provider(authorize_url: str, login: str, password: str = PASSWORD,
                     browser: requests.Session | None = None) -> str:
    """Sign in at the provider as a browser would; the address it sends the browser back to."""
    browser = browser or requests.Session()
    url = authorize_url
    for _ in range(10):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code in (302, 303) and "/interaction/" not in response.headers["Location"] \
                and not response.headers["Location"].startswith("/"):
            return response.headers["Location"]
        if response.status_code in (302, 303):
            url = urljoin(url, response.headers["Location"])
            continue
        action = re.search(r'<form method="post" action="([^"]+)"', response.text)
        assert action, response.text[:500]
        posted = browser.post(urljoin(url, action.group(1)), data={"login": login, "password": password},
                              allow_redirects=False, timeout=10)
        assert posted.status_code in (302, 303), posted.text[:500]
        url = urljoin(url, posted.headers["Location"])
    raise AssertionError("the provider did not send the browser back")


def sign_out_at_provider(logout_url: str, browser: requests.Session) -> None:
    """Confirm the provider's "sign out?" page as the browser signed in there would."""
    page = browser.get(logout_url, allow_redirects=True, timeout=10)
    form = re.search(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', page.text, re.S)
    assert form, page.text[:500]
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form.group(2)))
    browser.post(urljoin(page.url, form.group(1)), data={**fields, "logout": "yes"}, allow_redirects=False,
                 timeout=10)
