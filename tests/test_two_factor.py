"""Two-factor login with TOTP: staff turn it on from a page with a QR code drawn on the server, the admin login
then asks for a real code, and a setting can oblige roles to use it before they reach the admin."""

import time
from base64 import b32encode
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.audit import AuditEntry
from articles.models import Article
from articles.roles import ROLE_ADMINISTRATOR, ROLE_EDITOR, ROLE_WRITER
from tests.factories import make_article, make_person, make_user
from tests.test_settings import setting_from_environment

PASSWORD = "a-long-demo-password"
SETUP = "/accounts/two-factor/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """Many logins here: a fast hasher keeps the file quick. What is tested is the login flow, not PBKDF2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def code(device, steps_ahead=0):
    """The code an authenticator app would show, computed from the device's key as the app does."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def login(client, username, password=PASSWORD, otp_token=""):
    return client.post(reverse("admin:login"), {
        "username": username, "password": password, "otp_token": otp_token, "next": "/admin/",
    })


def in_admin(client):
    return client.get("/admin/").status_code == 200


def turn_on(client, user):
    """Walk the setup page as the user does: open it, read the code off the app, confirm."""
    assert client.get(SETUP).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(SETUP, {"otp_token": code(device)}).status_code == 302
    device.refresh_from_db()
    return device


def test_setup_page_shows_a_qr_code_drawn_on_the_server_and_the_key(client):
    user = make_user(ROLE_WRITER, username="dina")
    client.force_login(user)
    page = client.get(SETUP).content.decode()

    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    # Inline SVG made here: nothing for the browser to fetch from anywhere, no script needed.
    qr = page[page.index('<div class="two-factor-qr">'):]
    qr = qr[:qr.index("</div>")]
    assert "<svg" in qr and "src=" not in qr and "href=" not in qr and "<script" not in qr
    # The base32 key for typing by hand, in groups of four.
    assert b32encode(device.bin_key).decode()[:4] in page
    # Reloading keeps the same pending key, so the code scanned a moment ago stays good.
    client.get(SETUP)
    assert list(TOTPDevice.objects.filter(user=user).values_list("key", flat=True)) == [device.key]


def test_setup_page_needs_a_staff_login(client):
    response = client.get(SETUP)
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_wrong_code_does_not_turn_it_on(client):
    user = make_user(ROLE_WRITER, username="dina")
    client.force_login(user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(code(device)) + 1) % 10**6:06d}"

    response = client.post(SETUP, {"otp_token": wrong})

    assert response.status_code == 200 and response.context["form"].errors
    device.refresh_from_db()
    assert not device.confirmed


def test_the_right_code_typed_straight_after_a_wrong_one_is_told_to_wait_not_called_wrong(client):
    user = make_user(ROLE_WRITER, username="dina")
    client.force_login(user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    client.post(SETUP, {"otp_token": f"{(int(code(device)) + 1) % 10**6:06d}"})

    too_soon = client.post(SETUP, {"otp_token": code(device)})

    [error] = too_soon.context["form"].errors["otp_token"]
    assert "انتظر" in error and "ساعة" not in error  # wait, not "check your phone's clock"
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    assert client.post(SETUP, {"otp_token": code(device)}).status_code == 302


def test_after_setup_the_login_asks_for_a_real_code(client):
    user = make_user(ROLE_EDITOR, username="dina")
    client.force_login(user)
    device = turn_on(client, user)
    assert device.confirmed
    assert AuditEntry.objects.filter(action="account_changed", target_id=str(user.pk)).exists()
    assert in_admin(client)  # the session that confirmed the code counts as verified

    browser = Client()
    assert login(browser, "dina").status_code == 200  # the password alone is not enough
    assert login(browser, "dina", otp_token="000000" if code(device) != "000000" else "111111").status_code == 200
    assert not in_admin(browser)

    # After a wrong code django-otp makes the device wait (1, 2, 4… seconds): even the right code is refused now.
    assert login(browser, "dina", otp_token=code(device)).status_code == 200
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - timedelta(minutes=1))

    assert login(browser, "dina", otp_token=code(device, steps_ahead=1)).status_code == 302
    assert in_admin(browser)


def test_a_code_works_only_once(client):
    user = make_user(ROLE_EDITOR, username="dina")
    client.force_login(user)
    device = turn_on(client, user)
    fresh = code(device, steps_ahead=1)

    assert login(Client(), "dina", otp_token=fresh).status_code == 302
    assert login(Client(), "dina", otp_token=fresh).status_code == 200


def test_wrong_codes_count_towards_the_lockout(client):
    user = make_user(ROLE_EDITOR, username="dina")
    client.force_login(user)
    device = turn_on(client, user)
    wrong = f"{(int(code(device)) + 500000) % 10**6:06d}"

    answers = [login(Client(), "dina", otp_token=wrong).status_code for _ in range(5)]

    assert answers == [200, 200, 200, 200, 429]


def test_login_form_without_a_device_ignores_the_code_field(client):
    make_user(ROLE_WRITER, username="dina")
    assert login(client, "dina").status_code == 302
    assert in_admin(client)


def test_a_session_that_never_gave_a_code_is_sent_back_to_log_in(client):
    """A device added after login (or by an administrator) makes the next admin page ask for the code."""
    user = make_user(ROLE_EDITOR, username="dina")
    assert login(client, "dina").status_code == 302
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    response = client.get("/admin/")

    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    assert client.get(SETUP).status_code == 302  # logged out


def test_required_roles_must_set_up_two_factor_before_using_the_admin(client, settings):
    settings.NEWSROOM_REQUIRE_2FA_FOR = [ROLE_EDITOR, ROLE_ADMINISTRATOR]
    editor = make_user(ROLE_EDITOR, username="dina")
    assert login(client, "dina").status_code == 302

    draft = make_article(published=False)
    for url in ("/admin/", "/admin/articles/article/", "/admin/auth/user/", f"/preview/{draft.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(SETUP), url

    page = client.get(SETUP)
    assert page.status_code == 200 and page.context["required"]
    device = TOTPDevice.objects.get(user=editor)
    done = client.post(SETUP, {"otp_token": code(device), "next": "/admin/articles/article/"})
    assert done.status_code == 302 and done.url == "/admin/articles/article/"
    assert in_admin(client)

    # A writer is not obliged.
    writer = Client()
    make_user(ROLE_WRITER, username="omar")
    assert login(writer, "omar").status_code == 302
    assert in_admin(writer)


def view_on_site(article, prefix=""):
    """The admin's "view on site" address for an article, which answers with its public address (and slug)."""
    return f"{prefix}/admin/r/{ContentType.objects.get_for_model(Article).pk}/{article.pk}/"


