"""The newsroom's one settings file: everything that differs between machines comes from the environment.

Defaults are safe for a laptop (SQLite, local media, DEBUG off unless asked for); production refuses
to start without the values it cannot guess, such as SECRET_KEY.
"""

import hashlib
import os
import re
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from django_prose_editor.config import html_tags
from js_asset import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# Without DEBUG there is no default key. Management commands that never sign anything (makemigrations,
# check) still run; the WSGI/ASGI entry points call require_secret_key(), so no server starts without one.
SECRET_KEY = env("SECRET_KEY") or ("development-only-key-never-use-in-production" if DEBUG else "")


def require_secret_key():
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=1 for local development."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation must come before the admin so its translated fields appear there.
    "modeltranslation",
    "newsroom.admin_site.NewsroomAdminConfig",  # Django's admin, its list screens guarded (newsroom/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # The search index's tsvector column (PostgreSQL full-text search); harmless on SQLite.
    "django.contrib.postgres",
    "taggit",
    "django_prose_editor",
    "reversion",
    "newsroom.apps.LoginProtectionConfig",  # django-axes (login lockout), named in Arabic
    "django_otp",
    "django_otp.plugins.otp_totp",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before the page cache, so a page served from it still gets both headers, made for this response: the cache
    # keeps no Content-Security-Policy, and public pages use no nonce (newsroom/security.py says why).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "newsroom.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before every middleware that may query: a database outage there becomes the 503 page, not a 500.
    "newsroom.outage.DatabaseOutageMiddleware",
    "articles.old_addresses.OldAddressMiddleware",  # before the page cache: it must never keep / under /?p=ID
    # Before sessions, locale and authentication: a page from the cache costs no query and touches no session.
    "articles.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After OTPMiddleware: keeps staff who must use two-factor login out of the admin until they do.
    "articles.accounts.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username/address pair is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                # {% csp_nonce_attr %} in the admin's templates (Django's own and ours) reads the nonce from here.
                "django.template.context_processors.csp",
            ],
        },
    },
]

# SQLite file in the project unless DATABASE_URL names another database (postgres://… in production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env("DB_CONN_MAX_AGE", "0")),
        # With persistent connections, check one before reusing it: after a database restart the first request
        # reconnects instead of failing on the dead connection (newsroom/outage.py).
        conn_health_checks=True,
    )
}
# An optional read replica of the primary: readers' pages read from it, writes and the admin use the primary
# (newsroom/routers.py says which request is which, and what replication lag means here).
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=int(env("DB_CONN_MAX_AGE", "0")), conn_health_checks=True
    )
    # Tests have one database: the replica alias reads the test copy of the primary.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["newsroom.routers.ReplicaRouter"]
    # After the outage middleware (a replica that is down is a 503 like the primary), before the page cache.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("articles.page_cache.PageCacheMiddleware"), "newsroom.routers.ReaderRequestMiddleware"
    )
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.sqlite3":
        # Writers save while readers read: WAL and a busy timeout keep SQLite from answering "database is locked".
        _database["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
        }
    elif _database["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiler and parallel workers pay off on long analytic queries; a page's queries are
        # short. JIT spent up to a second compiling them, and starting parallel workers cost more than they saved
        # (the search at 100,000 articles: 43 ms with them, 35 without; README "Performance"). Set for this
        # site's connections only, added to any options DATABASE_URL carries (?options=…) unless it sets them.
        _options = _database.setdefault("OPTIONS", {})
        for _name, _value in (("jit", "off"), ("max_parallel_workers_per_gather", "0")):
            if not re.search(rf"(?:-c\s*|--){_name}=", _options.get("options", "")):
                _options["options"] = f"{_options.get('options', '')} -c {_name}={_value}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Password validators: Django's four, which also supply the Arabic messages. Ten characters rather than
# Django's eight: every account here can reach the admin, and a passphrase is easy to type at ten.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Arabic first: the unprefixed site and the admin are Arabic; English lives under /en/.
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Damascus")
USE_I18N = True
# Arabic date formats for the admin (Django's name none for a date and time): newsroom/formats/ar/formats.py.
FORMAT_MODULE_PATH = ["newsroom.formats"]
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "ar"
MODELTRANSLATION_LANGUAGES = ("ar", "en")
# The tabbed translation admin asks for jQuery UI; serve our own copy, never a CDN's.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

STATIC_URL = env("STATIC_URL", "/static/")
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Uploads in S3-compatible object storage (AWS S3, MinIO, Ceph, a cloud's S3 endpoint) when MEDIA_BUCKET is set,
# through django-storages; MEDIA_ROOT is then unused. Every part of the site reads and writes media through the
# default storage (articles/intake.py, renditions.py, media_cleanup.py, backup.py), so this is the only switch.
MEDIA_BUCKET = env("MEDIA_BUCKET", "")
# The host readers load photos from (a CDN, or the bucket's own public host); unset, the endpoint's address.
MEDIA_DOMAIN = env("MEDIA_DOMAIN", "")
if MEDIA_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_BUCKET,
            # Unset: AWS itself, in MEDIA_REGION (or the region boto3 finds configured).
            "endpoint_url": env("MEDIA_ENDPOINT_URL") or None,
            "region_name": env("MEDIA_REGION") or None,
            # Unset: boto3's own credential chain (AWS_* variables, ~/.aws, the instance's or pod's role), so a
            # server with a role needs no key in its environment.
            "access_key": env("MEDIA_ACCESS_KEY") or None,
            "secret_key": env("MEDIA_SECRET_KEY") or None,
            "custom_domain": MEDIA_DOMAIN or None,
            # Photos are public: plain addresses that a CDN and browsers can cache, not signed ones that expire
            # inside cached pages. The bucket (or the CDN in front) must let anyone read; nothing here sets ACLs.
            "querystring_auth": False,
            # Never replace a stored file: a cached page may still show it. A taken name gets a suffix instead,
            # as on disk (articles/renditions.py relies on that for a forced rerun).
            "file_overwrite": False,
            # A rendition's name changes with its content (the key in renditions/<id>/<key>/), so a week is safe.
            "object_parameters": {"CacheControl": "public, max-age=604800"},
        },
    }

