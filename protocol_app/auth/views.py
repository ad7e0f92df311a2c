"""Login, logout, own password and language."""

from __future__ import annotations

import hashlib

from authlib.integrations.base_client import OAuthError
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_user, logout_user
from joserfc.errors import JoseError

from ..core.api import is_api_request
from ..core.db import reads_before_writing
from ..core.errors import DomainError
from ..core.forms import apply_domain_error
from ..core.logs import user_id_var
from ..core.metrics import SIGN_IN_FAILURES
from ..core.permissions import login_required_only, public
from ..core.urls import safe_next_url
from ..extensions import csrf, db, limiter, login_manager
from . import (
    access_tokens,
    provider,
    provider_accounts,
    second_factor,
    second_factor_steps,
    services,
    sign_in_flow,
)
from .forms import ChangePasswordForm, LanguageForm, LoginForm, SecondFactorForm
from .lockout import LoginFailed
from .models import User, UserSession
from .sessions import current_session, validate_session

bp = Blueprint("auth", __name__, url_prefix="/auth", template_folder="templates")

SESSION_KEY = "sid"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if is_api_request():  # the API hears only its bearer token: a browser's cookie opens nothing there
        return None
    try:
        uid = int(user_id)
    except ValueError:
        return None
    user = validate_session(session.get(SESSION_KEY), uid)
    if user is not None:
        user_id_var.set(user.id)  # the request's log lines name the account by its number
    return user


@login_manager.request_loader
def load_api_user(req) -> User | None:
    if not is_api_request():
        return None
    return access_tokens.user_for_bearer(req.headers.get("Authorization"))


def _ip_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT_IP"]


def _account_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT_ACCOUNT"]


def _account_key() -> str:
    # Hashed: Flask-Limiter logs the key of every limit it enforces, and Redis keeps it.
    address = services.normalise_email(request.form.get("email", ""))
    return "login-account:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def _second_factor_limit() -> str:
    return current_app.config["SECOND_FACTOR_RATE_LIMIT"]


