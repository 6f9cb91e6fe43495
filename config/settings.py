"""Settings, all from the environment (12-factor). See README.md for the variables.

DJANGO_ENV chooses sane defaults: "development" (make run), "test" (pytest) or "production".
"""

from pathlib import Path

import environ
from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
IS_PRODUCTION = DJANGO_ENV == "production"
DEBUG = env.bool("DEBUG", default=DJANGO_ENV == "development")

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if IS_PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production.")
    SECRET_KEY = "dev-only-insecure-key-never-used-in-production-0123456789abcdef"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if IS_PRODUCTION else ["*"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    # Project apps first so their templates override third-party ones.
    "ecoquartier.core",
    "ecoquartier.accounts",
    "ecoquartier.notifications",
    "ecoquartier.territories",
    "ecoquartier.organisations",
    "ecoquartier.projects",
    "ecoquartier.referentiel",
    "ecoquartier.indicators",
    "ecoquartier.assessments",
    "ecoquartier.calls",
    "ecoquartier.applications",
    "ecoquartier.followup",
    "ecoquartier.labels",
    "ecoquartier.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # dsfr before django.forms: its checkbox and radio templates must win.
    "dsfr",
    "django.forms",
    "widget_tweaks",
    "django_tasks",
    "django_tasks_db",
    "axes",
]

MIDDLEWARE = [
    "ecoquartier.core.framestack.FrameRoomMiddleware",  # outermost: see ADR 28
    "ecoquartier.core.observability.RequestLogMiddleware",
    "ecoquartier.core.middleware.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ecoquartier.core.middleware.NulBytesMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ecoquartier.core.middleware.RepeatedSubmissionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ecoquartier.core.context_processors.platform",
                "ecoquartier.notifications.context_processors.badge",
            ],
            # `|date` writes « 1er janvier » (core/dates.py).
            "builtins": ["ecoquartier.core.templatetags.dates"],
        },
    },
]
FORM_RENDERER = "ecoquartier.core.renderers.FormRenderer"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the dev server and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ProConnect (OpenID Connect) is switched on only when its settings are present.
OIDC_RP_CLIENT_ID = env.str("PROCONNECT_CLIENT_ID", default="")
PROCONNECT_ENABLED = bool(OIDC_RP_CLIENT_ID)
if PROCONNECT_ENABLED:
    OIDC_RP_CLIENT_SECRET = env.str("PROCONNECT_CLIENT_SECRET")
    _pc = env.str("PROCONNECT_DOMAIN").rstrip("/")
    OIDC_OP_AUTHORIZATION_ENDPOINT = f"{_pc}/authorize"
    OIDC_OP_TOKEN_ENDPOINT = f"{_pc}/token"
    OIDC_OP_USER_ENDPOINT = f"{_pc}/userinfo"
    OIDC_OP_JWKS_ENDPOINT = f"{_pc}/jwks"
    OIDC_OP_LOGOUT_ENDPOINT = f"{_pc}/session/end"
    OIDC_RP_SIGN_ALGO = "RS256"
    OIDC_RP_SCOPES = "openid email given_name usual_name siret"
    OIDC_STORE_ID_TOKEN = True  # ProConnect's logout needs the id_token hint.
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("ecoquartier.accounts.oidc.ProConnectBackend")

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True

# Always French (issue 13): the audience is French public services, so the browser's
# Accept-Language is not followed (no LocaleMiddleware) and French is the only language.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    # Scale-out path: S3-compatible object storage for uploads. Private bucket: objects carry no
    # ACL and are handed out through short-lived presigned URLs only (docs/private-files.md).
    # Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, read by boto3 from the environment.
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default=None)
    AWS_S3_SIGNATURE_VERSION = "s3v4"
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    AWS_QUERYSTRING_EXPIRE = env.int("AWS_QUERYSTRING_EXPIRE", default=60)
    AWS_S3_CUSTOM_DOMAIN = None
# Private files are never served from MEDIA_URL: a view checks the permission, then streams the
# file, or hands it to nginx through this `internal;` location (X-Accel-Redirect) when set.
PRIVATE_FILES_INTERNAL_URL = env.str("PRIVATE_FILES_INTERNAL_URL", default="")
# Dotted path to a callable(upload) raising ValidationError, run on every upload (antivirus).
UPLOAD_ANTIVIRUS = env.str("UPLOAD_ANTIVIRUS", default="")
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
WHITENOISE_AUTOREFRESH = not IS_PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_CONFIG = env.email_url(
    "EMAIL_URL",
    default="consolemail://" if DJANGO_ENV == "development" else "smtp://localhost:25",
)
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="ecoquartier@developpement-durable.gouv.fr"
)

TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# Security headers. Strict in production; `manage.py check --deploy` is clean there.
# Sessions in the database by default; `cached_db` keeps them in the shared cache (Redis) too,
# so app servers read them without a query and still lose none when the cache restarts.
SESSION_ENGINE = env.str("SESSION_ENGINE", default="django.contrib.sessions.backends.db")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Browser features no page uses, denied to every origin (core.middleware); the map only shows a
# point typed by the user, it never asks for the position.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "bluetooth", "camera", "display-capture",
        "encrypted-media", "gamepad", "geolocation",
        "gyroscope", "hid", "idle-detection", "magnetometer", "microphone", "midi", "payment",
        "picture-in-picture", "publickey-credentials-get", "screen-wake-lock", "serial",
        "usb", "xr-spatial-tracking", "interest-cohort", "browsing-topics",
    )
}  # fmt: skip
if IS_PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers check app servers directly, in plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

MAP_TILES_URL = env.str("MAP_TILES_URL", default="")
_tiles_origin = "/".join(MAP_TILES_URL.split("/")[:3]) if MAP_TILES_URL else None
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": [SELF, NONCE],
        # DSFR sets a few inline styles from its JavaScript and templates.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"] + ([_tiles_origin] if _tiles_origin else []),
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"] + ([env.str("PROCONNECT_DOMAIN")] if PROCONNECT_ENABLED else []),
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

DSFR_CONTENT_IS_SAFE = False
DSFR_MARK_OPTIONAL_FIELDS = True
DSFR_USE_INTEGRITY_CHECKSUMS = True

PLATFORM_NAME = "Plateforme ÉcoQuartier"
PLATFORM_TAGLINE = "Aménager durablement les territoires, un dossier par projet"

# Structured logs (core/observability.py): one JSON object per line in production, plain text
# elsewhere; every request and every task is logged at INFO by its own logger.
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if IS_PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "ecoquartier.core.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "ecoquartier.requests": {
            # runserver logs requests itself in development.
            "level": env.str("REQUEST_LOG_LEVEL", default="INFO" if IS_PRODUCTION else "WARNING")
        },
        "ecoquartier.tasks": {"level": "INFO"},
        # Our task logs say the same, with fields: django-tasks' own lines are not needed.
        "django_tasks": {"level": "WARNING"},
    },
}

# Error tracking (Sentry-compatible: Sentry, GlitchTip…), off unless SENTRY_DSN is set.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from ecoquartier.core.observability import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=DJANGO_ENV,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

if DJANGO_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
