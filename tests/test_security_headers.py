"""Security headers and cookie flags (issue 7, points 1 and 3): every response, public or admin, fresh or from
the page cache, an error page too, carries the Content-Security-Policy, the Permissions-Policy and the rest; the
policy names no other host and allows no inline code without a nonce; public pages use no nonce, so a cached copy
never holds one. The production flags (secure and HttpOnly cookies, HSTS, the HTTPS redirect) are checked on
real responses in a fresh process started with production's environment."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

from articles import page_cache
from newsroom.security import PERMISSIONS_POLICY
from tests.factories import make_article, make_editor

ROOT = Path(__file__).resolve().parent.parent
CSP = "Content-Security-Policy"
FORBIDDEN_IN_POLICY = re.compile(r"unsafe-inline|unsafe-eval|unsafe-hashes|https?:|\*|data:")


def directives(policy):
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def assert_strict(policy):
    assert policy, "no Content-Security-Policy header"
    assert not FORBIDDEN_IN_POLICY.search(policy), policy
    rules = directives(policy)
    assert rules["default-src"] == ["'self'"]
    assert rules["object-src"] == ["'none'"] and rules["frame-ancestors"] == ["'none'"]
    assert rules["base-uri"] == rules["form-action"] == rules["img-src"] == rules["connect-src"] == ["'self'"]
    for directive in ("script-src", "style-src"):
        assert rules[directive][0] == "'self'"
        assert all(value.startswith("'nonce-") for value in rules[directive][1:]), policy
    return rules


@pytest.fixture
def page_cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300


@pytest.mark.django_db
def test_public_pages_carry_the_policy_without_a_nonce_fresh_and_from_the_page_cache(
    client, page_cache_on, django_assert_num_queries
):
    story = make_article(published=True)
    for path in ("/", story.get_absolute_url(), story.section.get_absolute_url(), "/en/", "/search/?q=خبر"):
        fresh = client.get(path)
        assert fresh.status_code == 200
        with django_assert_num_queries(0):  # so it is the cache's copy
            cached = client.get(path)
        assert page_cache.page_key(cached.wsgi_request) and cache.get(page_cache.page_key(cached.wsgi_request))
        for response in (fresh, cached):
            rules = assert_strict(response[CSP])
            assert rules["script-src"] == rules["style-src"] == ["'self'"], f"{path} made a nonce"
            assert response["Permissions-Policy"] == PERMISSIONS_POLICY
            assert response["X-Frame-Options"] == "DENY"
            assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
            assert response["Cross-Origin-Opener-Policy"] == "same-origin"
            assert response["X-Content-Type-Options"] == "nosniff"
        assert b"nonce" not in cached.content
        stored_content, stored_headers = cache.get(page_cache.page_key(cached.wsgi_request))
        assert CSP not in stored_headers and "Permissions-Policy" not in stored_headers  # made per response


@pytest.mark.django_db
def test_each_response_gets_a_policy_of_its_own_not_one_kept_in_the_cache(client, page_cache_on):
    first = client.get("/")
    client.get("/")
    # The header is made by the middleware outside the page cache for each response: a policy change (a deploy)
    # reaches cached pages at once.
    assert CSP in first and client.get("/", HTTP_IF_NONE_MATCH=first["ETag"]).has_header(CSP)


@pytest.mark.django_db
def test_admin_pages_carry_a_fresh_nonce_that_their_tags_use(client):
    client.force_login(make_editor())
    nonces = []
    for path in ("/admin/", "/admin/articles/article/add/", "/admin/articles/photo/upload/"):
        response = client.get(path)
        assert response.status_code == 200
        rules = assert_strict(response[CSP])
        nonce = rules["script-src"][1].removeprefix("'nonce-").removesuffix("'")
        assert rules["style-src"] == rules["script-src"]
        html = response.content.decode()
        assert f'nonce="{nonce}"' in html
        # Every inline script and style in the page carries it (the article form's import map and Tiptap's style).
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
            if "src=" not in tag and "application/ld+json" not in tag:
                assert f'nonce="{nonce}"' in tag, f"{path}: {tag}"
        assert not re.search(r"\sstyle=", html), f"{path} has a style attribute, which the policy refuses"
        nonces.append(nonce)
    assert len(set(nonces)) == len(nonces)


@pytest.mark.django_db
def test_the_login_page_and_a_missing_page_carry_the_policy(client):
    login = client.get("/admin/login/")
    missing = client.get("/article/999999/nothing-here/")
    assert (login.status_code, missing.status_code) == (200, 404)
    for response in (login, missing):
        assert_strict(response[CSP])
        assert response["Permissions-Policy"] == PERMISSIONS_POLICY


def test_media_served_from_another_host_is_the_only_other_origin_for_images():
    from tests.test_settings import setting_from_environment

    policy = setting_from_environment({"MEDIA_URL": "https://media.example.org/uploads/"}, "settings.SECURE_CSP")
    assert "'img-src': [<CSP.SELF: \"'self'\">, 'https://media.example.org']" in policy
    assert policy.count("example.org") == 1


# --- Production: a fresh process with production's environment --------------------------------------------------

PRODUCTION_REQUESTS = """
import json
import django
from django.conf import settings
# No collectstatic here: the fingerprinting storage would want its manifest. Nothing else differs from production.
settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
django.setup()
from django.core.management import call_command
from django.contrib.auth import get_user_model
from django.test import Client

