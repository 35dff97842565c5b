"""
Settings for the Vinings Surgery Center site.

Every value comes from the environment, with a safe local default. The parsers
below are strict: a value they cannot read stops the site at start-up with a
message naming the variable, rather than running with a surprise. Production
hardening switches on whenever DEBUG is off. Every variable is listed in
README.md ("Configuration") and in .env.example.
"""

import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
import phonenumbers
import xstatic.pkg.bootstrap
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", False)
TESTING = env_bool("DJANGO_TESTING", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and not TESTING:
        # Signed patient links and sessions depend on this key: a guessable default
        # in production would let anyone forge them.
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it (50+ random characters) or set "
            "DJANGO_DEBUG=true for local development."
        )
    SECRET_KEY = "insecure-local-development-key-never-used-when-debug-is-off"  # noqa: S105  # nosec B105

# Keys that used to be DJANGO_SECRET_KEY, newest first: links and sessions they
# signed keep working while new ones use the current key (rotation: README).
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ADMIN_URL = env_str("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

INSTALLED_APPS = [
    # Before the admin: it adds each translated field's language columns to the admin.
    "modeltranslation",
    "clinic.apps.ClinicAdminConfig",  # Django's admin with our site (2FA, branding)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_otp",
    "clinic.apps.TwoFactorConfig",  # django_otp.plugins.otp_totp, named for staff
    "clinic.apps.LockoutsConfig",  # axes, named for staff
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "clinic",
    "faq",
    "feedback",
    "booking",
    "intake",
    "waitlist",
]

MIDDLEWARE = [
    # The security headers first, outside everything else: every response gets them,
    # a 500 that an inner middleware raised (Django turns it into the error page at
    # that middleware) and stored pages answered by the page cache included.
    "clinic.middleware.SecurityHeadersMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "clinic.middleware.RequestIdMiddleware",
    "clinic.middleware.ClinicTimeZoneMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything that reads the database, so that a retried GET runs it all anew.
    "clinic.middleware.SafeRequestRetryMiddleware",
    # Stored public pages (the FAQ) are answered here, like static files, with the
    # headers they were rendered with (the outer middleware add none twice).
    # A first visit whose browser prefers Spanish goes to the Spanish page, before the
    # page cache answers with the English one.
    "clinic.languages.PreferredLanguageMiddleware",
    "clinic.pagecache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the URL: /es/… is Spanish, every other path English (the
    # admin included, which stays in English).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "clinic.middleware.StaffSessionLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that a locked-out login never reaches the view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

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
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "clinic.context_processors.clinic",
                "clinic.context_processors.languages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes SQLite's write lock when a transaction starts, so two
    # bookings for the last place queue up instead of both reading "free".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
    # Tests use a file, not SQLite's shared in-memory database: threads (the live
    # server, concurrent bookings) then get connections of their own, as in real life.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")


def cache_config(redis_url: str, *, per_process_allowed: bool) -> dict:
    """
    Redis when there is one. Without it: a per-process memory cache only for local
    runs and tests; in production the database, which every web process shares
    (with several gunicorn workers a per-process cache kept an edited FAQ stale in
    some of them for up to an hour). clinic's migrations create its table.
    """
    if redis_url:
        return {
            "default": {
                # A Redis that is down or silent degrades the site (clinic.cache).
                "BACKEND": "clinic.cache.FailSoftRedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": "vsc",
                "OPTIONS": {
                    # Redis answers in about a millisecond; waiting longer than a
                    # quarter of a second only holds a patient's page up.
                    "socket_connect_timeout": 0.25,
                    "socket_timeout": 0.25,
                },
            }
        }
    if per_process_allowed:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "vinings",
            }
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "clinic_cache",  # clinic/migrations/0002_cache_table.py
        }
    }


CACHES = cache_config(REDIS_URL, per_process_allowed=DEBUG or TESTING)

# --- Authentication ---------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out user before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff sessions: end after a few idle hours (the expiry is renewed on every
# request) and in any case after STAFF_SESSION_ABSOLUTE_HOURS (clinic.middleware).
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_IDLE_HOURS", 4) * 3600
SESSION_SAVE_EVERY_REQUEST = True
STAFF_SESSION_ABSOLUTE_HOURS = env_int("DJANGO_SESSION_ABSOLUTE_HOURS", 12)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: lock a username+address pair after AXES_FAILURE_LIMIT failures.
# Five tries is generous for a typo and hopeless for guessing a 12+ character
# password. A manager unlocks in the admin ("Access attempts") or by waiting.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a reverse proxy that appends the client's address to X-Forwarded-For, set
# DJANGO_TRUST_X_FORWARDED_FOR so lock-outs and rate limits see patients, not the proxy.
TRUST_X_FORWARDED_FOR = env_bool("DJANGO_TRUST_X_FORWARDED_FOR", False)
AXES_CLIENT_IP_CALLABLE = "clinic.clientip.client_ip"

