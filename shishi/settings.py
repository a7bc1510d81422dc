"""One settings file, driven by environment variables (see README "Configuration").

Defaults give a safe local demo: DEBUG off, SQLite under var/, huey on SQLite, console
notifications. Production sets SHISHI_SECRET_KEY, SHISHI_ALLOWED_HOSTS, SHISHI_HTTPS=1,
DATABASE_URL and REDIS_URL.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from shishi.core.instance import var_dir

BASE_DIR = Path(__file__).resolve().parent.parent
# Created by `shishi` / wsgi.py / the test run (`core.instance.ensure_var_dir`), not here.
VAR_DIR = var_dir()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool = False) -> bool:
    """1/0, true/false, yes/no, on/off in any case; unset or empty gives `default`.

    Anything else is refused, so a typo such as SHISHI_HTTPS=ture cannot switch a setting off.
    """
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in _TRUE | _FALSE:
        return value in _TRUE
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is not a yes/no value: use 1/0, true/false, yes/no or on/off"
    )


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """SHISHI_SECRET_KEY, else the random key `shishi` keeps in var/ so sessions survive
    restarts, else (a process that did not create var/, such as a test run) one for this
    process only."""
    if key := os.environ.get("SHISHI_SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if key_file.exists() and (key := key_file.read_text().strip()):
        return key
    return secrets.token_urlsafe(64)


SECRET_KEY = _secret_key()
DEBUG = env_bool("SHISHI_DEBUG")
HTTPS = env_bool("SHISHI_HTTPS")
ALLOWED_HOSTS = env_list("SHISHI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("SHISHI_CSRF_TRUSTED_ORIGINS", "")

# The city this installation serves; shown in headers and used in readable codes.
CITY_NAME = os.environ.get("SHISHI_CITY_NAME", "漳州市")
CITY_CODE_PREFIX = os.environ.get("SHISHI_CODE_PREFIX", "ZZ")
CAMPAIGN_NAME = os.environ.get("SHISHI_CAMPAIGN_NAME", "我为群众办实事")
# Where citizens reach the public pages; SMS link to their tracking page under it.
PUBLIC_URL = os.environ.get("SHISHI_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "huey.contrib.djhuey",
    "shishi.core",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "shishi.orgs",
    "shishi.appeals",
    "shishi.projects",
    "shishi.campaign",
    "shishi.outreach",
    "shishi.sites",
    "shishi.enterprises",
    "shishi.cases",
    "shishi.contest",
    "shishi.reports",
    "shishi.portal",
    "shishi.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "shishi.core.middleware.PrivacyHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks the user verified by a second factor; ActorMiddleware (below) relies on it.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shishi.orgs.middleware.ActorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shishi.urls"
WSGI_APPLICATION = "shishi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "shishi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shishi.core.context_processors.site",
                "shishi.orgs.context_processors.staff",
                "shishi.portal.elder.context",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "shishi.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SQLITE_PATH}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: its compiling took 160 ms of a 390 ms count at 1M appeals (bench/). Pages run
    # short indexed queries; the few long reports do not need it either.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a write transaction takes the lock at BEGIN, so two writers queue
        # instead of failing halfway with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;"
            "PRAGMA foreign_keys=ON;PRAGMA busy_timeout=30000;"
        ),
    }
    # A file (not memory) so tests with several threads share it; one per process so two
    # test runs on one machine never share a database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test_shishi_{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.Person"

# --- Cache ----------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "shishi",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background work (huey) -------------------------------------------------------------
if REDIS_URL:
    HUEY = {"huey_class": "huey.PriorityRedisHuey", "name": "shishi", "url": REDIS_URL}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "shishi",
        "filename": str(VAR_DIR / "huey.sqlite3"),
    }
HUEY |= {
    "immediate": env_bool("SHISHI_HUEY_IMMEDIATE"),
    "utc": True,
    "consumer": {"workers": 2, "worker_type": "thread", "periodic": True},
}
# The worker counts as alive while its heartbeat is younger than this.
WORKER_STALE_AFTER = timedelta(minutes=3)

# Backups (core.backup): the worker takes one a night at 02:30 (Asia/Shanghai) into this
# folder and keeps the newest SHISHI_BACKUP_KEEP; `shishi backup` / `shishi restore` by hand.
BACKUP_DIR = Path(os.environ.get("SHISHI_BACKUP_DIR", VAR_DIR / "backups"))
BACKUP_KEEP = int(os.environ.get("SHISHI_BACKUP_KEEP", "14"))

# --- Auth and security -------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
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
        "NAME": "shishi.orgs.validators.ChineseMinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
# An account locks after 5 failures *from one address* (so nobody can lock a clerk out from
# elsewhere); an address failing on many accounts is stopped by its own, higher limit, and a
# username failing from many addresses is slowed down (orgs.views.shell.LoginView).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "shishi.orgs.views.shell.locked_out"
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("SHISHI_LOGIN_FAILURES_PER_ADDRESS", "30"))
# After this many failures of one username in an hour (from anywhere), one try per interval.
LOGIN_SLOW_AFTER = 5
LOGIN_SLOW_SECONDS = 20
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "staff/locked_out.html"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_CLIENT_IP_CALLABLE = "shishi.core.ratelimit.client_ip"
# Second factor (TOTP, django-otp): after the password, people holding one of these roles
# (orgs.Role codes) — and superusers and Django-admin staff — type a 6-digit code from an
# authenticator app or a one-time recovery code; without a device they enrol first. Off only
# for a demo (`make run` turns it off) or tests; `check --deploy` warns when it is off.
TOTP_ENFORCE = env_bool("SHISHI_TOTP_ENFORCE", default=True)
TOTP_REQUIRED_ROLES = env_list(
    "SHISHI_TOTP_REQUIRED_ROLES", "city_admin,operator,supervisor,auditor"
)
TOTP_RECOVERY_CODES = 10
# The password step is good for this long while the second factor (or enrolment) is typed.
TOTP_PENDING_MINUTES = 10
OTP_TOTP_ISSUER = f"{CITY_NAME}实事平台"
# Proxies in front of the app that append to X-Forwarded-For (1 behind nginx; 0 = direct).
PROXY_COUNT = int(os.environ.get("SHISHI_PROXY_COUNT", "0"))

# Staff sessions end after 30 idle minutes: every request pushes the expiry forward.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # The health probe comes from the load balancer over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Notifications (outbox) ------------------------------------------------------------------
# Channel -> delivery backend. Every message is written to the outbox table inside the
# transaction that caused it and delivered by the worker after commit.
OUTBOX_BACKENDS = {
    "email": os.environ.get("SHISHI_EMAIL_BACKEND", "shishi.core.outbox.ConsoleBackend"),
    "sms": os.environ.get("SHISHI_SMS_BACKEND", "shishi.core.outbox.ConsoleBackend"),
    "console": "shishi.core.outbox.ConsoleBackend",
}
OUTBOX_MAX_ATTEMPTS = 8
# SMS providers (README "SMS"): the backend above picks one —
#   shishi.core.smsproviders.AliyunBackend, .TencentBackend, .HttpBackend (a province's
#   unified platform) — or the console. Credentials come from the environment only.
SMS_SIGN_NAME = os.environ.get("SHISHI_SMS_SIGN_NAME", "漳州12345")  # 短信签名, without 【】
# A provider cuts nothing itself, it refuses: longer variables are cut here, ending in "…".
SMS_VARIABLE_LIMIT = int(os.environ.get("SHISHI_SMS_VARIABLE_LIMIT", "35"))
# The provider's rate, per worker process; 0: no pacing (the console).
SMS_RATE_PER_SECOND = float(os.environ.get("SHISHI_SMS_RATE_PER_SECOND", "0"))
# At most this many SMS to one number a day (codes aside); 0: no cap. Later ones wait.
SMS_PER_NUMBER_PER_DAY = int(os.environ.get("SHISHI_SMS_PER_NUMBER_PER_DAY", "0"))
# The staff page 短信发送失败 lists the SMS not delivered in this many days.
SMS_FAILURES_DAYS = 7
SMS_TIMEOUT_SECONDS = float(os.environ.get("SHISHI_SMS_TIMEOUT_SECONDS", "10"))
# The secret part of the receipt URL /sms/receipts/<token>/ the provider posts to; empty:
# receipts are refused.
SMS_RECEIPT_TOKEN = os.environ.get("SHISHI_SMS_RECEIPT_TOKEN", "")
# Receipt reasons (substrings) that no retry can cure: the number is empty, stopped or
# blacklisted. Any other failed receipt is retried up to OUTBOX_MAX_ATTEMPTS.
SMS_PERMANENT_FAILURES = [
    word.strip()
    for word in os.environ.get(
        "SHISHI_SMS_PERMANENT_FAILURES",
        "空号,停机,黑名单,销号,不存在,MOBILE_IN_BLACK,MOBILE_NOT_EXIST,MOBILE_NUMBER_ILLEGAL,"
        "BLACKLIST,BLACK,IS_CLOSE,NOTEXIST",
    ).split(",")
    if word.strip()
]
SMS_ALIYUN = {
    "access_key_id": os.environ.get("SHISHI_ALIYUN_ACCESS_KEY_ID", ""),
    "access_key_secret": os.environ.get("SHISHI_ALIYUN_ACCESS_KEY_SECRET", ""),
    "endpoint": os.environ.get("SHISHI_ALIYUN_SMS_ENDPOINT", "dysmsapi.aliyuncs.com"),
    "protocol": os.environ.get("SHISHI_ALIYUN_SMS_PROTOCOL", "https"),
}
SMS_TENCENT = {
    "secret_id": os.environ.get("SHISHI_TENCENT_SECRET_ID", ""),
    "secret_key": os.environ.get("SHISHI_TENCENT_SECRET_KEY", ""),
    "sdk_app_id": os.environ.get("SHISHI_TENCENT_SMS_APP_ID", ""),
    "region": os.environ.get("SHISHI_TENCENT_SMS_REGION", "ap-guangzhou"),
    "endpoint": os.environ.get("SHISHI_TENCENT_SMS_ENDPOINT", "sms.tencentcloudapi.com"),
    "scheme": os.environ.get("SHISHI_TENCENT_SMS_SCHEME", "https"),
}
# A province's unified SMS platform (统一短信平台): one JSON request per message, signed with
# HMAC-SHA256 of "<timestamp>.<body>" under the shared secret (header X-Signature), and the
# answer read through the field names below. Its receipts are signed the same way.
SMS_HTTP = {
    "url": os.environ.get("SHISHI_SMS_HTTP_URL", ""),
    "method": os.environ.get("SHISHI_SMS_HTTP_METHOD", "POST"),
    "secret": os.environ.get("SHISHI_SMS_HTTP_SECRET", ""),
    "app_id": os.environ.get("SHISHI_SMS_HTTP_APP_ID", ""),
    "code_field": os.environ.get("SHISHI_SMS_HTTP_CODE_FIELD", "code"),
    "ok_code": os.environ.get("SHISHI_SMS_HTTP_OK_CODE", "0"),
    "id_field": os.environ.get("SHISHI_SMS_HTTP_ID_FIELD", "msgid"),
    "message_field": os.environ.get("SHISHI_SMS_HTTP_MESSAGE_FIELD", "msg"),
    "throttle_codes": os.environ.get("SHISHI_SMS_HTTP_THROTTLE_CODES", "429,LIMIT").split(","),
    "reject_codes": os.environ.get("SHISHI_SMS_HTTP_REJECT_CODES", "INVALID_PHONE").split(","),
}
# Sent and dead messages (phone numbers, addresses) are deleted after this many days.
OUTBOX_RETENTION_DAYS = 180
EMAIL_HOST = os.environ.get("SHISHI_SMTP_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SHISHI_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("SHISHI_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SHISHI_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_bool("SHISHI_SMTP_TLS")
EMAIL_TIMEOUT = 15
DEFAULT_FROM_EMAIL = os.environ.get("SHISHI_FROM_EMAIL", "shishi@localhost")

# --- Campaign: directives ----------------------------------------------------------------------
# A returned assignment is due again this many working days after the return (never earlier
# than its original deadline).
CAMPAIGN_RETURN_DAYS = int(os.environ.get("SHISHI_CAMPAIGN_RETURN_DAYS", "3"))
# 单位竞赛: working days a returned monthly submission gets to come back.
CONTEST_RETURN_DAYS = int(os.environ.get("SHISHI_CONTEST_RETURN_DAYS", "2"))

# --- Typical-case selection: the public vote's rate limits (votes per window of seconds) ------
# Per client address (a school's or a company's NAT carries many honest voters) and per
# confirmed phone; the daily limit per phone is the selection's own, held by the database.
VOTE_ADDRESS_LIMIT = int(os.environ.get("SHISHI_VOTE_ADDRESS_LIMIT", "60"))
VOTE_PHONE_LIMIT = int(os.environ.get("SHISHI_VOTE_PHONE_LIMIT", "20"))
VOTE_LIMIT_WINDOW = 600

# One-time SMS codes (core.otp): at most this many sent to one phone a day (codes refused as
# a resend within the minute do not count).
OTP_PER_PHONE_PER_DAY = int(os.environ.get("SHISHI_OTP_PER_PHONE_PER_DAY", "10"))

# --- Supervision (every duty with a deadline: appeals, milestones, reports …) ------------------
SUPERVISION_REMIND_BEFORE_DAYS = 1  # 提醒 this many working days before a deadline
SUPERVISION_NOTIFY_AFTER_DAYS = int(os.environ.get("SHISHI_NOTIFY_AFTER_DAYS", "3"))  # 通报

# --- Appeals ------------------------------------------------------------------------------------
APPEAL_MAX_REOPENS = 2  # a further 不满意 escalates to 督办
# Composite score weights (响应率 / 按时办结率 / 解决率 / 满意率; appeals.metrics). 响应 keeps
# its 10 of DESIGN §4's 10/45/45; 按时办结 gets 20, taken evenly from 解决 and 满意, so the
# citizen's own answers (解决, 满意) still weigh 70 against 30 for the timings the platform
# records. A rate without data drops out and the others are reweighted (never counted as 0).
APPEAL_SCORE_WEIGHTS = {"response": 10, "on_time": 20, "solved": 35, "satisfied": 35}
APPEAL_MIN_VOLUME = 5  # units with fewer dispatches in the month are ranked apart
APPEAL_INTERVIEW_BOTTOM = 3  # the bottom units of a ranking become 约谈 candidates
APPEAL_PHOTO_MAX_BYTES = 5 * 1024 * 1024
# Request bodies: form fields and JSON at most 1 MB (a 5,000-character appeal is ~20 KB), at
# most 2,000 fields (a long evidence form); uploaded files are checked by size per kind
# (photos above, attachments below). In front of gunicorn, nginx caps the whole body
# (client_max_body_size 60m: the ledger workbook and three photos) — see README "Deploying".
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# 查询进度 by code + the phone's last four digits (the fallback to the SMS link /t/<key>):
# after this many failed checks of one code within 30 days that way is closed for it.
APPEAL_TRACK_FAILURES = int(os.environ.get("SHISHI_TRACK_FAILURES", "20"))
# The longest appeal (and reply) text taken in, in characters, at every door (the public
# form, 热线登记, the API): real complaints run to 3,000–4,300 characters. Read at start.
APPEAL_TEXT_MAX = int(os.environ.get("SHISHI_APPEAL_TEXT_MAX", "5000"))
# 查看号码: besides the hotline staff (appeals.callback), the clerks and leaders of the unit
# holding an appeal may see the caller's full number — for a few minutes, with a reason
# that is audited, a limited number of times an hour (appeals.actions.reveal_phone).
APPEAL_CLERK_MAY_REVEAL_PHONE = env_bool("SHISHI_CLERK_MAY_REVEAL_PHONE")
APPEAL_PHONE_REVEAL_MINUTES = 5
APPEAL_PHONE_REVEALS_PER_HOUR = 30
# Key of the phone-number HMAC (Appeal.phone_hash: 同号码历史诉求). Set it in production;
# unset, it derives from SECRET_KEY, and a new SECRET_KEY then needs `shishi rehash_phones`.
PHONE_HASH_KEY = os.environ.get("SHISHI_PHONE_HASH_KEY", "")
# Units of these kinds (orgs.Unit.Kind codes) send a clerk's reply to their leader first: the
# citizen sees it, and is texted, only once the leader approves (appeals.actions.replies).
APPEAL_REPLY_APPROVAL_KINDS = env_list("SHISHI_REPLY_APPROVAL_KINDS", "town,street,department")
# A unit leader decides extension requests of their own subtree up to this many working
# days; longer ones only the city office (appeals.review) decides.
APPEAL_LEADER_EXTENSION_DAYS = int(os.environ.get("SHISHI_LEADER_EXTENSION_DAYS", "5"))
# An appeal received (or returned) must be dispatched within this many working days; the
# supervision ladder climbs on it like on any duty (appeals.actions.worker.sweep_dispatch).
APPEAL_DISPATCH_DAYS = int(os.environ.get("SHISHI_DISPATCH_DAYS", "1"))
# A unit may pass an appeal on to a unit below it without signing it first (转派); off, it
# signs first and then dispatches.
APPEAL_FORWARD_WITHOUT_SIGNING = env_bool("SHISHI_FORWARD_WITHOUT_SIGNING", default=True)

# --- Projects ----------------------------------------------------------------------------------
PROJECT_DISCLOSURE_DAYS = 5  # 公示期, working days
PROJECT_RATING_DAYS = 15  # working days after acceptance during which the public rates
PROJECT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024

# The API and Open311 are signed with integration tokens only (shishi.api.access): each acts
# as one unit with the scopes it was issued with, expires, and has its own rate per minute.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["shishi.api.authentication.IntegrationTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["shishi.api.authentication.TokenRateThrottle"],
    "DEFAULT_PARSER_CLASSES": [
        "shishi.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {},
    "EXCEPTION_HANDLER": "shishi.api.errors.exception_handler",
}
# Open311 GeoReport v2 (shishi.api.open311): who the city is to Open311 clients.
OPEN311_JURISDICTION = os.environ.get("SHISHI_OPEN311_JURISDICTION", "zhangzhou.gov.cn")
OPEN311_CONTACT = os.environ.get("SHISHI_OPEN311_CONTACT", "漳州市12345便民服务平台 0596-12345")
OPEN311_KEY_SERVICE = "api_key 为集成令牌：由市级管理员在“系统 → 集成令牌”签发"
OPEN311_CHANGESET = "2026-12-02T00:00:00+08:00"  # when the service list's shape last changed
OPEN311_WINDOW_DAYS = 90  # GET requests: the default and the widest start/end window
SPECTACULAR_SETTINGS = {
    "TITLE": "实事平台 API",
    "DESCRIPTION": (
        "诉求与实事项目接口。调用须带集成令牌（Authorization: Bearer 令牌，由市级管理员在"
        "“系统 → 集成令牌”签发）：令牌代表一个单位，只能看到和办理该单位及下级的诉求和项目。"
        "提交诉求时请带 Idempotency-Key 头，重试不会重复受理。错误以 {code, message} 返回。"
    ),
    "VERSION": "1.0.0",
    # Swagger UI is served from the sidecar package: the machines reach no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- I18N / time ------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "shishi" / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/jsqr", NODE_MODULES / "jsqr" / "dist"),  # 扫码签到: decodes the camera's frames
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Uploaded files are never served directly: views check access, then stream them.
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"quiet_refusals": {"()": "shishi.core.logs.QuietRefusals"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["quiet_refusals"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("SHISHI_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "huey": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
