"""The role table, enforced: every admin page answers each role as its permissions say, and forged requests fail.

The walk discovers the pages from the admin site itself (every registered ModelAdmin's own pages, the extra
addresses its get_urls adds, the index and app pages). Django's five pages per model are judged from the model
permissions; each extra page is judged from EXTRA_PAGES below, and an extra page missing from it fails the walk,
so a new admin screen cannot slip through unjudged.
"""

import re
from typing import NamedTuple

import pytest
import reversion
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import models
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.generic import RedirectView
from reversion.models import Version

from articles.audit import AuditEntry
from articles.history import revision
from articles.models import Article, Tag
from articles.roles import (
    ALL,
    ROLE_ADMINISTRATOR,
    ROLE_EDITOR,
    ROLE_PHOTOGRAPHER,
    ROLE_WRITER,
    ROLES,
    assign_role,
    user_role,
)
from tests.factories import image_upload, make_article, make_photo, make_user
from tests.test_admin_flow import admin_form_data

ANONYMOUS = "anonymous"
EVERYONE = [ANONYMOUS, ROLE_WRITER, ROLE_PHOTOGRAPHER, ROLE_EDITOR, ROLE_ADMINISTRATOR]
DJANGO_PAGES = ("changelist", "add", "change", "delete", "history")
MODEL_ACTIONS = ("view", "add", "change", "delete")
# Refusals for someone without any permission on a model: forbidden, or nothing to show them.
REFUSED = {403, 404, 405}
# Object-level rules on top of the model permissions (the role table says "their own drafts only").
MAY_CHANGE_OBJECT = {Article: lambda user, article: article.may_edit(user)}


def model_perm(*actions):
    """Holds any of these permissions on the model of the object behind the page."""
    def rule(user, obj):
        opts = obj._meta
        return any(user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}") for action in actions)
    return rule


def perm(name):
    return lambda user, obj: user.has_perm(name)


def may_change(user, obj):
    """The model's change permission and the object-level rule (a writer: their own drafts only)."""
    return model_perm("change")(user, obj) and MAY_CHANGE_OBJECT.get(type(obj), lambda user, obj: True)(user, obj)


def everyone(user, obj):
    return True


class Extra(NamedTuple):
    """What an extra page answers: ``get`` and ``post`` are (who may, the answer they get); everyone else gets
    403. ``post`` is None for a page that does nothing on POST. ``query`` finishes the address (version ids)."""
    get: tuple
    post: tuple | None = None
    query: object = None


def compare_query(obj, version):
    return f"?from={version.revision_id}"


# Every extra admin page, by URL name, and the permission it needs. Its parameters are filled with the existing
# object's id and, for a second one, the id of that object's latest version (see object_and_version).
EXTRA_PAGES = {
    # The trash: emptying it is for administrators; restoring is for whoever may move articles to it.
    "articles_article_empty_trash": Extra(get=(perm("articles.empty_trash"), 200),
                                          post=(perm("articles.empty_trash"), 302)),
    "articles_article_restore": Extra(get=(everyone, 405), post=(perm("articles.delete_article"), 302)),
    # Autosave answers POST only, to whoever may add articles / change this one.
    "articles_article_autosave_new": Extra(get=(perm("articles.add_article"), 405),
                                           post=(perm("articles.add_article"), 200),
                                           query=lambda obj, version: "?draft_key=role-walk-draft"),
    "articles_article_autosave": Extra(get=(may_change, 405), post=(may_change, 200)),
    # History: reading revisions needs view; restoring one (POST) needs change on that very object.
    "articles_article_compare": Extra(get=(model_perm("view", "change"), 200), query=compare_query),
    "articles_article_revision": Extra(get=(model_perm("view", "change"), 200), post=(may_change, 302)),
    "articles_photo_compare": Extra(get=(model_perm("view", "change"), 200), query=compare_query),
    "articles_photo_revision": Extra(get=(model_perm("view", "change"), 200), post=(may_change, 302)),
    # The photo library: uploading is adding photos (an empty POST shows the form again with its errors).
    "articles_photo_upload": Extra(get=(perm("articles.add_photo"), 200), post=(perm("articles.add_photo"), 200)),
    "articles_photo_thumbnail": Extra(get=(perm("articles.view_photo"), 302)),
    # Accounts: inviting is adding a user; setting a password is changing one (empty POSTs: the form again).
    "auth_user_invite": Extra(get=(perm("auth.add_user"), 200), post=(perm("auth.add_user"), 200)),
    "auth_user_password_change": Extra(get=(perm("auth.change_user"), 200), post=(perm("auth.change_user"), 200)),
}