def test_view_on_site_sends_an_editor_without_two_factor_to_set_it_up_not_to_the_draft(client, settings):
    settings.NEWSROOM_REQUIRE_2FA_FOR = [ROLE_EDITOR]
    make_user(ROLE_EDITOR, username="dina")
    assert login(client, "dina").status_code == 302
    draft = make_article("خطة سرية للحكومة", headline_en="Secret government plan", published=False)

    for prefix in ("", "/en"):
        response = client.get(view_on_site(draft, prefix))
        assert response.status_code == 302 and response.url.startswith(f"{prefix}{SETUP}"), prefix
        assert draft.slug_ar not in response.url and draft.slug_en not in response.url


def test_view_on_site_logs_out_a_session_that_never_gave_a_code(client):
    user = make_user(ROLE_EDITOR, username="dina")
    assert login(client, "dina").status_code == 302
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    draft = make_article("خطة سرية للحكومة", published=False)

    response = client.get(view_on_site(draft))

    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    assert draft.slug_ar not in response.url
    assert client.get(SETUP).status_code == 302  # logged out


def test_setup_refuses_to_send_people_to_another_site(client):
    user = make_user(ROLE_WRITER, username="dina")
    client.force_login(user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(SETUP, {"otp_token": code(device), "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == reverse("admin:index")


def test_required_roles_come_from_the_environment():
    assert setting_from_environment({"NEWSROOM_REQUIRE_2FA_FOR": ""}, "settings.NEWSROOM_REQUIRE_2FA_FOR") == "[]"
    assert setting_from_environment(
        {"NEWSROOM_REQUIRE_2FA_FOR": "editor, administrator"}, "settings.NEWSROOM_REQUIRE_2FA_FOR",
    ) == "['editor', 'administrator']"


def test_a_misspelt_role_stops_the_server_from_starting():
    with pytest.raises(AssertionError, match="NEWSROOM_REQUIRE_2FA_FOR takes a comma list of roles"):
        setting_from_environment({"NEWSROOM_REQUIRE_2FA_FOR": "editors"}, "settings.NEWSROOM_REQUIRE_2FA_FOR")


def test_a_code_typed_in_arabic_indic_digits_works(client):
    user = make_user(ROLE_EDITOR, username="dina")
    client.force_login(user)
    device = turn_on(client, user)
    arabic = code(device, steps_ahead=1).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))

    assert login(Client(), "dina", otp_token=arabic).status_code == 302


def test_a_device_with_a_time_step_of_zero_refuses_codes_instead_of_breaking_the_login():
    # Saved by a script or an older version: django-otp would divide by its step at every login.
    user = make_user(ROLE_EDITOR, username="dina")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True, step=0)

    assert login(Client(), "dina", otp_token="123456").status_code == 200


def devices_page(client):
    return client.get(reverse("admin:articles_authenticatorapp_changelist"))


