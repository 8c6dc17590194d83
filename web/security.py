"""Sign-in (sessions and API tokens), the authorisation check, CSRF, headers, rate limits."""

from __future__ import annotations

from flask import Flask, current_app, g, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import AnonymousUserMixin, LoginManager, current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from matchmaker.accounts import get_user
from matchmaker.storage.accounts_models import User
from web import db_session
from web.authz import ANONYMOUS, allowed
from web.errors import error_response

__all__ = ["CSP", "csrf", "init_security", "limiter", "login_manager", "role_of"]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'"
)

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Accedere per vedere questa pagina.")
login_manager.login_message_category = "info"
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[], storage_uri="memory://")


class _LoginUser:
    """Flask-Login's view of an account (kept apart from the ORM model)."""

    def __init__(self, user: User) -> None:
        self.id = user.id
        self.email = user.email
        self.role = user.role
        self.organisation_id = user.organisation_id
        self.is_active = user.is_active
        self.is_authenticated = True
        self.is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)


class _Anonymous(AnonymousUserMixin):
    role = None
    email = None
    organisation_id = None


login_manager.anonymous_user = _Anonymous


@login_manager.user_loader
def _load_user(user_id: str) -> _LoginUser | None:
    if not user_id.isdigit():
        return None
    user = get_user(db_session(), int(user_id))
    return _LoginUser(user) if user is not None and user.is_active else None


@login_manager.request_loader
def _load_token(req) -> _LoginUser | None:
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    from web.engines import account_service

    user = account_service().user_for_token(header.removeprefix("Bearer ").strip())
    if user is None:
        return None
    g.token_auth = True
    return _LoginUser(user)


@login_manager.unauthorized_handler
def _unauthorized():
    response = make_response(error_response(401, _("Accesso richiesto.")))
    if request.path.startswith("/api/"):
        response.headers["WWW-Authenticate"] = 'Bearer realm="matchmaker"'
    return response


def role_of(user) -> str:
    """The role name used by the matrix for the current user (``anonimo`` when signed out)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    return user.role.value


def _check_access():
    if request.endpoint is None:  # 404 and 405 are answered by routing
        return None
    role = role_of(current_user)
    if role != ANONYMOUS:
        g.actor = current_user.email
        if "db_session" in g:
            g.db_session.info["actor"] = current_user.email
    settings = current_app.extensions["matchmaker"].settings
    if allowed(request.endpoint, request.method, role, public_directory=settings.public_directory):
        if (
            current_app.config.get("WTF_CSRF_ENABLED", True)
            and not g.get("token_auth")
            and request.method not in ("GET", "HEAD", "OPTIONS")
        ):
            csrf.protect()
        return None
    if role == ANONYMOUS:
        if request.path.startswith("/api/") or request.method != "GET":
            return _unauthorized()
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return error_response(403, _("Il suo ruolo non consente questa operazione."))


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if current_app.extensions["matchmaker"].settings.https:
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if getattr(current_user, "is_authenticated", False):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_security(app: Flask) -> None:
    settings = app.extensions["matchmaker"].settings
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)  # checked in _check_access
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    app.config["SESSION_COOKIE_SECURE"] = settings.https
    app.config["REMEMBER_COOKIE_SECURE"] = settings.https
    app.config["REMEMBER_COOKIE_HTTPONLY"] = True
    app.config["REMEMBER_COOKIE_SAMESITE"] = "Lax"
    app.config.setdefault("RATELIMIT_STORAGE_URI", settings.ratelimit_storage_url)
    app.config.setdefault("LOGIN_RATE_LIMIT", settings.login_rate_limit)
    if settings.https:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    app.before_request(_check_access)
    app.after_request(_headers)
