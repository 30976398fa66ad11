"""Milepost settings: one module, everything that varies comes from the environment.

DATABASE_URL   defaults to SQLite in ./var/milepost.sqlite3
SECRET_KEY     required unless DEBUG is on or the test suite runs: 50+ random characters
DEBUG          off unless set to 1/true/yes
ALLOWED_HOSTS  comma-separated, defaults to localhost names
HTTPS, log-in limits, token lifetimes, single sign-on and two-factor: docs/security.md
"""

from __future__ import annotations

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("MILEPOST_HOME", Path.cwd()))
VAR_DIR = PROJECT_DIR / "var"


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


DEBUG = env_flag("DEBUG")
TESTING = bool(os.environ.get("PYTEST_VERSION"))

HOW_TO_MAKE_A_SECRET_KEY = (
    "Make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(50))' "
    "and keep it secret and the same across restarts (it signs sessions and password resets)."
)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=1 for local "
            f"development. {HOW_TO_MAKE_A_SECRET_KEY}"
        )
    # Ephemeral key for development and tests: never stored, never shared.
    SECRET_KEY = secrets.token_urlsafe(50)
elif not (DEBUG or TESTING) and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    # The limits of Django's own deploy check (security.W009), enforced at start-up.
    raise ImproperlyConfigured(
        f"SECRET_KEY is too weak ({len(SECRET_KEY)} characters, {len(set(SECRET_KEY))} "
        f"different): it needs at least 50 characters and 5 different ones. "
        f"{HOW_TO_MAKE_A_SECRET_KEY}"
    )

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")
    if host.strip()
]
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves Swagger UI from its own static files: the API docs work offline
    "django_tasks",
    "django_tasks_db",
    "axes",  # failed log-ins and lockouts (docs/security.md)
    "django_otp",  # two-factor log-in: authenticator apps and recovery codes
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "auditlog",  # the audit trail: one table of who changed what (docs/audit.md)
    # Apps by floor, lowest first (docs/architecture.md): each imports only from its floor or below.
    "milepost.accounts",
    "milepost.frameworks",
    "milepost.people",
    "milepost.reviews",
    "milepost.catalogue",
    "milepost.clients",
    "milepost.needs",
    "milepost.proposals",
    "milepost.delivery",
    "milepost.insights",
    "milepost.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "milepost.accounts.middleware.SecondFactorMiddleware",
    "milepost.accounts.middleware.LoginRequiredExceptApiMiddleware",
    # Who acts, for the audit trail, once a second factor is settled (API tokens name theirs
    # in site/api.py).
    "milepost.accounts.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "milepost.site.middleware.BusyDatabaseMiddleware",
    # Last, so it sees the failed log-in the view reported and answers with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "milepost.site.urls"
WSGI_APPLICATION = "milepost.wsgi.application"
# A web worker imports its views and loads the gap engine before its first request
# (site/warm_up.py); off under pytest, where no worker starts.
WARM_UP = env_flag("MILEPOST_WARM_UP", True) and not TESTING

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "milepost.accounts.context_processors.navigation",
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    # The default SQLite file lives in ./var, which a fresh clone does not have yet.
    VAR_DIR.mkdir(exist_ok=True)

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'milepost.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import or a task writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"


# Brute force (django-axes, accounts/lockout.py): the lockout backend comes first so a locked
# account or address is refused before any password is hashed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "milepost.accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)  # one username, from any address
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)  # one address, any user
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = "milepost.accounts.lockout.lockout_parameters"
AXES_CLIENT_IP_CALLABLE = "milepost.accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "milepost.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = False  # failures age out with the cool-off; a success must not hide a spray
AXES_VERBOSE = False
# How many reverse proxies in front of Milepost append to X-Forwarded-For (0: none, use
# REMOTE_ADDR). Set it behind a proxy, or every visitor shares the proxy's address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Two-factor log-in (accounts/second_factor.py): anyone may turn it on under their name; the roles
# listed here (comma-separated role values, e.g. "admin,coordinator") must. Off by default.
TWO_FACTOR_REQUIRED_ROLES = [
    role.strip()
    for role in os.environ.get("TWO_FACTOR_REQUIRED_ROLES", "").split(",")
    if role.strip()
]
OTP_TOTP_ISSUER = "Milepost"

# Aggregate-only access (docs/privacy.md): the executive, quality leads and account managers see
# figures only, never an individual's ratings, gaps, reviews or name beside a level. Off by default.
MILEPOST_AGGREGATE_ONLY = env_flag("MILEPOST_AGGREGATE_ONLY")

