"""Forged requests, refused: what the admin hides from a role is refused when posted anyway, an anonymous request
to any admin address gets no further than the login page, and no address shows a story readers may not see yet.

The admin addresses come from the project's URL resolver, not from a hand-made list, so a screen added later is
covered without anyone remembering it here. Posts are sent without CSRF checks (the test client's default): the
permission checks behind the CSRF middleware are what is tested. A server error anywhere fails the test.
"""

import re
import time
from urllib.parse import quote as urlquote

import pytest
import reversion
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from reversion.models import Version

from articles import preview
from articles.audit import AuditEntry
from articles.history import revision
from articles.models import Article, ArticleAutosave, Tag
from articles.roles import ROLE_ADMINISTRATOR, ROLE_EDITOR, ROLE_PHOTOGRAPHER, ROLE_WRITER, ROLES
from tests.factories import make_article, make_person, make_section, make_user
from tests.test_admin_flow import admin_form_data
from tests.test_roles import any_instance

User = get_user_model()
PASSWORD = "a-long-demo-password"
REFUSED = {403, 404, 405}
# Words that only stories readers may not see carry, in each edition; no public page may ever show them.
SECRET_AR = "وثيقة-مسربة"
SECRET_EN = "Leaked-memo"
SECRET_TAG = "وسم-المسودات"
BODY_WORD = "قمحالشمال"  # in the hidden story's body only: what the search for it must not find

pytestmark = pytest.mark.django_db


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[quote(obj.pk)])


def logged_in_client(user):
    client = Client()
    client.force_login(user)
    return client


def is_login_redirect(response):
    return response.status_code == 302 and re.match(r"^(/en)?/admin/login/", response["Location"])


def articles_as_they_are():
    """Everything a forged request could have changed about the articles, to compare before and after."""
    rows = Article.objects.order_by("pk").values_list(
        "pk", "status", "published_at", "deleted_at", "headline_ar", "is_top_story", "created_by", "version",
    )
    return list(rows), AuditEntry.objects.count()


# -- the newsroom: one account per role, and articles in every state ------------------------------------------------


@pytest.fixture
def people():
    """One account per role, and a second writer: the author of the articles the first one may not change."""
    accounts = {role: make_user(role, username=role) for role in ROLES}
    return accounts | {"author": make_user(ROLE_WRITER, username="author")}


@pytest.fixture
def stories(people):
    stories = {
        "own draft": make_article("مسودة الكاتب", created_by=people[ROLE_WRITER]),
        "others' draft": make_article("مسودة زميل", created_by=people["author"]),
        "others' published": make_article("خبر منشور لزميل", created_by=people["author"], published=True),
        "own published": make_article("خبر منشور للكاتب", created_by=people[ROLE_WRITER], published=True),
        "trashed": make_article("خبر في سلة المحذوفات", created_by=people["author"], published=True),
    }
    stories["trashed"].move_to_trash(by=None)
    for story in stories.values():
        with revision(people[ROLE_EDITOR]):
            story.save()
    return stories


# -- a writer forging what the admin does not offer them ----------------------------------------------------------


ARTICLE_ACTIONS = [
    "publish_selected", "unpublish_selected", "submit_selected", "move_to_trash_selected",
    "restore_selected", "delete_for_good_selected", "delete_selected",
]


@pytest.mark.parametrize("in_trash_list", [False, True], ids=["article list", "trash list"])
@pytest.mark.parametrize("action", ARTICLE_ACTIONS)
def test_writer_forging_any_article_action_on_anyones_article_changes_nothing(people, stories, action, in_trash_list):
    client = logged_in_client(people[ROLE_WRITER])
    # Sending their own draft for review is theirs to do; on anything else every action must be a no-op.
    targets = [story for name, story in stories.items() if not (action == "submit_selected" and name == "own draft")]
    before = articles_as_they_are()

    url = reverse("admin:articles_article_changelist") + ("?trash=1" if in_trash_list else "")
    response = client.post(url, {"action": action, "_selected_action": [story.pk for story in targets], "post": "yes"})

    assert response.status_code in {200, 302}
    assert articles_as_they_are() == before