# Request bodies held in memory before Django spools them to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# One cache for every app server when REDIS_URL is set (who is editing which article, login throttling state,
# later whole pages); otherwise each process keeps its own in memory, which suits one server.
REDIS_URL = env("REDIS_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    # Django's default of 300 entries is fewer than a site's pages (every article, section, tag, person, archive
    # and list page, in each language): past it, the least recently read third is dropped at once, and junk
    # addresses fill it quickly. A page is 5-50 KB of HTML, so even 1000 long ones stay under 50 MB a worker.
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 1000}}
}

# Whole public pages are cached (articles/page_cache.py) for at most this many seconds; every change that shows
# on the site invalidates them at once, so this only bounds what time alone changes (relative times, the news
# sitemap's window). 0 turns the page cache off.
NEWSROOM_PAGE_CACHE_SECONDS = int(env("NEWSROOM_PAGE_CACHE_SECONDS", "300"))
if NEWSROOM_PAGE_CACHE_SECONDS < 0:
    raise ImproperlyConfigured("NEWSROOM_PAGE_CACHE_SECONDS must be 0 (off) or more.")
# Without REDIS_URL each worker process has its own memory cache; the processes of one server learn that the
# pages changed from this small file (one per project folder, in the system's temporary folder by default).
NEWSROOM_PAGE_CACHE_STAMP = Path(
    env("NEWSROOM_PAGE_CACHE_STAMP")
    or Path(tempfile.gettempdir()) / f"newsroom-pages-{hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:12]}"
)

# Photo uploads: refused above these sizes. Pixels are read from the file's header before any decoding,
# so a small file that would expand into a huge image (a decompression bomb) costs nothing.
NEWSROOM_PHOTO_MAX_BYTES = int(env("NEWSROOM_PHOTO_MAX_BYTES", str(25 * 1024 * 1024)))
NEWSROOM_PHOTO_MAX_PIXELS = int(env("NEWSROOM_PHOTO_MAX_PIXELS", str(60_000_000)))

# The article body's photo button (static/js/editor-photo.js). django-prose-editor 0.28 registers a custom
# extension's script only through this setting; without it the editor would drop inline photos on load.
# articles/text.py still does the cleaning on save.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("js/editor-photo.js")],
        "extensions": {"Photo": html_tags(["figure"], {"figure": ["data-photo-id"]})},
    },
]

# Newsrooms that publish text-only briefs may publish without a lead photo.
NEWSROOM_REQUIRE_LEAD_PHOTO = env_bool("NEWSROOM_REQUIRE_LEAD_PHOTO", True)

# How long a reviewer's signed preview link (articles/preview.py) keeps working, in hours.
NEWSROOM_PREVIEW_LINK_HOURS = int(env("NEWSROOM_PREVIEW_LINK_HOURS", "48"))
if NEWSROOM_PREVIEW_LINK_HOURS < 1:
    raise ImproperlyConfigured("NEWSROOM_PREVIEW_LINK_HOURS must be at least 1.")