# -- the world the walk needs: one user per role, and one existing object behind every admin screen ----------------


def any_instance(model, made):
    """An existing row of ``model``, or a new one with every required field filled in plainly."""
    if model in made:
        return made[model]
    instance = model._default_manager.order_by("pk").first()
    if instance is None:
        values = {}
        for field in model._meta.concrete_fields:
            if field.primary_key or field.has_default() or field.null or field.blank and not field.is_relation:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                continue
            values[field.name] = plain_value(field, made)
        instance = model._default_manager.create(**values)
    made[model] = instance
    return instance


def plain_value(field, made):
    if field.is_relation:
        return any_instance(field.related_model, made)
    if isinstance(field, models.FileField):
        return image_upload()
    if isinstance(field, models.GenericIPAddressField):
        return "192.0.2.1"
    if isinstance(field, models.URLField):
        return "https://example.org/"
    if isinstance(field, models.EmailField):
        return "someone@example.org"
    if isinstance(field, models.CharField | models.TextField):
        return "x"
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return timezone.localdate()
    if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
        return 1
    if isinstance(field, models.JSONField):
        return {}
    raise TypeError(f"teach tests/test_roles.py to fill {field!r}")


@pytest.fixture
def newsroom(db):
    users = {role: make_user(role) for role in ROLES}
    other_writer = make_user(ROLE_WRITER)
    # The article every role opens: a draft by another writer (a writer may read it, not change it).
    article = make_article(created_by=other_writer, tags=["سوريا"])
    writers = Group.objects.get(name=ROLES[ROLE_WRITER]["group"])
    made = {Article: article, get_user_model(): other_writer, Group: writers}
    objects = {model: any_instance(model, made) for model in admin.site._registry}
    superuser = get_user_model().objects.create_superuser("chief", password="a-long-demo-password")
    # A revision of every object with a history, for the history pages to show and restore.
    for obj in objects.values():
        if reversion.is_registered(type(obj)):
            with revision(superuser):
                obj.save()
    return users, objects, superuser


# -- discovering the pages ---------------------------------------------------------------------------------------