def article_endpoints(story, version):
    """(method, address) of every admin page that changes one article, its history and trash pages included."""
    pk = quote(story.pk)
    return [
        ("post", reverse("admin:articles_article_change", args=[pk])),
        ("post", reverse("admin:articles_article_delete", args=[pk])),
        ("post", reverse("admin:articles_article_restore", args=[pk])),
        ("post", reverse("admin:articles_article_autosave", args=[pk])),
        ("post", reverse("admin:articles_article_revision", args=[pk, version.pk])),
        ("get", reverse("admin:articles_article_delete", args=[pk])),
    ]


ENDPOINT_NAMES = ["change", "delete", "restore", "autosave", "restore a revision", "delete page"]


@pytest.mark.parametrize("endpoint", range(len(ENDPOINT_NAMES)), ids=ENDPOINT_NAMES)
@pytest.mark.parametrize("whose", ["others' draft", "others' published", "own published", "trashed"])
def test_writer_changing_an_article_by_its_id_is_refused(people, stories, whose, endpoint):
    story = stories[whose]
    # The form as its own author (or an editor) would post it, every field filled, the headline changed.
    editor = logged_in_client(people[ROLE_EDITOR])
    form = admin_form_data(editor, change_url(story), headline_ar="عنوان مزور", post="yes", _publish="نشر")
    method, url = article_endpoints(story, Version.objects.get_for_object(story).first())[endpoint]
    before = articles_as_they_are()

    response = getattr(logged_in_client(people[ROLE_WRITER]), method)(url, form if method == "post" else None)

    assert response.status_code in REFUSED
    assert articles_as_they_are() == before
    assert not ArticleAutosave.objects.filter(user=people[ROLE_WRITER]).exists()


def test_writer_posting_a_stale_form_for_another_writers_draft_changes_nothing(people, stories):
    """A form "opened at an older version" is kept as the sender's own unsaved copy, never saved to the article."""
    story = stories["others' draft"]
    form = admin_form_data(logged_in_client(people[ROLE_EDITOR]), change_url(story), headline_ar="عنوان مزور")
    before = articles_as_they_are()

    response = logged_in_client(people[ROLE_WRITER]).post(change_url(story), form | {"opened_version": "0"})

    assert response.status_code in REFUSED | {200}
    assert b'name="_save"' not in response.content
    assert articles_as_they_are() == before


@pytest.mark.parametrize("form", ["change", "add"])
def test_writer_posting_publication_fields_the_form_hides_sets_none_of_them(people, stories, form):
    writer, author = people[ROLE_WRITER], people["author"]
    client = logged_in_client(writer)
    url = change_url(stories["own draft"]) if form == "change" else reverse("admin:articles_article_add")
    forged = {
        "headline_ar": "خبر الكاتب الجديد", "status": "published", "published_at_0": "2020-01-01",
        "published_at_1": "10:00:00", "published_at": "2020-01-01 10:00:00", "is_top_story": "on",
        "created_by": author.pk, "updated_by": author.pk, "deleted_at": "2020-01-01 10:00:00",
        "version": "99", "_publish": "نشر",
    }

    response = client.post(url, admin_form_data(client, url) | forged)

    assert response.status_code == 302, response.content.decode()[:2000]
    story = Article.objects.get(headline_ar="خبر الكاتب الجديد")
    assert (story.status, story.published_at, story.is_top_story, story.deleted_at) == (
        Article.Status.DRAFT, None, False, None,
    )
    assert story.created_by == writer
    assert not AuditEntry.objects.filter(action__in=["published", "scheduled"], target_id=str(story.pk)).exists()


# -- writers and editors forging account changes ------------------------------------------------------------------