TAGGIT_CASE_INSENSITIVE = True

LOGIN_URL = "admin:login"
# Where a login goes when its ?next= is refused or missing: every account here is staff (Django's default,
# /accounts/profile/, is a 404).
LOGIN_REDIRECT_URL = "admin:index"

# --- Email ---------------------------------------------------------------------------------------------
# Invitations are the only mail the newsroom sends. One switch: EMAIL_HOST turns on SMTP; otherwise
# EMAIL_FILE_PATH writes each message to a file in that folder; otherwise messages go to the console (the
# server log), which is what a laptop wants. Django 6.1's MAILERS, not the EMAIL_* settings it deprecates.
# `check --deploy` reports a console or file mailer as an error: in production, invitations must reach people.
if env("EMAIL_HOST"):
    _email_ssl = env_bool("EMAIL_USE_SSL", False)
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST"),
                # Unset: 587 with STARTTLS, 465 with SSL.
                "port": int(env("EMAIL_PORT")) if env("EMAIL_PORT") else None,
                "username": env("EMAIL_HOST_USER", ""),
                "password": env("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", not _email_ssl),
                "use_ssl": _email_ssl,
                # Mail is sent while the administrator waits for the page: a dead mail server must not hang it.
                "timeout": int(env("EMAIL_TIMEOUT", "10")),
            },
        },
    }
elif env("EMAIL_FILE_PATH"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": env("EMAIL_FILE_PATH")},
        },
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "newsroom@localhost")

# --- Invitations -----------------------------------------------------------------------------------------
# An invitation link (Django's password-reset token) is good for three days: long enough for an invitee
# who reads mail only on working days to get past a weekend, short enough that a forgotten mail in an
# inbox is not a standing key to the admin. It works once, because the token is bound to the password
# hash, which changes when the password is set. Resending from the user list makes a fresh link.
PASSWORD_RESET_TIMEOUT = int(env("PASSWORD_RESET_TIMEOUT", str(3 * 24 * 60 * 60)))

# --- Login throttling (django-axes) -------------------------------------------------------------------
# Five wrong passwords from one address for one username lock that pair out for fifteen minutes; a
# successful login clears the count. Axes's own defaults (three failures, per address, no cool-off) would
# lock an office behind one router out for good.
# Per username AND address, not per username alone: counting by username alone would let anyone on the
# internet lock the editor-in-chief out by typing her username five times. Guessing one password from many
# addresses is what the password validators and two-factor login are for.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A wrong password during a lockout starts the cool-off again: a script that keeps trying stays locked.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
# Arabic, and the same page whether or not the username exists, so the lockout tells a stranger nothing.
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# AccessAttempt already keeps the count and the last request of each username/address pair, and AccessLog
# every successful login; a row per failure would be an unbounded table fed by anonymous requests.
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Whose address is it? Only behind our own TLS proxy do we believe X-Forwarded-For, and then only its last
# entry, the one the proxy itself added; anything to its left came from the client and is forgeable.
# (django-ipware is not installed, so axes's AXES_IPWARE_* settings would do nothing: this function is the rule.)
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
AXES_CLIENT_IP_CALLABLE = "articles.accounts.client_ip_address"

# --- Two-factor login (django-otp, TOTP) ----------------------------------------------------------------
# Roles that must set up two-factor login before they may use the admin, e.g. "editor,administrator".
# Anyone may turn it on for themselves at /accounts/two-factor/; once on, the admin login asks for the code.
NEWSROOM_REQUIRE_2FA_FOR = env_list("NEWSROOM_REQUIRE_2FA_FOR", "")
# A misspelt role would silently oblige nobody: refuse to start instead.
if set(NEWSROOM_REQUIRE_2FA_FOR) - {"writer", "photographer", "editor", "administrator"}:
    raise ImproperlyConfigured(
        "NEWSROOM_REQUIRE_2FA_FOR takes a comma list of roles: writer, photographer, editor, administrator."
    )
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Newsroom")