def flattened(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from flattened(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix, entry


def filled_route(route, values):
    """A route such as "<path:object_id>/restore/" or "^([^/]+)/history/(\\d+)/$" with its parameters replaced,
    in order, by ``values`` (the last one repeated if there are more parameters than values)."""
    values = iter([quote(str(value)) for value in values])
    last = None

    def next_value(_match=None):
        nonlocal last
        last = next(values, last)
        return last

    if not route.startswith("^"):
        return re.sub(r"<(?:\w+:)?\w+>", next_value, route)
    filled, depth = "", 0
    for char in route.removeprefix("^").removesuffix("$"):
        if char == "(":
            filled += next_value() if depth == 0 else ""
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            filled += char
    return filled.replace("\\", "")


def latest_version(obj):
    return Version.objects.get_for_object(obj).first() if reversion.is_registered(type(obj)) else None


def object_and_version(obj):
    """What an extra page's parameters are filled with: the object's id, then its latest version's id."""
    version = latest_version(obj)
    return [obj.pk, version.pk] if version else [obj.pk]


def admin_pages(model_admin, obj):
    """(label, url) of Django's five pages for this model."""
    opts = model_admin.opts
    name = f"admin:{opts.app_label}_{opts.model_name}"
    pages = [
        ("changelist", reverse(f"{name}_changelist")),
        ("add", reverse(f"{name}_add")),
        ("change", reverse(f"{name}_change", args=[quote(obj.pk)])),
        ("delete", reverse(f"{name}_delete", args=[quote(obj.pk)])),
        ("history", reverse(f"{name}_history", args=[quote(obj.pk)])),
    ]
    return pages


def extra_pages(model_admin, obj):
    """(URL name, url) of every extra page the admin's get_urls adds, its parameters filled for ``obj``."""
    opts = model_admin.opts
    django_names = {f"{opts.app_label}_{opts.model_name}_{page}" for page in DJANGO_PAGES}
    base = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    values = object_and_version(obj)
    for prefix, pattern in flattened(model_admin.get_urls()):
        if pattern.name in django_names or getattr(pattern.callback, "view_class", None) is RedirectView:
            continue  # Django's own pages, and its redirect from "<id>/" to "<id>/change/"
        route = prefix + str(pattern.pattern)
        yield pattern.name or route, base + filled_route(route, values)


# -- what the role table says each page should answer ------------------------------------------------------------


def offered(model_admin, superuser, check, obj=None):
    """Whether the screen offers this at all (to a superuser): some admins never add or change, e.g. login logs."""
    request = RequestFactory().get("/admin/")
    request.user = superuser
    method = getattr(model_admin, f"has_{check}_permission")
    return method(request, obj) if check != "add" else method(request)


def expected(user, model_admin, page, obj, superuser):
    """200, "read-only" or 403, from the user's permissions (the groups the role table made)."""
    opts = model_admin.opts

    def has(action):
        return user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")

    may_view = has("view") or has("change")
    if page in ("changelist", "history"):
        return 200 if may_view else 403
    if page == "add":
        return 200 if has("add") and offered(model_admin, superuser, "add") else 403
    if page == "delete":
        return 200 if has("delete") and offered(model_admin, superuser, "delete", obj) else 403
    # The change page: a form to save, the same page read-only, or nothing.
    object_rule = MAY_CHANGE_OBJECT.get(opts.model, lambda user, obj: True)
    if has("change") and object_rule(user, obj) and offered(model_admin, superuser, "change", obj):
        return 200
    return "read-only" if may_view else 403


def answer(response, label):
    # A change page one may only read has no save button (and no form fields).
    if label == "change" and response.status_code == 200 and b'name="_save"' not in response.content:
        return "read-only"
    return response.status_code


def is_login_redirect(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


# -- the walk -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", EVERYONE)
def test_every_admin_page_answers_each_role_as_the_role_table_says(newsroom, role):
    users, objects, superuser = newsroom
    client = Client()
    user = users.get(role)
    if user:
        client.force_login(user)
    wrong = []

    def check(label, url, wanted, method="get"):
        response = getattr(client, method)(url)  # a server error raises here, failing the test
        if user is None:
            if not is_login_redirect(response):
                wrong.append(f"{method.upper()} {url} ({label}): {response.status_code}, not a redirect to login")
        elif wanted == "refused":
            if response.status_code not in REFUSED:
                wrong.append(f"{method.upper()} {url} ({label}): {response.status_code}, not refused")
        elif wanted is not None and answer(response, label) != wanted:
            wrong.append(f"{method.upper()} {url} ({label}): {answer(response, label)}, expected {wanted}")

    check("index", reverse("admin:index"), 200)
    for app_label in sorted({model._meta.app_label for model in admin.site._registry}):
        visible = user and any(
            user.has_module_perms(app_label) and any(
                user.has_perm(f"{app_label}.{action}_{model._meta.model_name}")
                for action in MODEL_ACTIONS
            )
            for model in admin.site._registry if model._meta.app_label == app_label
        )
        check("app index", reverse("admin:app_list", args=[app_label]), 200 if visible else 404)

    found = set()
    for model, model_admin in admin.site._registry.items():
        obj = objects[model]
        for label, url in admin_pages(model_admin, obj):
            check(label, url, expected(user, model_admin, label, obj, superuser) if user else None)
            if user and expected(user, model_admin, label, obj, superuser) == 403:
                # A forged form for a page one may not open is refused just the same.
                check(f"forged {label}", url, "refused", method="post")
        for name, url in extra_pages(model_admin, obj):
            found.add(name)
            page = EXTRA_PAGES.get(name)
            if page is None:
                wrong.append(f"{url} ({name}): an extra admin page not in EXTRA_PAGES; add it there with the "
                             f"permission it needs, so each role's answer is checked")
                continue
            url += page.query(obj, latest_version(obj)) if page.query else ""
            for method, (may, allowed) in [("get", page.get)] + ([("post", page.post)] if page.post else []):
                check(f"extra {name}", url, (allowed if may(user, obj) else 403) if user else None, method)
        obj.refresh_from_db()  # nothing forged above may have changed or deleted it

    for name in sorted(EXTRA_PAGES.keys() - found):
        wrong.append(f"{name}: in EXTRA_PAGES but no admin page has that name any more; remove it")

    assert not wrong, "\n".join(wrong)


# -- the table itself ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_role_groups_carry_exactly_the_permissions_of_the_role_table():
    for role in ROLES.values():
        wanted = set()
        for app_label, codenames in role["permissions"].items():
            found = Permission.objects.filter(content_type__app_label=app_label)
            if codenames != ALL:
                found = found.filter(codename__in=codenames)
                assert found.count() == len(codenames), f"{app_label}: {codenames}"
            wanted |= set(found)
        group = Group.objects.get(name=role["group"])
        assert set(group.permissions.all()) == wanted, f"{role['group']} differs from the table: add a migration"


@pytest.mark.django_db
def test_only_administrators_empty_the_trash_and_manage_accounts_and_read_the_audit_log():
    users = {role: make_user(role) for role in ROLES}
    editor, administrator = users[ROLE_EDITOR], users[ROLE_ADMINISTRATOR]

    assert editor.has_perm("articles.publish_article") and editor.has_perm("articles.edit_any_article")
    assert editor.has_perm("articles.delete_article") and editor.has_perm("articles.change_tag")
    for permission in ("articles.empty_trash", "auth.change_user", "auth.change_group", "articles.view_auditentry"):
        assert not editor.has_perm(permission)
        assert administrator.has_perm(permission)
    for role in (ROLE_WRITER, ROLE_PHOTOGRAPHER):
        assert not users[role].has_perm("articles.publish_article")
        assert not users[role].has_perm("articles.delete_article")
    assert not users[ROLE_PHOTOGRAPHER].has_perm("articles.view_article")


@pytest.mark.django_db
def test_assign_role_replaces_the_role_keeps_other_groups_and_is_recorded():
    desk = Group.objects.create(name="مكتب دمشق")
    user = make_user(ROLE_WRITER)
    user.groups.add(desk)
    administrator = make_user(ROLE_ADMINISTRATOR)

    assign_role(user, ROLE_EDITOR, by=administrator)

    assert user_role(user) == ROLE_EDITOR
    assert set(user.groups.values_list("name", flat=True)) == {"مكتب دمشق", ROLES[ROLE_EDITOR]["group"]}
    assert user.has_perm("articles.publish_article")
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.ROLES_CHANGED, target_id=str(user.pk)).first()
    assert entry.actor == administrator
    assert entry.detail == f"{ROLES[ROLE_WRITER]['group']} → {ROLES[ROLE_EDITOR]['group']}"


@pytest.mark.django_db
def test_only_an_administrator_may_assign_roles():
    writer, editor = make_user(ROLE_WRITER), make_user(ROLE_EDITOR)

    with pytest.raises(PermissionDenied):
        assign_role(writer, ROLE_EDITOR, by=editor)

    assert user_role(writer) == ROLE_WRITER


# -- forged requests ----------------------------------------------------------------------------------------------


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def logged_in(client, role):
    user = make_user(role)
    client.force_login(user)
    return user


def error_messages(response):
    return [str(message) for message in response.context["messages"] if message.level_tag == "error"]


@pytest.mark.django_db
def test_writer_posting_the_publish_button_on_their_own_draft_saves_but_does_not_publish(client):
    writer = logged_in(client, ROLE_WRITER)
    draft = make_article(created_by=writer)

    data = admin_form_data(client, change_url(draft), headline_ar="عنوان معدّل", _publish="نشر")
    response = client.post(change_url(draft), data, follow=True)

    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert draft.headline_ar == "عنوان معدّل"
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.PUBLISHED).exists()
    reason = gettext("publishing, scheduling and unpublishing are for editors.")
    assert any(reason in message for message in error_messages(response)), error_messages(response)


@pytest.mark.django_db
def test_an_article_a_writer_adds_is_theirs_to_go_on_editing(client):
    writer = logged_in(client, ROLE_WRITER)
    add_url = reverse("admin:articles_article_add")

    response = client.post(add_url, admin_form_data(client, add_url, headline_ar="خبر جديد من الكاتب"))

    assert response.status_code == 302
    article = Article.objects.get(headline_ar="خبر جديد من الكاتب")
    assert (article.created_by, article.status) == (writer, Article.Status.DRAFT)
    assert b'name="_save"' in client.get(change_url(article)).content


@pytest.mark.django_db
def test_writer_does_not_see_the_publish_button_and_cannot_set_publication_fields(client):
    writer = logged_in(client, ROLE_WRITER)
    draft = make_article(created_by=writer)

    page = client.get(change_url(draft))
    data = admin_form_data(
        client, change_url(draft), is_top_story="on", published_at_0="2030-01-01", published_at_1="10:00:00",
    )
    client.post(change_url(draft), data)

    assert b'name="_publish"' not in page.content and b'name="_unpublish"' not in page.content
    assert b'name="_submit_for_review"' in page.content
    draft.refresh_from_db()
    assert not draft.is_top_story and draft.published_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "action", ["publish_selected", "unpublish_selected", "delete_selected", "move_to_trash_selected"]
)
def test_writer_forging_a_bulk_action_changes_nothing(client, action):
    writer = logged_in(client, ROLE_WRITER)
    draft = make_article(created_by=writer)
    published = make_article(published=True)

    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": action, "_selected_action": [draft.pk, published.pk], "post": "yes"}, follow=True,
    )

    assert response.status_code == 200
    assert dict(Article.objects.values_list("pk", "status")) == {
        draft.pk: Article.Status.DRAFT, published.pk: Article.Status.PUBLISHED,
    }
    assert not Article.objects.in_trash().exists()


