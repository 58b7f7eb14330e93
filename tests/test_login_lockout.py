"""Failed logins through the real admin login form: five per username and address lock that pair out for fifteen
minutes, the lockout page tells nothing about the account, and a success clears the count. Nothing a stranger can
try (a wrong password, a lockout, an invitation link, a password-reset address) tells whether an account exists."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from articles.roles import ROLE_EDITOR
from tests.factories import make_user
from tests.test_settings import setting_from_environment

PASSWORD = "a-long-demo-password"
# The lockout page's words, as the Arabic reader sees them (locale/ar/LC_MESSAGES/django.po).
LOCKED_OUT_AR = [
    "محاولات دخول فاشلة كثيرة",
    "أُوقف الدخول باسم المستخدم هذا من عنوانك مؤقتًا بعد عدة محاولات فاشلة.",
]
# The start of the Arabic answer to a wrong password (articles.accounts.LoginForm's invalid_login).
WRONG_PASSWORD_AR = "يُرجى إدخال"

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


def page_text(response):
    """The page as a stranger compares it: without the CSRF token and CSP nonces, which differ on every response."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return re.sub(r' nonce="[^"]*"', "", page)


def test_fifth_wrong_password_locks_out_and_the_right_one_is_then_refused(client, editor):
    answers = [login(client, "nour", f"wrong-{n}") for n in range(20)]

    # Four ordinary refusals on the login form, in Arabic, then the lockout page for every later try.
    assert [answer.status_code for answer in answers[:4]] == [200] * 4
    assert all(WRONG_PASSWORD_AR in answer.content.decode() for answer in answers[:4])
    assert [answer.status_code for answer in answers[4:]] == [429] * 16
    assert all(words in answers[-1].content.decode() for words in LOCKED_OUT_AR)
    # The right password, in the same pause (as the 21st try and again), is refused with the same page.
    for _attempt in range(2):
        right = login(client, "nour", PASSWORD)
        assert right.status_code == 429
        assert page_text(right) == page_text(answers[-1])
    assert not logged_in(client)
    assert "_auth_user_id" not in client.session


def locked_out_page(username):
    browser = Client()
    for n in range(5):
        response = login(browser, username, f"wrong-{n}")
    return response


def test_lockout_answer_is_arabic_and_the_same_for_active_deactivated_and_unknown_accounts(editor):
    make_user(ROLE_EDITOR, username="rami", is_active=False)

    pages = {name: locked_out_page(name) for name in ("nour", "rami", "nobody-by-this-name")}

    assert {response.status_code for response in pages.values()} == {429}
    texts = {page_text(response) for response in pages.values()}
    assert len(texts) == 1, "the lockout page differs between accounts"
    page = texts.pop()
    assert 'lang="ar"' in page and 'dir="rtl"' in page
    assert all(words in page for words in LOCKED_OUT_AR)
    assert "nour" not in page and "rami" not in page


def login_answer(username, password):
    """The login page after one failed try, with what the stranger typed taken out (the form echoes it)."""
    response = login(Client(), username, password)
    return response.status_code, page_text(response).replace(f'value="{username}"', 'value="…"')


def test_wrong_password_answer_is_the_same_for_existing_unknown_deactivated_and_non_staff_accounts(editor):
    make_user(ROLE_EDITOR, username="rami", is_active=False)
    make_user(None, username="reader")  # an account, but not staff

    answers = {
        "existing, wrong password": login_answer("nour", "wrong"),
        "unknown": login_answer("nobody-by-this-name", "wrong"),
        # The right password of an account that may not log in gets the very same answer.
        "deactivated, right password": login_answer("rami", PASSWORD),
        "not staff, right password": login_answer("reader", PASSWORD),
    }

    assert len(set(answers.values())) == 1, {name: answer[0] for name, answer in answers.items()}
    status, page = answers["unknown"]
    assert status == 200
    assert WRONG_PASSWORD_AR in page and 'lang="ar"' in page


@pytest.mark.parametrize("address", [
    "/admin/password_reset/", "/admin/password_reset/done/", "/accounts/password_reset/",
    "/accounts/password-reset/", "/password_reset/", "/en/admin/password_reset/",
])
def test_there_is_no_public_password_reset_form_to_ask_about_accounts(client, editor, address):
    """Only an administrator sends a new invitation link (see the lockout page); no public form exists, so none
    can be asked whether an address has an account."""
    for name in ("admin_password_reset", "password_reset", "admin:password_reset"):
        with pytest.raises(NoReverseMatch):
            reverse(name)
    try:
        assert resolve(address).url_name is None  # at most the admin's catch-all, never a view of its own
    except Resolver404:
        pass
    assert client.get(address).status_code in (302, 404)  # the admin's catch-all sends strangers to log in
    assert client.post(address, {"email": "nour@example.org"}).status_code in (302, 404)
    assert "password_reset" not in client.get(reverse("admin:login")).content.decode()


def test_an_invitation_link_answers_alike_for_an_existing_and_an_unknown_account(client, editor):
    """A forged link names an account by its id: the answer must not tell whether that id exists."""
    links = {
        "existing": reverse("set_password", args=[urlsafe_base64_encode(force_bytes(editor.pk)), "set-password"]),
        "unknown": reverse("set_password", args=[urlsafe_base64_encode(force_bytes(editor.pk + 999)), "set-password"]),
    }
    answers = {name: client.get(link, follow=True) for name, link in links.items()}

    assert {response.status_code for response in answers.values()} == {200}
    assert page_text(answers["existing"]) == page_text(answers["unknown"])
    assert 'name="new_password1"' not in page_text(answers["existing"])


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


def test_an_over_long_username_is_a_form_error_not_a_server_error(client, editor):
    # Longer than any username (150) and than the lockout's own record of it (255): refused by the form, in
    # Arabic, before anything is looked up or recorded.
    answer = login(client, "ن" * 300, "wrong")
    assert answer.status_code == 200
    assert "150" in answer.content.decode() and "errorlist" in answer.content.decode()
    assert not AccessAttempt.objects.exists()
    assert not logged_in(client)
    # The form still counts ordinary wrong passwords.
    login(client, "nour", "wrong")
    assert AccessAttempt.objects.get().username == "nour"