def account_forgeries(people):
    """(what, method, address, data) of every way to change an account, a role or a login through the admin."""
    victim, writers = people[ROLE_ADMINISTRATOR], Group.objects.get(name=ROLES[ROLE_WRITER]["group"])
    everything = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]
    changelist = reverse("admin:auth_user_changelist")
    return [
        ("edit a user", "post", change_url(victim), {
            "username": victim.username, "is_active": "", "is_staff": "on", "groups": [],
            "password": "md5$forged$forged", "email": "attacker@example.org",
        }),
        ("make themselves superuser", "post", None, {"is_superuser": "on", "is_staff": "on", "is_active": "on"}),
        ("set a password", "post", reverse("admin:auth_user_password_change", args=[victim.pk]), {
            "password1": "another-long-password", "password2": "another-long-password", "usable_password": "true",
        }),
        ("invite", "post", reverse("admin:auth_user_invite"), {
            "email": "new@example.org", "name_ar": "دخيل", "role": ROLE_ADMINISTRATOR, "person_role": "writer",
            "person_role_gender": "masculine",
        }),
        ("add a user", "post", reverse("admin:auth_user_add"), {
            "username": "intruder", "password1": "another-long-password", "password2": "another-long-password",
            "usable_password": "true",
        }),
        ("deactivate", "post", changelist, {"action": "deactivate", "_selected_action": [victim.pk]}),
        ("resend an invitation", "post", changelist, {"action": "resend_invitation", "_selected_action": [victim.pk]}),
        ("delete a user", "post", reverse("admin:auth_user_delete", args=[victim.pk]), {"post": "yes"}),
        ("widen a role", "post", change_url(writers), {"name": writers.name, "permissions": everything}),
        ("add a role", "post", reverse("admin:auth_group_add"), {"name": "دخلاء", "permissions": everything}),
        ("remove another's two-factor app", "post", reverse("admin:articles_authenticatorapp_delete", args=[
            TOTPDevice.objects.get_or_create(user=victim, name="phone")[0].pk,
        ]), {"post": "yes"}),
        ("clear login lockouts", "post", reverse("admin:axes_accessattempt_changelist"), {
            "action": "delete_selected", "_selected_action": ["1"], "post": "yes",
        }),
        # Not a change, but the list of accounts (usernames are email addresses) is for administrators too.
        ("look accounts up", "get", reverse("admin:autocomplete"), {
            "app_label": "articles", "model_name": "person", "field_name": "user", "term": "",
        }),
    ]


def accounts_as_they_are():
    users = list(User.objects.order_by("pk").values_list(
        "pk", "username", "password", "is_active", "is_staff", "is_superuser", "email",
    ))
    groups = sorted((group.name, permission) for group in Group.objects.all()
                    for permission in group.permissions.values_list("codename", flat=True))
    memberships = sorted(User.groups.through.objects.values_list("user_id", "group_id"))
    return users, groups, memberships, TOTPDevice.objects.count(), AuditEntry.objects.count()


@pytest.mark.parametrize("forgery", range(13), ids=[
    "edit a user", "make themselves superuser", "set a password", "invite", "add a user", "deactivate",
    "resend an invitation", "delete a user", "widen a role", "add a role", "remove another's two-factor app",
    "clear login lockouts", "look accounts up",
])
@pytest.mark.parametrize("role", [ROLE_WRITER, ROLE_EDITOR, ROLE_PHOTOGRAPHER])
def test_only_administrators_may_change_accounts_and_roles(people, role, forgery, mailoutbox):
    forger = people[role]
    what, method, url, data = account_forgeries(people)[forgery]
    if url is None:  # their own account
        url, data = change_url(forger), {"username": forger.username, **data}
    before = accounts_as_they_are()

    response = getattr(logged_in_client(forger), method)(url, data)

    assert response.status_code in REFUSED, what
    assert accounts_as_they_are() == before, what
    assert not mailoutbox
    assert people[ROLE_ADMINISTRATOR].username not in response.content.decode()


def test_editor_forging_an_account_link_on_a_byline_profile_links_nothing(people):
    """Editors manage byline profiles, but which account a profile belongs to is for administrators."""
    person = make_person()
    client = logged_in_client(people[ROLE_EDITOR])
    url = change_url(person)

    response = client.post(url, admin_form_data(client, url) | {"user": people[ROLE_ADMINISTRATOR].pk})

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user is None