@pytest.mark.django_db
def test_writer_sending_another_writers_draft_for_review_is_refused_with_a_message(client):
    logged_in(client, ROLE_WRITER)
    theirs = make_article(created_by=make_user(ROLE_WRITER))

    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "submit_selected", "_selected_action": [theirs.pk]}, follow=True,
    )

    theirs.refresh_from_db()
    assert theirs.status == Article.Status.DRAFT
    assert error_messages(response)


@pytest.mark.django_db
def test_writer_reads_another_writers_article_but_cannot_change_it(client):
    logged_in(client, ROLE_WRITER)
    theirs = make_article("خبر زميل", created_by=make_user(ROLE_WRITER))

    page = client.get(change_url(theirs))
    forged = client.post(change_url(theirs), {"headline_ar": "عنوان مزور"})

    assert page.status_code == 200
    assert b'name="_save"' not in page.content and b'name="_publish"' not in page.content
    assert forged.status_code == 403
    theirs.refresh_from_db()
    assert theirs.headline_ar == "خبر زميل"


@pytest.mark.django_db
def test_a_story_opened_read_only_shows_its_body_as_it_reads_and_every_label_in_arabic(client):
    logged_in(client, ROLE_WRITER)
    theirs = make_article(
        "خبر زميل", created_by=make_user(ROLE_WRITER),
        body_ar="<p>قال المزارعون إن <strong>المطر</strong> جاء.</p><script>alert(1)</script>",
        lead_photo=make_photo(credit="عدسة سامر", alt_text="مزارع بين الأشجار"),
    )

    page = client.get(change_url(theirs)).text

    assert "<strong>المطر</strong>" in page and "&lt;strong&gt;" not in page and "alert(1)" not in page
    assert "عدسة سامر" in page and "مزارع بين الأشجار" in page
    # Not Django's fallback for a field it cannot find on the model: its name, in English.
    for english in ("New tags", "Lead photo credit", "Lead photo alt text"):
        assert english not in page