def test_administrators_see_who_uses_two_factor_in_arabic_and_never_the_secret(client):
    dina = make_user(ROLE_EDITOR, username="dina", first_name="دينا", last_name="الحسن")
    client.force_login(dina)
    device = turn_on(client, dina)
    client.force_login(make_user(ROLE_ADMINISTRATOR, username="boss"))

    listing = devices_page(client)
    detail = client.get(reverse("admin:articles_authenticatorapp_change", args=[device.pk]))

    assert listing.status_code == detail.status_code == 200
    assert "دينا الحسن" in listing.text and "تطبيق المصادقة" in listing.text
    for page in (listing.text, detail.text):
        # Whoever reads the key, in any of its spellings, or scans its QR code makes the owner's codes.
        assert device.key not in page and b32encode(device.bin_key).decode() not in page
        assert "otpauth" not in page and "qrcode" not in page
        # django-otp's own labels, which it never gives to gettext.
        assert "TOTP" not in page and "Throttling" not in page and "Tolerance" not in page
    # Only its owner sets an app up, and nobody edits one.
    assert client.get("/admin/articles/authenticatorapp/add/").status_code == 403
    assert client.post(
        reverse("admin:articles_authenticatorapp_change", args=[device.pk]), {"name": "x", "confirmed": ""},
    ).status_code == 403
    device.refresh_from_db()
    assert (device.name, device.confirmed) != ("x", False)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404


def test_removing_a_lost_phones_app_is_recorded_and_its_owner_sets_up_a_new_one(client, settings):
    settings.NEWSROOM_REQUIRE_2FA_FOR = [ROLE_EDITOR]
    dina = make_user(ROLE_EDITOR, username="dina")
    client.force_login(dina)
    device = turn_on(client, dina)
    boss = make_user(ROLE_ADMINISTRATOR, username="boss")
    client.force_login(boss)

    removed = client.post(reverse("admin:articles_authenticatorapp_delete", args=[device.pk]), {"post": "yes"})

    assert removed.status_code == 302
    assert not TOTPDevice.objects.filter(user=dina).exists()
    entry = AuditEntry.objects.get(action="account_changed", target_id=str(dina.pk), actor=boss)
    assert device.name in entry.detail
    # Her password alone lets her in again, straight to setting up the app on her new phone.
    browser = Client()
    assert login(browser, "dina").status_code == 302
    response = browser.get("/admin/")
    assert response.status_code == 302 and response.url.startswith(SETUP)


@pytest.mark.parametrize("lookup", ["key__startswith", "key", "key__gt", "throttling_failure_count__gt"])
def test_the_devices_list_cannot_be_filtered_by_the_secret(client, lookup):
    dina = make_user(ROLE_EDITOR, username="dina")
    client.force_login(dina)
    device = turn_on(client, dina)
    client.force_login(make_user(ROLE_ADMINISTRATOR, username="boss"))

    response = devices_page_filtered(client, {lookup: device.key[:2] if "key" in lookup else "0"})

    assert response.status_code == 400
    # Filtering by whose app it is still works.
    assert devices_page_filtered(client, {"user__id__exact": dina.pk}).status_code == 200


def devices_page_filtered(client, query):
    return client.get(reverse("admin:articles_authenticatorapp_changelist"), query)


def test_an_administrator_cannot_remove_a_superusers_app_but_another_superuser_can(client):
    # Removing it weakens the superuser's login as setting their password would: only a superuser may.
    root = make_user(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    device = turn_on(client, root)
    boss = make_user(ROLE_ADMINISTRATOR, username="boss")
    client.force_login(boss)
    delete_page = reverse("admin:articles_authenticatorapp_delete", args=[device.pk])

    assert client.post(delete_page, {"post": "yes"}).status_code == 403
    assert client.post(reverse("admin:articles_authenticatorapp_changelist"), {
        "action": "delete_selected", "_selected_action": [device.pk], "post": "yes",
    }).status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not AuditEntry.objects.filter(target_id=str(root.pk), actor=boss).exists()

    client.force_login(make_user(username="root2", is_staff=True, is_superuser=True))
    assert client.post(delete_page, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


def test_the_authenticator_apps_list_costs_the_same_queries_for_2_or_6_apps(client, django_assert_max_num_queries):
    from articles.roles import ROLE_ADMINISTRATOR

    client.force_login(make_user(ROLE_ADMINISTRATOR, username="chief"))

    def add_apps(count):
        for _number in range(count):
            user = make_user(ROLE_WRITER)
            make_person(f"كاتب {user.pk}", user=user)
            TOTPDevice.objects.create(user=user, name="هاتف", confirmed=True)

    add_apps(2)
    with django_assert_max_num_queries(20) as few:
        assert client.get("/admin/articles/authenticatorapp/").status_code == 200
    add_apps(4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/admin/articles/authenticatorapp/")


def test_an_administrator_cannot_send_a_superuser_a_link_to_choose_a_new_password(client, mailoutbox):
    from django.contrib.auth import get_user_model

    from articles.roles import ROLE_ADMINISTRATOR

    chief = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    client.force_login(make_user(ROLE_ADMINISTRATOR, username="admin2"))

    client.post("/admin/auth/user/", {"action": "resend_invitation", "_selected_action": [chief.pk]})

    assert mailoutbox == []