# -- photographers and articles, editors and the trash ------------------------------------------------------------


def photographer_forgeries(story, version):
    pk = quote(story.pk)
    return [
        ("get", reverse("admin:articles_article_changelist"), {}),
        ("get", reverse("admin:articles_article_add"), {}),
        ("post", reverse("admin:articles_article_add"), {"headline_ar": "خبر المصور"}),
        ("get", reverse("admin:articles_article_change", args=[pk]), {}),
        ("post", reverse("admin:articles_article_change", args=[pk]), {"headline_ar": "عنوان مزور"}),
        ("post", reverse("admin:articles_article_delete", args=[pk]), {"post": "yes"}),
        ("get", reverse("admin:articles_article_history", args=[pk]), {}),
        ("get", reverse("admin:articles_article_compare", args=[pk]) + f"?from={version.revision_id}", {}),
        ("post", reverse("admin:articles_article_revision", args=[pk, version.pk]), {}),
        ("post", reverse("admin:articles_article_autosave_new") + "?draft_key=forged-key", {"headline_ar": "x"}),
        ("post", reverse("admin:articles_article_autosave", args=[pk]), {"headline_ar": "x"}),
        ("post", reverse("admin:articles_article_changelist"), {"action": "publish_selected",
                                                                "_selected_action": [story.pk]}),
        ("get", reverse("article_preview", args=[story.pk]), {}),
        # Django's "view on site" redirect would answer with the public address, and so the draft's slug.
        ("get", reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(Article).pk, story.pk]), {}),
        ("get", reverse("admin:autocomplete"), {"app_label": "articles", "model_name": "article",
                                                "field_name": "related_articles", "term": ""}),
    ]


@pytest.mark.parametrize("forgery", range(15))
def test_photographer_cannot_open_or_touch_an_article(people, stories, forgery):
    story = stories["others' draft"]
    method, url, data = photographer_forgeries(story, Version.objects.get_for_object(story).first())[forgery]
    before = articles_as_they_are()

    response = getattr(logged_in_client(people[ROLE_PHOTOGRAPHER]), method)(url, data)

    assert response.status_code in REFUSED, url
    assert story.slug not in response.content.decode() + response.get("Location", "")
    assert articles_as_they_are() == before
    assert not ArticleAutosave.objects.exists()


@pytest.mark.parametrize("forgery", ["empty page", "empty", "delete for good", "delete action", "delete action, asked"])
def test_editor_cannot_delete_from_the_trash_for_good(people, stories, forgery):
    trashed = stories["trashed"]
    empty = reverse("admin:articles_article_empty_trash")
    trash_list = reverse("admin:articles_article_changelist") + "?trash=1"
    action = {"action": "delete_for_good_selected", "_selected_action": [trashed.pk]}
    method, url, data = {
        "empty page": ("get", empty, {}),
        "empty": ("post", empty, {"post": "yes"}),
        "delete for good": ("post", reverse("admin:articles_article_delete", args=[trashed.pk]), {"post": "yes"}),
        "delete action": ("post", trash_list, action),
        "delete action, asked": ("post", trash_list, action | {"post": "yes"}),
    }[forgery]

    response = getattr(logged_in_client(people[ROLE_EDITOR]), method)(url, data)

    # The trash list answers an action it does not offer with "no action selected"; the pages themselves refuse.
    assert response.status_code in (REFUSED | {302} if "action" in forgery else REFUSED)
    assert Article.objects.in_trash().filter(pk=trashed.pk).exists()
    assert not AuditEntry.objects.filter(action="purged").exists()


def test_view_on_site_still_takes_whoever_may_open_the_article_to_its_address(people, stories):
    story = stories["others' draft"]
    url = reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(Article).pk, story.pk])
    writer = logged_in_client(people[ROLE_WRITER])

    response = writer.get(url)

    # A draft has no public page yet: its preview shows it as it would be published.
    assert response.status_code == 302 and response["Location"] == reverse("article_preview", args=[story.pk])
    assert writer.get(response["Location"]).status_code == 200
    story.publish(by=people[ROLE_EDITOR])
    live = writer.get(url)
    assert live.status_code == 302 and live["Location"].endswith(story.get_absolute_url())
    missing = reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(Article).pk, 10**30])
    assert logged_in_client(people[ROLE_EDITOR]).get(missing).status_code == 404