# Two-factor authentication for staff (TOTP). Required by default in production.
STAFF_REQUIRE_2FA = env_bool("DJANGO_STAFF_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = "Vinings Surgery Center"

LOGIN_URL = "admin:login"

# --- Internationalisation and time ------------------------------------------

# English at today's URLs, Spanish under /es/ (clinic/urls.py). The admin is English.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own date formats per language (clinic/formats/): the US way in English
# ("Dec 1, 2026, 8:00 PM", not Django's "Dec. 1, 2026, 8 p.m.").
FORMAT_MODULE_PATH = ["clinic.formats"]
# Spanish versions of staff-edited texts (FAQ, services, instructions, reminders) sit
# beside the English in the same row and the same admin page. Patients see a Spanish
# text only once it is reviewed (clinic/translation.py); modeltranslation's own
# fallback is English.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "es")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"  # stored in UTC; shown in the clinic's zone (below)
CLINIC_TIME_ZONE = env_str("CLINIC_TIME_ZONE", "America/New_York")
try:
    ZoneInfo(CLINIC_TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"CLINIC_TIME_ZONE {CLINIC_TIME_ZONE!r} is not a known time zone."
    ) from None

# --- Static files -----------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap's own files, from the XStatic-Bootstrap package: same origin, no CDN.
    ("vendor/bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed file names that browsers may cache for a year. Tests
        # and DEBUG serve plain names (the manifest exists only after collectstatic).
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Without collectstatic (local runs, tests) WhiteNoise serves straight from the apps.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
WHITENOISE_MAX_AGE = 3600  # unhashed files; hashed ones get a year automatically

# --- Mail -------------------------------------------------------------------

# The EMAIL_* variable names are the familiar ones; Django 6.1 forbids EMAIL_*
# settings beside MAILERS, so they are read into MAILERS only.
_email_host = env_str("EMAIL_HOST")
# A whole delivery (connect, greeting, TLS, login, the message, QUIT) gives up
# after this many seconds (booking.smtp): a server that answers a line at a time
# must not hold a worker. Below the outbox's 5-minute lease, so a delivery has
# given up before another worker may claim the same message.
_email_deadline = env_int("EMAIL_DEADLINE", 30)
if not 1 <= _email_deadline <= 240:
    raise ImproperlyConfigured(
        f"EMAIL_DEADLINE must be between 1 and 240 seconds, not {_email_deadline}."
    )
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "booking.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                # One unanswered read; the deadline bounds the delivery as a whole.
                "timeout": env_int("EMAIL_TIMEOUT", 10),
                "deadline": _email_deadline,
            },
        }
    }
elif DEBUG or TESTING:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    # The console would print whole emails (names, links) into the server's
    # logs and send nothing: in production that is a start-up error.
    raise ImproperlyConfigured(
        "EMAIL_HOST is not set. Set it (and EMAIL_PORT, EMAIL_HOST_USER, "
        "EMAIL_HOST_PASSWORD) to the SMTP server that sends the clinic's mail, or set "
        "DJANGO_DEBUG=true for local development (mail is then printed to the console)."
    )
# The worker (run_jobs) sends every message: a patient's request never waits on
# the mail server. Only a local run printing mail to its console, which waits on
# nothing, also sends each message right after commit, so `make run` shows mail
# without a worker.
MAIL_SEND_AFTER_COMMIT = DEBUG and not _email_host

DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Vinings Surgery Center <appointments@viningssurgery.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
CLINIC_RECEPTION_EMAIL = env_str("CLINIC_RECEPTION_EMAIL", "reception@viningssurgery.example")
# How often the outbox retries a message before giving up. Back-off doubles from a
# minute to six hours, so 16 tries span about two days: a mail server down for a
# weekend loses nothing.
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 16)
# The clinic's mail domain: the right-hand side of every Message-ID (Django's
# default is this machine's host name, often "localhost", which spam filters
# score against) and the DKIM signing domain. Defaults to the sender's domain.
MAIL_DOMAIN = env_str("MAIL_DOMAIN") or DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >")
# Optional DKIM signing by the site itself (when the SMTP relay does not sign):
# all three or none. The key file is read once here, so a missing or unreadable
# key stops the site at start-up instead of failing every message later.
DKIM_SELECTOR = env_str("DKIM_SELECTOR")
DKIM_DOMAIN = env_str("DKIM_DOMAIN") or MAIL_DOMAIN
DKIM_PRIVATE_KEY_PATH = env_str("DKIM_PRIVATE_KEY_PATH")
if bool(DKIM_SELECTOR) != bool(DKIM_PRIVATE_KEY_PATH):
    raise ImproperlyConfigured("Set both DKIM_SELECTOR and DKIM_PRIVATE_KEY_PATH, or neither.")