# Single sign-on with OpenID Connect (accounts/sso.py): off unless OIDC_RP_CLIENT_ID is set; then
# the client secret and the provider's endpoints (from its /.well-known/openid-configuration)
# are required. Users are matched by e-mail; unknown addresses are refused unless
# OIDC_CREATE_USERS=1, which makes them a login with OIDC_DEFAULT_ROLE.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_REQUIRED = (
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)
if OIDC_ENABLED and any(not os.environ.get(name) for name in OIDC_REQUIRED):
    missing = ", ".join(name for name in OIDC_REQUIRED if not os.environ.get(name))
    raise ImproperlyConfigured(
        f"Single sign-on is on (OIDC_RP_CLIENT_ID is set) but {missing} is not: copy the "
        "endpoints from your provider's /.well-known/openid-configuration (docs/security.md)."
    )
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "")  # checked against the ID token when set
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_CREATE_USERS = env_flag("OIDC_CREATE_USERS")
OIDC_CREATE_USER = OIDC_CREATE_USERS  # the library's name for it
OIDC_DEFAULT_ROLE = os.environ.get("OIDC_DEFAULT_ROLE", "employee")
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "your organisation's account")
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc-callback"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("milepost.accounts.sso.SingleSignOnBackend")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing with the default PBKDF2 costs ~0.3 s a user; tests create hundreds.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded files (none yet; `milepost backup` and `restore` carry whatever is here).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag; keep default
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG and not TESTING:
    SESSION_COOKIE_SECURE = env_flag("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_flag("SECURE_COOKIES", True)

# HTTPS (docs/security.md, "Production environment"): off unless set, so a plain-HTTP trial
# install works; `milepost check --deploy` names each one a production server still lacks.
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD")


def proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """`X-Forwarded-Proto: https` (the header the reverse proxy sets, and its value for HTTPS)
    as Django's SECURE_PROXY_SSL_HEADER."""
    if not value.strip():
        return None
    name, separator, expected = value.partition(":")
    if not separator or not name.strip() or not expected.strip():
        raise ImproperlyConfigured(
            f"SECURE_PROXY_SSL_HEADER must look like 'X-Forwarded-Proto: https', not {value!r}."
        )
    return "HTTP_" + name.strip().upper().replace("-", "_"), expected.strip()


SECURE_PROXY_SSL_HEADER = proxy_ssl_header(os.environ.get("SECURE_PROXY_SSL_HEADER", ""))

# Content-Security-Policy (django-csp): only this server's own scripts, styles and images (Pico
# draws its icons from data: URIs); no inline script or style anywhere. The API docs (Swagger UI)
# relax styles and images on their own page only (site/api.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# Permissions-Policy: Milepost uses no camera, microphone, location, payment or the like.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

TASKS = {
    "default": {
        # Immediate by default so a single `make run` needs no worker process;
        # set TASKS_BACKEND=database and run `milepost db_worker` in production.
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if os.environ.get("TASKS_BACKEND") == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

# Personal data of leavers is erased (anonymised, figures kept) this many days after they left;
# 0 keeps it until an administrator erases it (docs/privacy.md). `milepost retention` applies it.
RETENTION_LEAVER_DAYS = int(os.environ.get("RETENTION_LEAVER_DAYS", "0"))

# Where the real ESCO / O*NET releases live for the demo and benchmarks.
MILEPOST_DATA_DIR = Path(
    os.environ.get("MILEPOST_DATA_DIR", PROJECT_DIR.parent / "shared" / "data")
)

PAGE_SIZE = 50

# The audit trail (django-auditlog, accounts/audit.py, docs/audit.md). Fixtures and restores
# write raw rows: they are not changes anyone made, so they are not recorded.
AUDITLOG_DISABLE_ON_RAW_SAVE = True
# API tokens: how many days a new token lives unless its owner chooses otherwise (0 offers "never"
# as the default; the tokens page always offers 7, 30, 90 and 365 days and "never").
API_TOKEN_LIFETIME_DAYS = env_int("API_TOKEN_LIFETIME_DAYS", 90)
# The one currency catalogue costs are kept in (ISO 4217 code).
CATALOGUE_CURRENCY = os.environ.get("CATALOGUE_CURRENCY", "GBP")

# The pull engine's matching: the competency index is cached on disk here (None: in memory only),
# and MATCH_DENSE=0 runs it lexical-only (BM25) without loading the sentence-embedding model.
MATCH_CACHE_DIR: Path | None = Path(os.environ.get("MATCH_CACHE_DIR", VAR_DIR / "match"))
MATCH_DENSE = env_flag("MATCH_DENSE", True)
if TESTING:
    MATCH_CACHE_DIR = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Serve static files straight from the apps in development and tests; `collectstatic` otherwise.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# Outgoing email: SMTP when EMAIL_HOST is set (docs/deploying.md), otherwise printed to the log
# (the console backend; tests use Django's in-memory outbox).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Milepost <milepost@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people reach Milepost: emails carry links built on it (no trailing slash needed).
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000")