# -- anonymous requests to every admin address --------------------------------------------------------------------


def walked(patterns, prefix=()):
    """(route patterns, URL name) of every address below ``patterns``."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walked(entry.url_patterns, (*prefix, entry.pattern))
        elif isinstance(entry, URLPattern):
            yield (*prefix, entry.pattern), entry.name


def filled(patterns, values):
    """The address for these route patterns, each parameter replaced: named ones from ``values`` by name, unnamed
    regex groups (reversion's "<id>/history/<version>/") by ``values["groups"]`` in order."""
    groups = iter(values["groups"])
    address = ""
    for pattern in patterns:
        route = str(pattern)
        if not isinstance(pattern, RegexPattern):
            address += re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(values[match.group(1)]), route)
            continue
        route, depth = route.removeprefix("^").removesuffix("$"), 0
        for index, char in enumerate(route):
            if char == "(":
                if depth == 0:
                    named = re.match(r"\?P<(\w+)>", route[index + 1:])
                    address += str(values[named.group(1)] if named else next(groups))
                depth += 1
            elif char == ")":
                depth -= 1
            elif depth == 0:
                address += char
    return "/" + address.replace("\\", "")


def every_admin_address():
    """(URL name, route segments) of every address under admin/, read from the project's URL resolver, plus the
    staff-only pages outside it (the staff preview, two-factor setup)."""
    found = []
    for segments, name in walked(get_resolver().url_patterns):
        route = "".join(str(segment) for segment in segments)
        if route.startswith("admin/") or name in ("article_preview", "two_factor_setup"):
            found.append((name or route, segments))
    return found


def parameter_values(segments, objects):
    """Real ids for the address's parameters: of the model whose admin it belongs to, or of an article."""
    match = re.match(r"admin/(\w+)/(\w+)/", "".join(str(segment) for segment in segments))
    model = Article
    if match:
        try:
            model = apps.get_model(match.group(1), match.group(2))
        except LookupError:
            pass
    obj = objects.get(model, objects[Article])
    version = Version.objects.get_for_object(obj).first() if reversion.is_registered(model) else None
    return {
        "object_id": quote(obj.pk), "id": obj.pk, "pk": obj.pk, "app_label": "articles", "url": "no-such-page/",
        "content_type_id": ContentType.objects.get_for_model(Article).pk,
        "groups": [quote(obj.pk), version.pk if version else 1],
    }


# Open to anyone by nature: they show the login form (or its outcome) and nothing else.
PUBLIC_ADMIN_PAGES = {"login", "logout"}


@pytest.fixture
def every_admin_object(people, stories):
    made = {Article: stories["others' draft"], User: people["author"]}
    objects = {model: any_instance(model, made) for model in admin.site._registry}
    for obj in objects.values():
        if reversion.is_registered(type(obj)):
            with revision(people[ROLE_EDITOR]):
                obj.save()
    return objects


def test_the_walk_finds_every_admin_screen():
    """So that the anonymous test below cannot pass by walking nothing."""
    names = {name for name, _segments in every_admin_address()}
    for model in admin.site._registry:
        opts = model._meta
        assert f"{opts.app_label}_{opts.model_name}_change" in names
    assert {"articles_article_restore", "articles_article_autosave", "articles_article_revision",
            "auth_user_invite", "auth_user_password_change", "articles_photo_upload", "index", "login",
            "article_preview"} <= names
    assert len(names) > 100


