"""Failed logins through the real admin login form: five per username and address lock that pair out for fifteen
minutes, the lockout page tells nothing about the account, and a success clears the count."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from articles.roles import ROLE_EDITOR
from tests.factories import make_user
from tests.test_settings import setting_from_environment

PASSWORD = "a-long-demo-password"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """Many logins here: a fast hasher keeps the file quick. What is tested is the login flow, not PBKDF2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def login(client, username, password, address="203.0.113.7", **headers):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address, **headers,
    )


def logged_in(client):
    return client.get("/admin/").status_code == 200


@pytest.fixture
def editor():
    return make_user(ROLE_EDITOR, username="nour")


def test_the_configuration_is_deliberate():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_RESET_ON_SUCCESS is True


def test_fifth_wrong_password_locks_out_and_the_right_one_is_then_refused(client, editor):
    answers = [login(client, "nour", f"wrong-{n}").status_code for n in range(20)]

    # Four ordinary refusals on the login form, then the lockout page for every later try.
    assert answers[:4] == [200] * 4
    assert answers[4:] == [429] * 16
    assert login(client, "nour", PASSWORD).status_code == 429
    assert not logged_in(client)


def test_lockout_page_is_arabic_and_the_same_for_real_and_unknown_usernames(editor):
    pages = {}
    for username in ("nour", "nobody-by-this-name"):
        browser = Client()
        for n in range(5):
            response = login(browser, username, f"wrong-{n}")
        assert response.status_code == 429
        pages[username] = response.content.decode()

    assert pages["nour"] == pages["nobody-by-this-name"]
    page = pages["nour"]
    assert 'lang="ar"' in page and 'dir="rtl"' in page
    assert gettext("Too many failed logins") in page
    assert "nour" not in page


def test_lockout_holds_one_username_at_one_address_only(editor):
    attacker = Client()
    for n in range(5):
        login(attacker, "nour", f"wrong-{n}", address="198.51.100.66")

    # The editor, from the newsroom's own address, is not locked out by a stranger's guesses.
    newsroom = Client()
    assert login(newsroom, "nour", PASSWORD, address="203.0.113.7").status_code == 302
    assert logged_in(newsroom)
    # Nor is anyone else logging in from the attacker's address.
    make_user(ROLE_EDITOR, username="sami")
    assert login(Client(), "sami", PASSWORD, address="198.51.100.66").status_code == 302


def test_login_works_again_after_the_cool_off(client, editor):
    for n in range(5):
        login(client, "nour", f"wrong-{n}")

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=14))
    assert login(client, "nour", PASSWORD).status_code == 429  # a wrong try in the pause restarts the clock

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    assert login(client, "nour", PASSWORD).status_code == 302
    assert logged_in(client)


def test_a_successful_login_clears_the_count(client, editor):
    for n in range(4):
        login(client, "nour", f"wrong-{n}")
    assert login(client, "nour", PASSWORD).status_code == 302
    client.post(reverse("admin:logout"))

    for n in range(4):
        assert login(client, "nour", f"wrong-again-{n}").status_code == 200
    assert login(client, "nour", PASSWORD).status_code == 302


def test_forged_forwarded_for_does_not_buy_fresh_attempts(client, editor):
    """Without a proxy in front, X-Forwarded-For is whatever the client typed: it must not count."""
    answers = [
        login(client, "nour", f"wrong-{n}", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code for n in range(6)
    ]
    assert answers[-2:] == [429, 429]


def test_behind_the_proxy_the_address_it_appended_counts(editor, settings):
    settings.BEHIND_TLS_PROXY = True
    # The client prepends a fresh forged address every time; the proxy appends the real one last.
    for n in range(5):
        response = login(Client(), "nour", f"wrong-{n}", address="10.0.0.2",
                         HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.66")
    assert response.status_code == 429

    # Another reader behind the same proxy, at another real address, logs in.
    assert login(Client(), "nour", PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 302


def test_limit_and_cool_off_can_be_set_from_the_environment():
    assert setting_from_environment(
        {"AXES_FAILURE_LIMIT": "8", "AXES_COOLOFF_MINUTES": "30"},
        "settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds()",
    ) == "8 1800.0"
