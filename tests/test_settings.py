"""Settings come from the environment; production refuses to start on guesses."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean | env,
        capture_output=True, text=True, timeout=120,
    )


def test_arabic_is_the_default_language_and_english_the_other():
    assert settings.LANGUAGE_CODE == "ar"
    assert [code for code, _name in settings.LANGUAGES] == ["ar", "en"]
    assert settings.TIME_ZONE == os.environ.get("TIME_ZONE", "Asia/Damascus")


@pytest.mark.parametrize("entry_point", ["newsroom.wsgi", "newsroom.asgi"])
def test_production_server_refuses_to_start_without_a_secret_key(entry_point):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "-c", f"import {entry_point}"], cwd=ROOT, env=clean | {"DEBUG": "0"},
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_runserver_refuses_to_start_without_a_secret_key():
    result = run_manage("runserver", "127.0.0.1:0", "--noreload", DEBUG="0", ALLOWED_HOSTS="x")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr + result.stdout


def test_migrations_can_be_checked_without_a_secret_key():
    assert run_manage("makemigrations", "--check", "--dry-run", DEBUG="0").returncode == 0


def test_production_settings_pass_the_deploy_checklist():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="0", SECRET_KEY="x" * 20 + "-a-long-and-random-production-secret-0123456789",
        ALLOWED_HOSTS="news.example.org", EMAIL_HOST="smtp.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_settings_with_media_in_a_bucket_pass_the_deploy_checklist():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="0", SECRET_KEY="x" * 20 + "-a-long-and-random-production-secret-0123456789",
        ALLOWED_HOSTS="news.example.org", EMAIL_HOST="smtp.example.org",
        MEDIA_BUCKET="news-media", MEDIA_DOMAIN="media.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_deploy_check_insists_on_a_real_mail_server_for_invitations():
    # Without one, invitations and password links would go to a console nobody reads.
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="0", SECRET_KEY="x" * 20 + "-a-long-and-random-production-secret-0123456789",
        ALLOWED_HOSTS="news.example.org",
    )
    assert result.returncode != 0


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        ("postgres://newsroom@db.internal:5432/newsroom", "django.db.backends.postgresql"),
        ("sqlite:////tmp/other.sqlite3", "django.db.backends.sqlite3"),
    ],
)
def test_database_is_chosen_by_database_url(url, engine):
    assert setting_from_environment({"DATABASE_URL": url}, "settings.DATABASES['default']['ENGINE']") == engine


@pytest.mark.django_db
def test_postgresql_connections_turn_off_jit_and_parallel_workers_unless_the_url_says():
    options = "settings.DATABASES['default']['OPTIONS']['options']"
    url = "postgres://newsroom@db.internal:5432/newsroom"
    assert setting_from_environment({"DATABASE_URL": url}, options) == "-c jit=off -c max_parallel_workers_per_gather=0"
    assert setting_from_environment({"DATABASE_URL": url + "?options=-c%20jit%3Don"}, options) == (
        "-c jit=on -c max_parallel_workers_per_gather=0"
    )
    # A neighbouring setting is not the setting itself.
    assert setting_from_environment({"DATABASE_URL": url + "?options=-c%20jit_above_cost%3D1"}, options) == (
        "-c jit_above_cost=1 -c jit=off -c max_parallel_workers_per_gather=0"
    )
    if connection.vendor == "postgresql":
        # And the server takes them, on the connection the tests run on.
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"
            cursor.execute("SHOW max_parallel_workers_per_gather")
            assert cursor.fetchone()[0] == "0"


@pytest.mark.parametrize(
    ("redis_url", "backend"),
    [
        ("redis://127.0.0.1:6379/1", "django.core.cache.backends.redis.RedisCache"),
        ("", "django.core.cache.backends.locmem.LocMemCache"),
    ],
)
def test_cache_is_shared_through_redis_when_redis_url_is_set(redis_url, backend):
    assert setting_from_environment({"REDIS_URL": redis_url}, "settings.CACHES['default']['BACKEND']") == backend


def setting_from_environment(environment, expression):
    """The value of a settings expression in a fresh process started with ``environment`` (DEBUG on)."""
    clean = {k: v for k, v in os.environ.items() if k not in environment and not k.startswith("EMAIL_")}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; print({expression})"],
        cwd=ROOT, env=clean | environment | {"DEBUG": "1", "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("report_uri", ["https://reports.example.org/csp", ""])
def test_csp_violations_are_reported_only_where_newsroom_csp_report_uri_says(report_uri):
    policy = setting_from_environment(
        {"NEWSROOM_CSP_REPORT_URI": report_uri},
        "__import__('django.utils.csp', fromlist=['build_policy']).build_policy(settings.SECURE_CSP)",
    )
    reports = [part for part in policy.split("; ") if part.startswith("report-uri")]
    assert reports == ([f"report-uri {report_uri}"] if report_uri else [])


# Media in S3-compatible object storage: MEDIA_BUCKET is the one switch (tests/test_media_on_s3.py runs the storage
# against an S3 server).

MEDIA_STORAGE = "settings.STORAGES['default']"
IMG_SRC = (
    "[part for part in __import__('django.utils.csp', fromlist=['build_policy']).build_policy(settings.SECURE_CSP)"
    ".split('; ') if part.startswith('img-src')][0]"
)
MEDIA_ROUTES = (
    "[str(p.pattern) for p in __import__('newsroom.urls', fromlist=['urlpatterns']).urlpatterns"
    " if 'media' in str(p.pattern)]"
)


def test_media_bucket_in_the_environment_puts_uploads_in_s3_with_plain_cacheable_addresses():
    storage = ast.literal_eval(setting_from_environment(
        {
            "MEDIA_BUCKET": "news-media", "MEDIA_ENDPOINT_URL": "https://s3.example.net",
            "MEDIA_REGION": "eu-central-1", "MEDIA_ACCESS_KEY": "AKIAEXAMPLE", "MEDIA_SECRET_KEY": "secret-example",
            "MEDIA_DOMAIN": "media.example.org",
        },
        MEDIA_STORAGE,
    ))
    assert storage == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "news-media",
            "endpoint_url": "https://s3.example.net",
            "region_name": "eu-central-1",
            "access_key": "AKIAEXAMPLE",
            "secret_key": "secret-example",
            "custom_domain": "media.example.org",
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=604800"},
        },
    }


def test_media_bucket_without_keys_leaves_credentials_to_boto3s_own_chain():
    options = ast.literal_eval(setting_from_environment({"MEDIA_BUCKET": "news-media"}, MEDIA_STORAGE))["OPTIONS"]
    # None is django-storages' "not given": boto3 then looks in AWS_* variables, ~/.aws and the server's role.
    assert options["access_key"] is None and options["secret_key"] is None
    assert options["endpoint_url"] is None and options["custom_domain"] is None


def test_without_media_bucket_uploads_stay_on_disk():
    assert ast.literal_eval(setting_from_environment({"MEDIA_BUCKET": ""}, MEDIA_STORAGE)) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }


@pytest.mark.parametrize(
    ("environment", "origin"),
    [
        ({"MEDIA_DOMAIN": "media.example.org"}, "https://media.example.org"),
        ({"MEDIA_ENDPOINT_URL": "http://minio.internal:9000"}, "http://minio.internal:9000"),
        ({}, "https://news-media.s3.amazonaws.com"),
    ],
)
def test_the_content_security_policy_admits_photos_from_where_the_bucket_serves_them(environment, origin):
    img_src = setting_from_environment({"MEDIA_BUCKET": "news-media", "MEDIA_URL": "/media/"} | environment, IMG_SRC)
    assert img_src == f"img-src 'self' {origin}"


def test_media_bucket_stops_the_app_serving_media_from_disk_even_in_development():
    assert setting_from_environment({"MEDIA_BUCKET": ""}, MEDIA_ROUTES) != "[]"
    assert setting_from_environment({"MEDIA_BUCKET": "news-media"}, MEDIA_ROUTES) == "[]"
    assert setting_from_environment({"MEDIA_BUCKET": "news-media"}, "settings.SERVE_MEDIA") == "False"


def test_serving_media_from_disk_with_a_bucket_refuses_to_start():
    result = run_manage("check", DEBUG="1", MEDIA_BUCKET="news-media", SERVE_MEDIA="1")
    assert result.returncode != 0
    assert "SERVE_MEDIA cannot be on with MEDIA_BUCKET" in result.stderr


@pytest.mark.parametrize("environment", [
    {"MEDIA_BUCKET": "newsroom-media"},
    {"MEDIA_BUCKET": "newsroom-media", "MEDIA_REGION": "eu-central-1"},
    {"MEDIA_BUCKET": "media.example.org"},
    {"MEDIA_BUCKET": "media.example.org", "MEDIA_REGION": "eu-central-1"},
    {"MEDIA_BUCKET": "media.example.org", "MEDIA_REGION": "us-east-1"},
    {"MEDIA_BUCKET": "media.example.org", "AWS_DEFAULT_REGION": "eu-central-1"},
    {"MEDIA_BUCKET": "newsroom-media", "MEDIA_ENDPOINT_URL": "https://minio.example.org:9000"},
    {"MEDIA_BUCKET": "newsroom-media", "MEDIA_DOMAIN": "photos.example.org"},
], ids=["aws", "aws region", "aws dotted", "aws dotted region", "aws dotted us-east-1", "aws dotted boto3's region",
        "endpoint", "domain"])
def test_the_policy_admits_the_addresses_the_storage_itself_makes(environment):
    # The storage's own url(), as django-storages and boto3 make it from these settings (no request is sent).
    address, img_src = ast.literal_eval(setting_from_environment(
        environment | {"MEDIA_ACCESS_KEY": "key", "MEDIA_SECRET_KEY": "secret"},
        "(__import__('django.core.files.storage', fromlist=['default_storage']).default_storage.url('photos/a.jpg'), "
        + IMG_SRC + ")",
    ))
    origin = "/".join(address.split("/")[:3])
    assert origin in img_src.split()[1:], (address, img_src)