@pytest.mark.django_db
def test_writer_cannot_change_their_own_article_once_it_is_published(client):
    writer = logged_in(client, ROLE_WRITER)
    article = make_article("خبر منشور", created_by=writer, published=True)

    page = client.get(change_url(article))
    forged = client.post(change_url(article), {"headline_ar": "عنوان مزور", "_unpublish": "x"})

    assert b'name="_save"' not in page.content
    assert forged.status_code == 403
    article.refresh_from_db()
    assert (article.headline_ar, article.status) == ("خبر منشور", Article.Status.PUBLISHED)


@pytest.mark.django_db
def test_writer_cannot_delete_an_article(client):
    writer = logged_in(client, ROLE_WRITER)
    draft = make_article(created_by=writer)
    delete_url = reverse("admin:articles_article_delete", args=[draft.pk])

    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    draft.refresh_from_db()
    assert draft.deleted_at is None


@pytest.mark.django_db
def test_photographer_cannot_open_or_change_an_article(client):
    logged_in(client, ROLE_PHOTOGRAPHER)
    article = make_article("خبر")

    assert client.get(change_url(article)).status_code == 403
    assert client.post(change_url(article), {"headline_ar": "عنوان مزور"}).status_code == 403
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 403
    article.refresh_from_db()
    assert article.headline_ar == "خبر"