try:
    DKIM_PRIVATE_KEY = Path(DKIM_PRIVATE_KEY_PATH).read_bytes() if DKIM_PRIVATE_KEY_PATH else b""
except OSError as error:
    raise ImproperlyConfigured(f"DKIM_PRIVATE_KEY_PATH cannot be read: {error}") from None
# Personal data of bookings whose appointment is older than this is anonymised
# by `manage.py purge_old_bookings` (stated in the privacy notice).
BOOKING_RETENTION_DAYS = env_int("BOOKING_RETENTION_DAYS", 730)
# Answers, signed consents and clinicians' reviews are patient records: Georgia
# requires them kept at least ten years. purge_old_bookings keeps them this long
# while the booking's other personal data follow BOOKING_RETENTION_DAYS.
CLINICAL_RECORD_RETENTION_DAYS = env_int("CLINICAL_RECORD_RETENTION_DAYS", 3650)
# A patient's emailed link stops opening this many days after the appointment's
# day (booking.links.expired); the patient is shown the clinic's phone number.
BOOKING_LINK_DAYS_AFTER = env_int("BOOKING_LINK_DAYS_AFTER", 30)

# --- The clinic -------------------------------------------------------------
# One place for who the clinic is. Opening hours are data (booking.OpeningHours),
# edited by managers, and shown from there.

CLINIC = {
    "name": env_str("CLINIC_NAME", "Vinings Surgery Center"),
    "street": env_str("CLINIC_STREET", "2810 Paces Ferry Road SE, Suite 100"),
    "locality": env_str("CLINIC_LOCALITY", "Atlanta"),
    "region": env_str("CLINIC_REGION", "GA"),
    "postal_code": env_str("CLINIC_POSTAL_CODE", "30339"),
    "country": "US",
    "email": env_str("CLINIC_EMAIL", "info@viningssurgery.example"),
}


def _clinic_phone(text: str) -> dict[str, str]:
    """The clinic's number as US patients write it, and as a `tel:` link dials it."""
    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException as error:
        raise ImproperlyConfigured(f"CLINIC_PHONE is not a phone number: {text!r}") from error
    if not phonenumbers.is_valid_number(number):
        raise ImproperlyConfigured(f"CLINIC_PHONE is not a valid number: {text!r}")
    shown = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 1
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return {
        "phone": phonenumbers.format_number(number, shown),  # "(770) 555-0142"
        "phone_e164": phonenumbers.format_number(  # "+17705550142", for tel: and JSON-LD
            number, phonenumbers.PhoneNumberFormat.E164
        ),
    }


CLINIC |= _clinic_phone(env_str("CLINIC_PHONE", "+1 770-555-0142"))

# --- Forms ------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security headers -------------------------------------------------------

# Only our own origin, no inline script or style: injected markup cannot run.
# Scripts that we do need carry the per-response nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Features this site never uses, switched off for every page (clinic.middleware).
# Only features browsers still know: an obsolete one (interest-cohort) only adds a
# warning to every page's console.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"
)

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto. Off by default:
# trusting the header without such a proxy lets a client claim HTTPS.
if env_bool("DJANGO_TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if not DEBUG:
    # Browsers talk to us only over HTTPS; cookies never travel in the clear.
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # /healthz is polled by the load balancer over plain HTTP on the private side.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "clinic.views.csrf_failure"

SILENCED_SYSTEM_CHECKS = [
    # SECURE_HSTS_PRELOAD is a one-way commitment for the whole domain; the IT
    # person opts in with DJANGO_HSTS_PRELOAD once every subdomain is HTTPS.
    "security.W021",
]

# --- Logging ----------------------------------------------------------------
# One line per event, key=value, with the request id. Nothing personal is logged:
# bookings are referred to by their reference code only.

LOG_LEVEL = env_str("DJANGO_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "clinic.logging.RequestIdFilter"},
        "redact_links": {"()": "clinic.logging.RedactPatientLinksFilter"},
    },
    "formatters": {
        "structured": {
            "format": "time=%(asctime)s level=%(levelname)s logger=%(name)s "
            "request_id=%(request_id)s msg=%(message)s",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "structured",
            "filters": ["request_id", "redact_links"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # The request logger prints full URLs of 4xx/5xx; ours carry no personal data.
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
    },
}
