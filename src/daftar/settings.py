"""Django settings, read from the environment (every variable: docs/configuration.md)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from csp.constants import NONCE, NONE, SELF

from daftar.lib.env import (
    env_bool,
    env_int,
    env_list,
    env_str,
    env_url,
    env_words,
    parse_database_url,
)
from daftar.org.directory.config import directory_config

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("DAFTAR_DATA_DIR", "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The key from the environment, or one generated once and kept in the data dir, so a
    demo needs no set-up and two data dirs are two independent instances."""
    configured = env_str("DAFTAR_SECRET_KEY", "")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DAFTAR_DEBUG", False)
ALLOWED_HOSTS = env_list("DAFTAR_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DAFTAR_CSRF_TRUSTED_ORIGINS", [])
ALLOWED_EMAIL_DOMAINS = [d.lower() for d in env_list("DAFTAR_ALLOWED_EMAIL_DOMAINS", ["gov.pk"])]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "daftar.org",
    "daftar.accounts",
    "daftar.audit",
    "daftar.files",
    "daftar.movement",
    "daftar.documents",
    "daftar.receipts",
    "daftar.mailroom",
    "daftar.releases",
    "daftar.drafting",
    "daftar.signing",
    "daftar.dispatch",
    "daftar.search",
    "daftar.adoption",
    "daftar.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "daftar.org.middleware.OrganisationTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "daftar.accounts.middleware.SessionTimeoutMiddleware",
    "daftar.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "daftar.accounts.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it turns a lockout raised anywhere above into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "daftar.urls"