call_command("migrate", verbosity=0)
get_user_model().objects.create_user("editor", password="a-long-demo-password", is_staff=True)
browser = Client(HTTP_HOST="news.example.org")
answers = {}
def keep(name, response):
    answers[name] = {
        "status": response.status_code,
        "headers": dict(response.headers),
        "cookies": {key: {**morsel, "value": bool(morsel.value)} for key, morsel in response.cookies.items()},
    }
keep("http", browser.get("/admin/login/"))
keep("login_page", browser.get("/admin/login/", secure=True))
keep("login", browser.post(
    "/admin/login/?next=/admin/", {"username": "editor", "password": "a-long-demo-password"}, secure=True,
))
keep("admin", browser.get("/admin/", secure=True))
keep("home", browser.get("/", secure=True))
keep("home_again", browser.get("/", secure=True))
keep("setlang", browser.post("/i18n/setlang/", {"language": "en", "next": "/"}, secure=True))
print(json.dumps(answers))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    folder = tmp_path_factory.mktemp("production")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "SECURE_", "DATABASE_", "DEBUG"))}
    environment = {
        "DEBUG": "0", "SECRET_KEY": "a-long-and-random-production-secret-" + "x" * 30,
        "ALLOWED_HOSTS": "news.example.org", "EMAIL_HOST": "smtp.example.org",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}", "MEDIA_ROOT": str(folder / "media"),
        "NEWSROOM_PAGE_CACHE_STAMP": str(folder / "stamp"), "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_REQUESTS], cwd=ROOT, env=clean | environment,
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_plain_http_to_https(production):
    assert production["http"]["status"] == 301
    assert production["http"]["headers"]["Location"] == "https://news.example.org/admin/login/"


def test_production_cookies_are_secure_and_out_of_reach_of_scripts(production):
    csrf = production["login_page"]["cookies"]["csrftoken"]
    session = production["login"]["cookies"]["sessionid"]
    assert production["login"]["status"] == 302  # logged in
    language = production["setlang"]["cookies"]["django_language"]
    assert production["setlang"]["status"] == 302
    for cookie in (csrf, session, language):
        assert cookie["secure"] is True and cookie["httponly"] is True, cookie
        assert cookie["samesite"] == "Lax"


def test_production_headers_on_admin_and_public_pages(production):
    for name in ("login_page", "admin", "home", "home_again"):
        headers = production[name]["headers"]
        assert production[name]["status"] == 200, name
        assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Permissions-Policy"] == PERMISSIONS_POLICY
        rules = assert_strict(headers[CSP])
        assert (len(rules["script-src"]) == 2) == (name in ("login_page", "admin")), (name, rules)


def test_hsts_is_configurable():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DEBUG"))}
    environment = {
        "DEBUG": "0", "SECRET_KEY": "x" * 50, "SECURE_HSTS_SECONDS": "300",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "0", "SECURE_HSTS_PRELOAD": "0",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    values = "(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD)"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; print({values})"],
        cwd=ROOT, env=clean | environment, capture_output=True, text=True, timeout=60,
    )
    assert result.stdout.strip() == "(300, False, False)", result.stderr