@pytest.mark.parametrize("language_prefix", ["", "/en"], ids=["arabic", "english"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_requests_to_every_admin_address_only_reach_the_login(every_admin_object, method, language_prefix):
    before_articles, before_accounts = articles_as_they_are(), accounts_as_they_are()
    client = Client(raise_request_exception=False)
    data = {"post": "yes", "headline_ar": "عنوان مزور"} if method == "post" else {}
    wrong = []
    # Read before any request: one to /en/ leaves English active, and the resolver would then add "en/" itself.
    addresses = [(name, filled(segments, parameter_values(segments, every_admin_object)))
                 for name, segments in every_admin_address()]

    for name, address in addresses:
        url = language_prefix + address
        response = getattr(client, method)(url, data)
        if name in PUBLIC_ADMIN_PAGES:
            ok = response.status_code in {200, 302, 405} and SECRET_AR not in response.content.decode()
        else:
            ok = response.status_code in REFUSED or is_login_redirect(response)
        if not ok:
            wrong.append(f"{method.upper()} {url} ({name}): {response.status_code} {response.get('Location', '')}")

    assert not wrong, "\n".join(wrong)
    # The walk reached the admin itself, in this language, not some address that is refused for not existing.
    assert is_login_redirect(client.get(f"{language_prefix}/admin/articles/article/"))
    assert articles_as_they_are() == before_articles
    assert accounts_as_they_are() == before_accounts


# -- stories readers may not see, at every public address ---------------------------------------------------------


def hidden_story(state, author):
    """A story in ``state``, translated (so its English addresses exist too), tagged with a tag nothing else uses,
    by a person with no other story, in a section of its own."""
    story = make_article(
        f"{SECRET_AR} {state}", created_by=author, authors=[make_person()], section=make_section(),
        summary_ar=f"{SECRET_AR} ملخص", body_ar=f"<p>{SECRET_AR} {BODY_WORD}</p>",
        headline_en=f"{SECRET_EN} {state}", summary_en=SECRET_EN, body_en=f"<p>{SECRET_EN} {BODY_WORD}</p>",
        tags=[SECRET_TAG],
    )
    now = timezone.now()
    if state == "in review":
        story.submit_for_review(by=None)
    elif state == "scheduled":
        story.publish(by=None, at=now + timezone.timedelta(days=1))
    elif state in ("unpublished", "trashed", "trashed while scheduled"):
        story.publish(by=None, at=now - timezone.timedelta(hours=2) if state != "trashed while scheduled"
                      else now + timezone.timedelta(days=1))
        if state == "unpublished":
            story.unpublish(by=None)
        else:
            story.move_to_trash(by=None)
    story.refresh_from_db()
    return story


HIDDEN_STATES = ["draft", "in review", "scheduled", "unpublished", "trashed", "trashed while scheduled"]


def public_addresses(story):
    """(address, must be not found) of every public page that could show ``story``."""
    section, person, tag = story.section, story.authors.get(), Tag.objects.get(name=SECRET_TAG)
    day = timezone.localtime(story.published_at or timezone.now())
    not_found = [
        f"/article/{story.pk}/", f"/article/{story.pk}/{story.slug}/",
        f"/en/article/{story.pk}/", f"/en/article/{story.pk}/{story.slug}/",
        f"/tag/{tag.slug}/", f"/en/tag/{tag.slug}/", f"/tag/{tag.slug}/feed/", f"/en/tag/{tag.slug}/feed/",
        # Its author has nothing else: no page yet, as a tag only drafts use.
        f"/person/{person.slug}/", f"/person/{person.slug}/feed/", f"/en/person/{person.slug}/",
    ]
    listing = [
        "/", "/en/", "/feed/", "/feed/atom/", "/en/feed/", "/en/feed/atom/", "/sitemap.xml", "/sitemap-news.xml",
        f"/section/{section.slug}/", f"/section/{section.slug}/feed/", f"/en/section/{section.slug}/",
        f"/search/?q={BODY_WORD}", f"/en/search/?q={BODY_WORD}",
        f"/archive/{day.year}/", f"/archive/{day.year}/{day.month}/", f"/archive/{day.year}/{day.month}/{day.day}/",
    ]
    return [(url, True) for url in not_found] + [(url, False) for url in listing]


@pytest.mark.parametrize("viewer", ["anonymous", "another writer"])
@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_a_story_readers_may_not_see_is_at_no_public_address(people, state, viewer):
    story = hidden_story(state, author=people["author"])
    assert not Article.objects.published().filter(pk=story.pk).exists()
    tag = Tag.objects.get(name=SECRET_TAG)
    tag_in_urls = [f"/tag/{tag.slug}/", f"/tag/{urlquote(tag.slug)}/"]  # a tag only drafts use stays unlisted
    client = Client(raise_request_exception=False)
    if viewer != "anonymous":
        client.force_login(people[ROLE_WRITER])
    wrong = []

    for url, must_be_missing in public_addresses(story):
        response = client.get(url)
        page = response.content.decode()
        shows = any(secret in page for secret in (SECRET_AR, SECRET_EN, f"/article/{story.pk}/", *tag_in_urls))
        if must_be_missing and response.status_code not in REFUSED:
            wrong.append(f"{url}: {response.status_code}, not refused")
        elif not must_be_missing and (response.status_code != 200 or shows):
            wrong.append(f"{url}: {response.status_code}{', shows the story' if shows else ''}")

    assert not wrong, "\n".join(wrong)


# -- reviewer links without a valid signature ---------------------------------------------------------------------


class SignerOfThePast(signing.TimestampSigner):
    """The real signer, with its clock set back: what an expired link was signed with."""

    hours_ago = 0

    def timestamp(self):
        return signing.b62_encode(int(time.time() - self.hours_ago * 3600))


def forged_token(kind, story, other):
    real = preview.preview_token(story)
    payload, stamp, signature = real.rsplit(":", 2)
    created = int(story.created_at.timestamp())
    past = SignerOfThePast(salt=preview.SALT)
    past.hours_ago = preview.link_lifetime().total_seconds() / 3600 + 1
    return {
        "tampered signature": f"{payload}:{stamp}:{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}",
        # Another article's payload under this article's signature: a token moved to another article.
        "another article's payload": f"{preview.preview_token(other).rsplit(':', 2)[0]}:{stamp}:{signature}",
        "tampered time": f"{payload}:{signing.b62_encode(int(time.time()) + 3600)}:{signature}",
        "expired": past.sign_object([story.pk, created]),
        "another salt": signing.TimestampSigner(salt="articles.other").sign_object([story.pk, created]),
        "another key": signing.TimestampSigner(key="not-the-site-key", salt=preview.SALT).sign_object(
            [story.pk, created]),
        "unsigned": signing.b64_encode(f'[{story.pk},{created}]'.encode()).decode(),
        "since trashed": real,
        "since deleted for good": real,
    }[kind]


TOKEN_FORGERIES = [
    "tampered signature", "another article's payload", "tampered time", "expired", "another salt",
    "another key", "unsigned", "since trashed", "since deleted for good",
]


@pytest.mark.parametrize("language_prefix", ["", "/en"], ids=["arabic", "english"])
@pytest.mark.parametrize("kind", TOKEN_FORGERIES)
def test_reviewer_link_without_a_valid_signature_shows_nothing(people, kind, language_prefix):
    story = hidden_story("draft", author=people["author"])
    other = make_article("مسودة أخرى", created_by=people["author"])
    token = forged_token(kind, story, other)
    if kind == "since trashed":
        story.move_to_trash(by=None)
    elif kind == "since deleted for good":
        story.move_to_trash(by=None)
        story.delete_for_good(by=None)

    response = Client(raise_request_exception=False).get(f"{language_prefix}/preview/s/{token}/")

    # 404 for a link that is not ours, 410 for one that was ours but no longer works (expired, withdrawn).
    assert response.status_code in {404, 410}
    page = response.content.decode()
    assert SECRET_AR not in page and SECRET_EN not in page and "مسودة أخرى" not in page
    assert 'lang="ar"' in page or 'lang="en"' in page


@pytest.mark.parametrize("language_prefix", ["", "/en"], ids=["arabic", "english"])
def test_staff_preview_sends_a_stranger_to_log_in(people, language_prefix):
    story = hidden_story("draft", author=people["author"])

    response = Client().get(f"{language_prefix}/preview/{story.pk}/")

    assert is_login_redirect(response)