@pytest.mark.django_db
def test_photographer_manages_the_photo_library(client):
    logged_in(client, ROLE_PHOTOGRAPHER)
    photo = make_photo()

    data = admin_form_data(client, change_url(photo), credit_ar="عدسة جديدة")
    response = client.post(change_url(photo), data)

    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.credit_ar == "عدسة جديدة"


@pytest.mark.django_db
def test_writer_cannot_edit_a_user(client):
    logged_in(client, ROLE_WRITER)
    editor = make_user(ROLE_EDITOR)

    assert client.get(change_url(editor)).status_code == 403
    assert client.post(change_url(editor), {"username": editor.username, "is_superuser": "on"}).status_code == 403
    editor.refresh_from_db()
    assert not editor.is_superuser


# -- what editors may do ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_editor_sees_the_publish_button_and_publishes_another_writers_draft(client):
    logged_in(client, ROLE_EDITOR)
    draft = make_article(created_by=make_user(ROLE_WRITER))

    page = client.get(change_url(draft))
    response = client.post(change_url(draft), admin_form_data(client, change_url(draft), _publish="نشر"))

    assert b'name="_publish"' in page.content
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED


@pytest.mark.django_db
def test_editor_schedules_by_publishing_with_a_future_time(client):
    logged_in(client, ROLE_EDITOR)
    draft = make_article()
    when = timezone.localtime() + timezone.timedelta(days=2)

    data = admin_form_data(
        client, change_url(draft), published_at_0=when.strftime("%Y-%m-%d"), published_at_1="09:30:00",
        _publish="نشر",
    )
    client.post(change_url(draft), data)

    draft.refresh_from_db()
    assert draft.status == Article.Status.SCHEDULED
    assert timezone.localtime(draft.published_at).strftime("%Y-%m-%d %H:%M") == when.strftime("%Y-%m-%d") + " 09:30"


@pytest.mark.django_db
def test_editor_unpublishes_with_the_button(client):
    logged_in(client, ROLE_EDITOR)
    article = make_article(published=True)

    page = client.get(change_url(article))
    client.post(change_url(article), admin_form_data(client, change_url(article), _unpublish="x"))

    assert b'name="_unpublish"' in page.content and b'name="_publish"' not in page.content
    article.refresh_from_db()
    assert article.status == Article.Status.UNPUBLISHED


@pytest.mark.django_db
def test_bulk_actions_offered_follow_the_role(client):
    offered = {}
    for role in (ROLE_WRITER, ROLE_EDITOR):
        logged_in(client, role)
        changelist = client.get(reverse("admin:articles_article_changelist"))
        offered[role] = {value for value, _label in changelist.context["action_form"].fields["action"].choices}

    assert "publish_selected" not in offered[ROLE_WRITER] and "unpublish_selected" not in offered[ROLE_WRITER]
    assert "submit_selected" in offered[ROLE_WRITER]
    assert {"publish_selected", "unpublish_selected"} <= offered[ROLE_EDITOR]
    assert "delete_selected" not in offered[ROLE_EDITOR]  # it would delete for good; articles go to the trash


@pytest.mark.django_db
def test_tags_stay_readable_to_writers_and_managed_by_editors(client):
    tag = Tag.objects.create(name="اقتصاد")
    logged_in(client, ROLE_WRITER)
    assert b'name="_save"' not in client.get(change_url(tag)).content
    logged_in(client, ROLE_EDITOR)
    assert b'name="_save"' in client.get(change_url(tag)).content


@pytest.mark.django_db
def test_who_wrote_changed_or_uploaded_is_a_name_not_a_link_to_an_account_page_editors_cannot_open(client):
    logged_in(client, ROLE_EDITOR)
    author = make_user(ROLE_WRITER, username="rima", first_name="ريم", last_name="الحلبي")
    story = make_article("خبر", created_by=author, lead_photo=make_photo(uploaded_by=author))

    for url in (change_url(story), f"/admin/articles/photo/{story.lead_photo_id}/change/"):
        page = client.get(url).text
        assert "ريم الحلبي" in page
        # Django's own display links to /admin/auth/user/<id>/change/, which answers an editor with 403.
        assert f"/admin/auth/user/{author.pk}/change/" not in page
        assert client.get(f"/admin/auth/user/{author.pk}/change/").status_code == 403
    # A story not yet saved was written by nobody, not by «the system».
    assert "النظام" not in client.get("/admin/articles/article/add/").text
