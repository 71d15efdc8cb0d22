"""Settings for Service Network Map, read from environment variables.

See `.env.example` for every variable. A development checkout also has a `.env` file, written
by `make setup` (DJANGO_DEBUG=1 and a development SECRET_KEY), which fills in the variables the
environment does not set; `config/wsgi.py` and `config/asgi.py` never read it. Without
`DATABASE_URL` the project uses the local PostgreSQL cluster that `scripts/localdb.sh` runs
inside the checkout.
"""

import json
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent

# The development file: DJANGO_ENV_FILE names it (empty: none, as the WSGI and ASGI entry
# points set), else the checkout's .env. Variables already in the environment always win.
_env_file = os.environ.get("DJANGO_ENV_FILE", str(BASE_DIR / ".env"))
if "DJANGO_ENV_FILE" in os.environ and _env_file and not Path(_env_file).is_file():
    raise ImproperlyConfigured(f"DJANGO_ENV_FILE names {_env_file}, which is not a file.")
if _env_file:
    load_dotenv(_env_file, override=False)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# CORE

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Development keys (the .env of `make setup`, the fallback below) start with "django-insecure",
# as Django's own do; with DEBUG off they are refused, wherever they came from.
if not DEBUG and not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set when DJANGO_DEBUG is off (the .env file of `make setup` is for "
        "development only; production sets its own key in the environment)."
    )
if not DEBUG and SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "SECRET_KEY is a development key (it starts with 'django-insecure'), refused when "
        "DJANGO_DEBUG is off: the .env file of `make setup` is for development only; "
        "production sets its own random key in the environment."
    )
if not SECRET_KEY:
    SECRET_KEY = "django-insecure-development-key-only-used-with-DJANGO_DEBUG-on"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    "leaflet",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "servicepoints",
    "servicepoints.layers",
    "servicepoints.analysis",
    "partnerships",
    "surveys",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Django's, without reading the user for views that do not need it (config/middleware.py).
    "config.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # django-pghistory's, except on the vector tiles (config/middleware.py).
    "config.middleware.TrackedHistoryMiddleware",
    # Last, as django-axes asks: it turns lock-outs into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "config.context_processors.language_switch",
            ],
        },
    },
]

# DATABASES

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    # The project-local cluster of scripts/localdb.sh; .pgdata may be a symbolic link.
    DATABASES = {
        "default": {
            "NAME": os.environ.get("PGDATABASE_NAME", "servicenetworkmap"),
            "HOST": str((BASE_DIR / ".pgdata").resolve() / "run"),
            "PORT": "5432",
            "USER": "postgres",
            "PASSWORD": "",
            "CONN_MAX_AGE": 60,
        }
    }
DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
# The history triggers (django-pgtrigger) read this setting on every row; when it is undefined
# each row pays for a caught exception, which makes tracked writes about four times slower.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c pgtrigger.ignore={}")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# BACKGROUND TASKS
# Long imports run on django-tasks' database backend: `manage.py db_worker` takes them from the
# database (started by `make run`), never a thread in the web process. TASKS_BACKEND=immediate
# runs them in the calling process instead (the test suite's default, and a one-off shell).

TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[os.environ.get("TASKS_BACKEND", "database")],
        "QUEUES": ["default", "imports"],
    }
}

# AUTHENTICATION

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login attempts: five failures for one user name from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0")) or None

# INTERNATIONALISATION

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "America/Toronto"
USE_TZ = True

# STATIC AND MEDIA FILES

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Partnership agreements: outside the web root, served only by a view that checks access.
PARTNERSHIP_DOCUMENTS_ROOT = Path(
    os.environ.get("PARTNERSHIP_DOCUMENTS_ROOT", BASE_DIR / "private" / "partnerships")
)
PARTNERSHIP_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# The dashboard's cards are kept this many seconds for the same data versions, scope, filters
# and language (servicepoints/analysis/dashboard/build.py); 0: always computed.
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "600"))
# Photos of service points: images only, at most this many bytes.
PHOTO_MAX_BYTES = int(os.environ.get("PHOTO_MAX_BYTES", str(5 * 1024 * 1024)))
# Data refresh imports (servicepoints/imports/readers): a file over IMPORT_MAX_BYTES is refused
# before it is read; archives (XLSX, zipped Shapefile) may expand to IMPORT_MAX_UNCOMPRESSED_BYTES
# in all, compress at most IMPORT_MAX_COMPRESSION_RATIO to 1 and hold IMPORT_MAX_ARCHIVE_MEMBERS
# files; a file may hold IMPORT_MAX_ROWS rows.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
IMPORT_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("IMPORT_MAX_UNCOMPRESSED_BYTES", str(500 * 1024 * 1024))
)
IMPORT_MAX_COMPRESSION_RATIO = int(os.environ.get("IMPORT_MAX_COMPRESSION_RATIO", "100"))
IMPORT_MAX_ARCHIVE_MEMBERS = int(os.environ.get("IMPORT_MAX_ARCHIVE_MEMBERS", "1000"))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "1000000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# MAPS