def _second_factor_key() -> str:
    # Per account, not per address: the code step is guessed against one account.
    return f"second-factor:{current_user.get_id()}"


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_ip_limit, methods=["POST"])
@limiter.limit(_account_limit, methods=["POST"], key_func=_account_key)
def login():
    if request.args.get("lang") in current_app.config["LANGUAGES"]:
        session["locale"] = request.args["lang"]
    if current_user.is_authenticated:
        return redirect(url_for("core.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        reads_before_writing()  # the password hash is checked before the write lock is taken
        try:
            user, row = services.authenticate(
                form.email.data, form.password.data, user_agent=request.user_agent.string
            )
        except LoginFailed as exc:
            SIGN_IN_FAILURES.inc()
            form.password.errors.append(str(exc.message))
        else:
            return _signed_in(user, row, request.args.get("next"))
    return render_template("auth/login.html", form=form, provider=provider.configured())


def _signed_in(user, row, next_url: str | None, **remembered):
    """The browser's cookie names the new session (nothing of the one before carries over) and
    goes on to the step the sign-in still owes, or to the page asked for."""
    locale = session.get("locale")
    session.clear()
    session[SESSION_KEY] = row.id
    session.update(remembered)
    # Not a permanent session: Flask-Login's "strong" protection only drops
    # sessions whose browser or address changed when they are not permanent.
    login_user(user)
    if locale and locale != user.locale:
        services.set_locale(user, locale)
    # Kept in the cookie too: a page drawn without the database (an outage) still speaks it.
    session["locale"] = user.locale
    target = safe_next_url(next_url) or url_for("core.dashboard")
    step = sign_in_flow.pending_step(user, row)
    return redirect(sign_in_flow.step_url(step, target) if step else target)


@bp.route("/provider")
@public
@limiter.limit(_ip_limit)
def provider_sign_in():
    """Off to the Land's login (authorization code flow with PKCE and a nonce)."""
    if not provider.configured():
        abort(404)
    if current_user.is_authenticated:  # as the login page: nothing to sign in to
        return redirect(url_for("core.dashboard"))
    session["provider_next"] = safe_next_url(request.args.get("next"))
    try:
        return provider.client().authorize_redirect(url_for("auth.provider_callback", _external=True))
    except (OAuthError, OSError, ValueError) as exc:  # the provider's metadata could not be read
        current_app.logger.warning("login provider unavailable: %s", exc)
        flash(_("The Land's login cannot be reached at the moment. Please try again in a few minutes."), "danger")
        return redirect(url_for("auth.login"))


@bp.route("/provider/callback")
@public
@limiter.limit(_ip_limit)
def provider_callback():
    """Back from the Land's login: the code exchanged for the ID token, which is checked before
    anyone is let in."""
    if not provider.configured():
        abort(404)
    next_url = session.pop("provider_next", None)
    try:
        # A forged or stale answer, a token that fails its checks, a provider that does not answer.
        token = provider.client().authorize_access_token()
    except (OAuthError, JoseError, OSError, ValueError) as exc:
        token, refusal = None, exc
    else:
        refusal = None if token.get("userinfo") else "no ID token"
    if refusal is not None:
        SIGN_IN_FAILURES.inc()
        current_app.logger.warning("sign-in with the provider refused: %s", refusal)
        flash(_("The sign-in with the Land's login did not succeed. Please try again."), "danger")
        return redirect(url_for("auth.login"))
    reads_before_writing()
    try:
        user, row = services.authenticate_with_provider(token["userinfo"], user_agent=request.user_agent.string)
    except LoginFailed as exc:
        SIGN_IN_FAILURES.inc()
        flash(str(exc.message), "danger")
        return redirect(url_for("auth.login"))
    return _signed_in(user, row, next_url, provider_id_token=token.get("id_token"))


@bp.route("/provider/logout", methods=["POST"])
@public
@csrf.exempt  # the provider's server posts here, not a browser with a form of ours
def provider_logout():
    """Back-channel logout: the user signed out at the provider, their sessions here end too."""
    if not provider.configured():
        abort(404)
    try:
        claims = provider.logout_claims(request.form.get("logout_token", ""))
    except provider.InvalidLogoutToken as exc:
        current_app.logger.warning("logout token refused: %s", exc)
        return {"error": "invalid_request"}, 400
    provider_accounts.signed_out_at_provider(claims)
    return "", 200, {"Cache-Control": "no-store"}


def _take_renewed(row) -> None:
    """The cookie names the session that replaced the old one at a step up."""
    session[SESSION_KEY] = row.id


def _after_step() -> str:
    """The page asked for, or the next step the sign-in still owes (the request hook decides)."""
    return safe_next_url(request.args.get("next")) or url_for("core.dashboard")


@bp.route("/second-factor", methods=["GET", "POST"], endpoint="second_factor")
@login_required_only
@limiter.limit(_second_factor_limit, methods=["POST"], key_func=_second_factor_key)
def second_factor_page():
    if not current_user.has_second_factor:
        return redirect(url_for("auth.second_factor_setup"))
    if second_factor.is_fresh(current_session()):
        return redirect(_after_step())
    form = SecondFactorForm()
    if form.validate_on_submit():
        try:
            method, renewed = second_factor_steps.verify_second_factor(current_user, current_session(), form.code.data)
        except second_factor_steps.SecondFactorFailed as exc:
            if exc.locked:
                db.session.commit()  # the block and the ended session stand although the answer is an error
                logout_user()
                session.clear()
                flash(_("Too many wrong codes: sign-in is blocked for a while."), "danger")
                return redirect(url_for("auth.login"))
            form.code.errors.append(str(exc.message))
        else:
            _take_renewed(renewed)
            if method == "recovery code":
                flash(_("You signed in with a recovery code; %(num)d are left. If your phone is lost, ask an "
                        "administrator to reset your second factor.",
                        num=second_factor.recovery_codes_left(current_user)), "warning")
            return redirect(_after_step())
    return render_template("auth/second_factor.html", form=form)


@bp.route("/second-factor/setup", methods=["GET", "POST"])
@login_required_only
@limiter.limit(_second_factor_limit, methods=["POST"], key_func=_second_factor_key)
def second_factor_setup():
    if current_user.has_second_factor:
        return redirect(url_for("auth.second_factor", next=request.args.get("next")))
    secret = second_factor.pending_secret(current_user)
    form = SecondFactorForm()
    if form.validate_on_submit():
        try:
            codes, renewed = second_factor_steps.confirm_enrolment(current_user, current_session(), form.code.data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            _take_renewed(renewed)
            return render_template("auth/recovery_codes.html", codes=codes, target=_after_step())
    uri = second_factor.provisioning_uri(current_user, secret)
    return render_template("auth/second_factor_setup.html", form=form, qr=second_factor.qr_svg(uri),
                           secret=" ".join(secret[i:i + 4] for i in range(0, len(secret), 4)))


@bp.route("/logout", methods=["POST"])
@login_required_only
def logout():
    row = db.session.get(UserSession, session.get(SESSION_KEY) or "")
    services.logout(current_user, row)
    id_token = session.get("provider_id_token")
    logout_user()
    session.clear()
    flash(_("You have been logged out."), "info")
    if id_token and provider.configured():
        # Signed out at the Land's login too, which then comes back to the sign-in page.
        try:
            return redirect(provider.client().create_logout_url(
                post_logout_redirect_uri=url_for("auth.login", _external=True), id_token_hint=id_token)["url"])
        except (OAuthError, OSError, RuntimeError, ValueError) as exc:
            current_app.logger.warning("logout at the provider not possible: %s", exc)
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required_only
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            renewed = services.change_password(
                current_user, form.current_password.data, form.new_password.data, session_row=current_session()
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            if renewed is not None:
                _take_renewed(renewed)
            flash(_("Your password has been changed. Other sessions were logged out."), "success")
            return redirect(_after_step())
    return render_template("auth/change_password.html", form=form)


@bp.route("/profile", methods=["GET", "POST"])
@login_required_only
def profile():
    form = LanguageForm(locale=current_user.locale)
    if form.validate_on_submit():
        try:
            services.set_locale(current_user, form.locale.data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            session["locale"] = current_user.locale
            refresh()  # the flash below must already speak the new language
            flash(_("Your settings have been saved."), "success")
            return redirect(safe_next_url(request.args.get("next")) or url_for("auth.profile"))
    return render_template("auth/profile.html", form=form)