WSGI_APPLICATION = "daftar.wsgi.application"

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
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES: dict[str, dict[str, Any]]
# An empty DAFTAR_DATABASE_URL (as `make test-sqlite` sets it) means the embedded default.
_db = parse_database_url(
    env_str("DAFTAR_DATABASE_URL", "") or "sqlite:///daftar.sqlite3", data_dir=DATA_DIR
)
if _db.engine.endswith("sqlite3"):
    DATABASES = {
        "default": {
            "ENGINE": _db.engine,
            "NAME": _db.name,
            "OPTIONS": {
                # IMMEDIATE: a transaction takes the write lock when it starts, so two writers
                # queue instead of failing with "database is locked" on lock upgrade.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                ),
            },
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": _db.engine,
            "NAME": _db.name,
            "USER": _db.user,
            "PASSWORD": _db.password or env_str("DAFTAR_DATABASE_PASSWORD", ""),
            "HOST": _db.host,
            "PORT": _db.port,
            "CONN_MAX_AGE": env_int("DAFTAR_DB_CONN_MAX_AGE", 60, minimum=0),
            "CONN_HEALTH_CHECKS": True,
            # No JIT compilation: nothing here is analytic, and a search's access rule lifts
            # its estimated cost past jit_above_cost, where compiling took 400-600 ms of a
            # 10 ms query (docs/search-engine.md).
            "OPTIONS": {"options": "-c jit=off"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Axes first: it refuses a locked account/address before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "daftar.org.backends.PersonBackend",  # ModelBackend, permissions in one query
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# ASVS 6.2: at least 12 characters, long passphrases allowed, common passwords refused, and
# no forced rotation (docs/login.md).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "daftar.accounts.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ur", "اردو")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True  # stored in UTC; shown in the organisation's zone (OrganisationTimezoneMiddleware)
TIME_ZONE = env_str("DAFTAR_TIME_ZONE", "Asia/Karachi")

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]  # vendored Bootstrap, icons and daftar.css/js
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if env_bool("DAFTAR_PLAIN_STATIC", False):  # tests and the live server serve from the finders
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
MEDIA_ROOT = DATA_DIR / "documents"

# Background jobs live in the same database and commit with the data (docs/documents.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Stored documents (docs/documents.md): originals content-addressed under the data dir; a
# different BlobStore (an S3-compatible one) is a different BACKEND here.
DOCUMENT_STORE: dict[str, Any] = {
    "BACKEND": "daftar.documents.storage.LocalBlobStore",
    "OPTIONS": {"root": str(DATA_DIR / "documents")},
}
DOCUMENT_DERIVED_DIR = DATA_DIR / "derived"  # page images: rebuilt from the originals at will
UPLOAD_MAX_BYTES = env_int("DAFTAR_UPLOAD_MAX_BYTES", 50 * 1024 * 1024, minimum=1)
OCR_LANGUAGES = env_words("DAFTAR_OCR_LANGUAGES", ["eng", "urd"], separator="+")
OCR_RETRY_SECONDS = env_int("DAFTAR_OCR_RETRY_SECONDS", 60, minimum=0)
OCR_PAGE_TIMEOUT_SECONDS = env_int("DAFTAR_OCR_PAGE_TIMEOUT_SECONDS", 180, minimum=1)

# Outgoing mail (acknowledgements of receipts): the office's SMTP relay.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_str("DAFTAR_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DAFTAR_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("DAFTAR_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("DAFTAR_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DAFTAR_EMAIL_STARTTLS", False)
EMAIL_TIMEOUT = env_int("DAFTAR_EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DAFTAR_EMAIL_FROM", "Daftar <daftar@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Incoming mail (docs/mailroom.md): registry mailboxes read over IMAP by `daftar fetch-mail`.
IMAP_TIMEOUT_SECONDS = env_int("DAFTAR_IMAP_TIMEOUT", 30, minimum=1)
IMAP_CA_FILE = env_str("DAFTAR_IMAP_CA_FILE", "")  # empty: the system's certificate authorities
MAIL_FETCH_BATCH = env_int("DAFTAR_MAIL_FETCH_BATCH", 50, minimum=1)
# `daftar worker` reads the mailboxes this often (seconds; 0: only `daftar fetch-mail` does).
MAIL_FETCH_SECONDS = env_int("DAFTAR_MAIL_FETCH_SECONDS", 300, minimum=0)
MAIL_MAX_BYTES = env_int("DAFTAR_MAIL_MAX_BYTES", 100 * 1024 * 1024, minimum=1)

# `daftar worker` signs an audit checkpoint this often (seconds; 0: only `daftar audit
# checkpoint` does). See docs/audit.md.
AUDIT_CHECKPOINT_SECONDS = env_int("DAFTAR_AUDIT_CHECKPOINT_SECONDS", 3600, minimum=0)

# Signatures and the instance's certificate authority (docs/signing.md).
# The address the public reaches this instance at: printed in QR codes and in certificates
# (the CRL distribution point), so it must be absolute.
# The demo serves at this address (`make demo`); a real instance sets its public one.
PUBLIC_URL = env_url("DAFTAR_PUBLIC_URL", "http://127.0.0.1:8000")
# The key that encrypts the private keys of the CA, people and organisations (64 hex digits,
# or DAFTAR_PKI_KEY_FILE); empty: a key file made under DATA_DIR/keys on first need.
PKI_KEY = env_str("DAFTAR_PKI_KEY", "")
VERIFY_MAX_BYTES = env_int("DAFTAR_VERIFY_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
VERIFY_PER_MINUTE = env_int("DAFTAR_VERIFY_PER_MINUTE", 10, minimum=1)

# Login and sessions (docs/login.md).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("DAFTAR_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True  # no script reads it: forms carry the token, htmx the header
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("DAFTAR_SESSION_SECONDS", 8 * 3600, minimum=300)
SESSION_IDLE_SECONDS = env_int("DAFTAR_SESSION_IDLE_SECONDS", 1800, minimum=60)
REAUTH_SECONDS = env_int("DAFTAR_REAUTH_SECONDS", 300, minimum=30)
if SESSION_COOKIE_SECURE:  # only behind TLS: HSTS on plain HTTP would lock browsers out
    SECURE_HSTS_SECONDS = env_int("DAFTAR_HSTS_SECONDS", 365 * 24 * 3600, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # other services of the ministry may not be on TLS
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Two-factor (django-otp): codes of the authenticator app, recovery codes as static tokens.
OTP_TOTP_ISSUER = env_str("DAFTAR_OTP_ISSUER", "Daftar")
RECOVERY_CODE_COUNT = 10

# Lockout (django-axes): failures of the password and of the second step count alike, per
# account and address, so one attacker cannot lock everyone out and cannot try many accounts.
AXES_FAILURE_LIMIT = env_int("DAFTAR_LOGIN_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DAFTAR_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field (it holds the e-mail address)
AXES_RESET_ON_SUCCESS = False  # a right password must not wipe the count of wrong codes
AXES_LOCKOUT_CALLABLE = "daftar.accounts.views.locked_out"
AXES_VERBOSE = False
# Masked in the attempts axes stores: no code or password ever lands in the database.
AXES_SENSITIVE_PARAMETERS = ["code", "old_password", "new_password1", "new_password2"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # SessionAuthentication enforces CSRF on unsafe methods; basic authentication is
        # refused to people who must use a second factor (docs/login.md).
        "rest_framework.authentication.SessionAuthentication",
        "daftar.accounts.api.PasswordOnlyBasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "daftar.api.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Daftar API",
    "VERSION": "1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    # Several serializers have a "kind"; name the search's own choice sets.
    "ENUM_NAME_OVERRIDES": {
        "KindEnum": "daftar.files.models.NoteKind",  # the name it had before search came
        "SearchEntryKindEnum": "daftar.search.models.EntryKind",
        "SearchGroupKindEnum": "daftar.search.api.GROUP_KINDS",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DAFTAR_LOG_LEVEL", "WARNING")},
    # pyHanko warns on every signature that it embeds our CRL with fetching off: that is the
    # design (signing/provider.py), not a fault; its errors still show.
    "loggers": {"pyhanko.sign.signers.pdf_signer": {"level": "ERROR"}},
}

# --- LDAP / Active Directory login (docs/ldap.md) -------------------------------------------
# Off unless DAFTAR_LDAP_URI is set. Then the directory is asked before the local password
# (ModelBackend), and django-auth-ldap reads its AUTH_LDAP_* settings set here.
_directory = directory_config()
if _directory is not None:
    globals().update(_directory.django_settings())
    AUTHENTICATION_BACKENDS = _directory.backends(AUTHENTICATION_BACKENDS)
# --- end of LDAP ----------------------------------------------------------------------------