# Security. Development keeps plain HTTP; production gets secure cookies, HSTS and an HTTPS redirect.
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, refusing a forged key before it reaches the database (newsroom/sessions.py).
SESSION_ENGINE = "newsroom.sessions"
# No script of ours reads the CSRF cookie (autosave takes the token from the form, as Django's admin does), so
# a script injected into a page cannot read it either.
CSRF_COOKIE_HTTPONLY = True
# The language switch's cookie: no script reads it, and it goes with the session cookie's flags.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# Other sites learn which site sent a reader, never which page: an unpublished story's preview link or an admin
# address stays here. (Plain "same-origin" would hide even the site from the outlets that link back to us.)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (Django's ContentSecurityPolicyMiddleware): everything from this site alone, nothing
# inline unless it carries the response's nonce. Only the admin's templates use the nonce ({% csp_nonce_attr %});
# public pages have no inline script or style, so they need none and their cached copies hold none. No
# 'unsafe-inline', 'unsafe-eval' or other host anywhere; images also from MEDIA_URL's host when uploads are
# served from elsewhere (object storage). No data: images: nothing we serve needs them.
_media_origins = ["/".join(MEDIA_URL.split("/")[:3])] if MEDIA_URL.startswith(("https://", "http://")) else []
if MEDIA_BUCKET:
    # The storage makes photo addresses itself, whatever MEDIA_URL says: on MEDIA_DOMAIN, else on the endpoint
    # (path style, http://endpoint/bucket/…), else on AWS's host for the bucket. AWS addresses a bucket named with
    # dots by path, on the global host or its region's, whichever boto3 settles on (a region can also come from
    # AWS_DEFAULT_REGION or ~/.aws): both, where the region is known here; MEDIA_DOMAIN otherwise.
    _endpoint = env("MEDIA_ENDPOINT_URL", "")
    _region = env("MEDIA_REGION", "") or env("AWS_DEFAULT_REGION", "")
    if MEDIA_DOMAIN:
        _media_origins = [f"https://{MEDIA_DOMAIN.split('/')[0]}"]
    elif _endpoint:
        _media_origins = ["/".join(_endpoint.split("/")[:3])]
    elif "." in MEDIA_BUCKET:
        _media_origins = ["https://s3.amazonaws.com", *([f"https://s3.{_region}.amazonaws.com"] if _region else [])]
    else:
        _media_origins = [f"https://{MEDIA_BUCKET}.s3.amazonaws.com"]
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, *_media_origins],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Browsers report each violation to this address when one is given (a collector of the operator's choosing).
if env("NEWSROOM_CSP_REPORT_URI"):
    SECURE_CSP["report-uri"] = [env("NEWSROOM_CSP_REPORT_URI")]
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # The header only makes the domain eligible for browsers' preload lists; submitting it (hstspreload.org) is a
    # separate, deliberate step, slow to undo. Turn it off while trying out a domain that may not stay on HTTPS.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# A single small server serves its own uploads; turn off when a web server or object storage does it. With
# MEDIA_BUCKET there is nothing on disk to serve: off, and asking for it is a mistake worth stopping for.
SERVE_MEDIA = env_bool("SERVE_MEDIA", not MEDIA_BUCKET)
if MEDIA_BUCKET and SERVE_MEDIA:
    raise ImproperlyConfigured("SERVE_MEDIA cannot be on with MEDIA_BUCKET: uploads are served by the bucket.")

# Month names on Arabic pages: "levantine" (كانون الثاني، شباط …) or "egyptian" (يناير، فبراير …).
NEWSROOM_ARABIC_MONTHS = env("NEWSROOM_ARABIC_MONTHS", "levantine")
if NEWSROOM_ARABIC_MONTHS not in {"levantine", "egyptian"}:
    raise ImproperlyConfigured("NEWSROOM_ARABIC_MONTHS must be 'levantine' or 'egyptian'.")

# Digits in dates and counts on Arabic pages: "western" (0123) or "arabic-indic" (٠١٢٣).
NEWSROOM_DIGITS = env("NEWSROOM_DIGITS", "western")
if NEWSROOM_DIGITS not in {"western", "arabic-indic"}:
    raise ImproperlyConfigured("NEWSROOM_DIGITS must be 'western' or 'arabic-indic'.")

# A Hijri (Umm al-Qura) date beside the Gregorian one, in bylines and day archives: «٥ رمضان ١٤٤٥ هـ».
NEWSROOM_HIJRI_DATES = env_bool("NEWSROOM_HIJRI_DATES", False)

# The publication's name in the page header, share cards and the publisher of its structured data; empty
# means the translated «Newsroom» (غرفة الأخبار), so the demo reads well in both languages.
NEWSROOM_SITE_NAME = env("NEWSROOM_SITE_NAME", "")

# In development WhiteNoise serves straight from the source folders; production serves collectstatic's output.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