BASEMAP_TILES_URL = os.environ.get(
    "BASEMAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
BASEMAP_ATTRIBUTION = os.environ.get(
    "BASEMAP_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)


# The base maps the analyst map offers; the first is the default. BASE_MAPS in the environment
# (a JSON list of objects with the same keys) replaces them; servicepoints.checks validates them
# at start-up. The street map is the one above, so BASEMAP_TILES_URL still sets it.
def _json_env(name):
    try:
        return json.loads(os.environ[name])
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not valid JSON: {error}.") from error


BASE_MAPS = (
    _json_env("BASE_MAPS")
    if os.environ.get("BASE_MAPS")
    else [
        {
            "key": "street",
            "name_en": "Street map",
            "name_fr": "Plan des rues",
            "url": BASEMAP_TILES_URL,
            "attribution": BASEMAP_ATTRIBUTION,
            "max_zoom": 19,
        },
        {
            "key": "imagery",
            "name_en": "Satellite imagery",
            "name_fr": "Imagerie satellite",
            "url": "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
            "attribution": "Tiles &copy; Esri &mdash; Source: Esri, Maxar, Earthstar Geographics, "
            "and the GIS User Community",
            "max_zoom": 18,
        },
    ]
)
# A street-level view of a point: {lat} and {lon} are filled in; empty: no link.
STREET_VIEW_URL = os.environ.get(
    "STREET_VIEW_URL",
    "https://www.google.com/maps/@?api=1&map_action=pano&viewpoint={lat},{lon}",
)
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (56.0, -96.0),
    "DEFAULT_ZOOM": 3,
    "MIN_ZOOM": 2,
    "MAX_ZOOM": 18,
    "TILES": [(_("Base map"), BASEMAP_TILES_URL, {"attribution": BASEMAP_ATTRIBUTION})],
    "ATTRIBUTION_PREFIX": "Leaflet",
    "RESET_VIEW": False,
}

# GDAL older than 3.9 cannot forbid file and network access while it parses a spatial reference
# (Django's check gis.W001; Debian 12 ships GDAL 3.6). Mitigation, and why gis.W001 is silenced
# only while it applies: spatial references from uploaded files are never handed to GDAL's
# user-input parser; servicepoints.geo.trusted_srs() reads them as WKT only, accepts them only
# when they resolve to an EPSG code and rebuilds them from that code. PROJ's network access
# (grid downloads) is switched off here, before GDAL loads.
os.environ.setdefault("PROJ_NETWORK", "OFF")
SILENCED_SYSTEM_CHECKS = []
try:
    from django.contrib.gis.gdal import GDAL_VERSION

    if GDAL_VERSION < (3, 9):
        SILENCED_SYSTEM_CHECKS.append("gis.W001")
except ImportError:  # GDAL missing: Django reports it at start-up.
    pass

# SECURITY

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Django's database sessions with the user's id in a column (servicepoints/sessions.py);
# django.contrib.sessions stays installed for `manage.py clearsessions`, which uses this engine.
SESSION_ENGINE = "servicepoints.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Behind HTTPS (anything but DEBUG) cookies travel only over TLS and HTTP is redirected.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def _origin(url):
    """The scheme and host of a tile URL template, for the Content-Security-Policy."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "a"))
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else None


# Entries the start-up check will refuse are skipped here rather than failing on import.
_base_map_urls = [b.get("url") for b in BASE_MAPS if isinstance(b, dict)]
_tile_origins = sorted(
    (
        {_origin(BASEMAP_TILES_URL)}
        | {_origin(url) for url in _base_map_urls if isinstance(url, str)}
    )
    - {None}
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # Inline scripts only with the per-request nonce (django-leaflet's widgets carry it).
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *_tile_origins],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# QUESTIONNAIRES (surveys)
# Invitations are sent through Django's mail framework: printed on the console in development,
# SMTP (EMAIL_HOST…) otherwise. Private links expire after SURVEY_INVITATION_DAYS; an address
# that presents SURVEY_TOKEN_FAILURE_LIMIT unknown links in SURVEY_TOKEN_FAILURE_WINDOW seconds
# is refused until the window passes (counted in the cache).

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "questionnaires@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
SURVEY_INVITATION_DAYS = int(os.environ.get("SURVEY_INVITATION_DAYS", "60"))
SURVEY_TOKEN_FAILURE_LIMIT = int(os.environ.get("SURVEY_TOKEN_FAILURE_LIMIT", "10"))
SURVEY_TOKEN_FAILURE_WINDOW = int(os.environ.get("SURVEY_TOKEN_FAILURE_WINDOW", "900"))

# LOGGING

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # GEOS's notices ("Ring Self-intersection at or near point …") as it tests validity:
        # the imports report invalid geometry themselves, naming the file and feature.
        "django.contrib.gis": {"level": "ERROR"},
    },
}
