"""Several people on one story: edit conflicts (a save from a form opened at an older version is refused and
explained, never a silent overwrite), who else has the story open, and autosaved drafts. The admin classes of
articles/admin.py and articles/photo_admin.py use these; revisions themselves live in articles/history.py."""

import re
import secrets
import time

import reversion
from django import forms
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote, unquote
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed, JsonResponse, QueryDict
from django.urls import path, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from .history import (
    ARTICLE_SHOWN,
    HTML,
    MANY,
    ONE,
    PHOTO_SHOWN,
    TEXT,
    YES_NO,
    RevisionHistoryAdmin,
    article_restore,
    article_state,
    article_state_in,
    body_text,
    compare,
    keep_first_revision,
    local_time,
    person_name,
    photo_state,
    photo_state_in,
)
from .models import Article, ArticleAuthor, ArticleAutosave
from .text import clean_body_html, whole_number

# Edit conflicts.

OPENED_VERSION = "opened_version"


def edit_conflict(article, opened_version):
    """What happened to ``article`` since a form was opened at ``opened_version``: who saved it last and when,
    and field by field what changed (None when no revision of that version is kept)."""
    later, opened = [], None
    # Newest first; each saved version is one step, so the one opened is rarely far back.
    for version in Version.objects.get_for_object(article).select_related("revision__user")[:100]:
        number = version.field_dict.get("version")
        if number is None or number > opened_version:
            later.append(version)
            continue
        if number == opened_version:
            opened = version
        break
    latest = later[0].revision if later and later[0].field_dict.get("version") == article.version else None
    # A save outside the admin (publish_scheduled, an importer) leaves no revision: the row says who and when.
    who, when = (latest.user, latest.date_created) if latest else (article.updated_by, article.updated_at)
    return {
        "who": person_name(who),
        "when": when,
        "opened_state": article_state_in(opened) if opened else None,
        "changes": compare(article_state_in(opened), article_state(article), ARTICLE_SHOWN) if opened else None,
    }


def photo_edit_conflict(photo, opened_revision):
    """What happened to ``photo`` since its form was opened at revision ``opened_revision``: who saved it last and
    when, and field by field what changed (None when the photo had no revision then, or it is no longer kept)."""
    versions = Version.objects.get_for_object(photo).select_related("revision__user")
    latest = versions.first()
    opened = versions.filter(revision_id=opened_revision).first() if opened_revision else None
    return {
        "who": person_name(latest.revision.user) if latest else "",
        "when": latest.revision.date_created if latest else None,
        "changes": compare(photo_state_in(opened), photo_state(photo), PHOTO_SHOWN) if opened else None,
    }


def _comparable(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, (list, tuple)) or hasattr(value, "model"):  # a list or a queryset of choices
        return sorted(_comparable(item) for item in value)
    return value if value not in (None, "") else None


_TAKEABLE = {TEXT, HTML, ONE, MANY, YES_NO}

_BYLINE_ROW = re.compile(r"^[\w-]+-\d+-")
_BYLINE_FIELDS = ("id", "person", "order", "DELETE")


def _posted_bylines(data, prefix):
    try:
        total = max(0, min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), 1000))
    except (TypeError, ValueError):
        total = 0
    return [{name: data.get(f"{prefix}-{i}-{name}", "") or "" for name in _BYLINE_FIELDS} for i in range(total)]


def _byline_people(rows):
    def place(item):
        index, row = item
        return (whole_number(row["order"]) or 0, index)

    kept = [(i, row) for i, row in enumerate(rows) if row["person"] and not row["DELETE"]]
    return [row["person"] for _i, row in sorted(kept, key=place)]


def bylines_after_conflict(data, prefix, article, opened_authors):
    """A refused save's byline inline, made fit to be saved again.

    Bylines the person left as they opened them come back as they are saved now; bylines they changed stay as
    typed, except that rows deleted meanwhile are dropped (or kept as new rows if still wanted), since an id that
    no longer exists can never be saved. Returns the new data and whether the bylines had been left alone.
    """
    rows = _posted_bylines(data, prefix)
    current = list(ArticleAuthor.objects.filter(article=article).order_by("order", "pk"))
    untouched = opened_authors is not None and _byline_people(rows) == [str(pk) for pk in opened_authors]
    if untouched:
        live = [{"id": str(b.pk), "person": str(b.person_id), "order": str(b.order), "DELETE": ""} for b in current]
        added = []
    else:
        ids = {str(b.pk) for b in current}
        live = [row for row in rows if row["id"] in ids]
        # A byline still saved under a row this form does not carry stays saved: adding it again would clash.
        posted = {row["id"] for row in live}
        taken = {str(b.person_id) for b in current if str(b.pk) not in posted}
        added = [
            {**row, "id": ""} for row in rows
            if row["id"] not in ids and row["person"] and not row["DELETE"] and row["person"] not in taken
        ]
    fresh = data.copy()
    for key in [key for key in fresh if key.startswith(f"{prefix}-") and _BYLINE_ROW.match(key)]:
        del fresh[key]
    for index, row in enumerate(live + added):
        for name in _BYLINE_FIELDS:
            if row[name]:
                fresh[f"{prefix}-{index}-{name}"] = row[name]
        fresh[f"{prefix}-{index}-article"] = str(article.pk)
    fresh[f"{prefix}-TOTAL_FORMS"] = str(len(live) + len(added))
    fresh[f"{prefix}-INITIAL_FORMS"] = str(len(live))
    return fresh, untouched


def posted_draft(request, article):
    """The article form's fields as posted, and the version it was opened at, ready to keep as a draft copy.

    A forged or missing version counts as the article as it stands (0 for a new article).
    """
    # Without NUL characters: PostgreSQL's jsonb cannot hold one, and no text needs one (the form refuses them on
    # save with an error, so the draft keeps everything that can be saved).
    data = {
        name.replace("\x00", ""): [value.replace("\x00", "") for value in request.POST.getlist(name)]
        for name in request.POST
        if name not in _NOT_DRAFT and not name.startswith("_")
    }
    try:
        base = int(request.POST.get(OPENED_VERSION, ""))
    except ValueError:
        base = -1
    if not 0 <= base < 2**31:
        base = article.version if article else 0
    return data, base


def autosaved_form_data(autosave):
    """An autosaved copy's fields as the form would have posted them."""
    data = QueryDict(mutable=True)
    for name, values in autosave.data.items():
        data.setlist(name, values if isinstance(values, list) else [values])
    return data


class VersionCheckedFormMixin:
    """ArticleAdminForm's edit-conflict check.

    The form carries the version of the article it was opened at. If the article has been saved since, the save
    is refused: the form comes back with the typed text, every field this person had left alone updated to the
    other person's value, and a list of what the other person changed. It then carries the current version, so
    saving again, having seen that, goes through.
    """

    # Set by ArticleHistoryMixin.get_form on a form class that should open with an autosaved draft.
    restored_autosave = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        self.version_missing = False
        self.fields[OPENED_VERSION] = forms.IntegerField(
            required=False, min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput
        )
        opened = self.restored_autosave.base_version if self.restored_autosave else self.instance.version
        self.initial[OPENED_VERSION] = opened

    def get_initial_for_field(self, field, field_name):
        # Read when the form is drawn, after every __init__ in the chain has set its own initial values.
        if self.restored_autosave and field_name != OPENED_VERSION:
            restored = self._autosaved_values()
            if field_name in restored:
                return restored[field_name]
        return super().get_initial_for_field(field, field_name)

    def _autosaved_values(self):
        if not hasattr(self, "_autosaved"):
            data = autosaved_form_data(self.restored_autosave)
            self._autosaved = {}
            for name, field in self.fields.items():
                value = field.widget.value_from_datadict(data, MultiValueDict(), self.add_prefix(name))
                try:
                    self._autosaved[name] = field.clean(value)
                except ValidationError:
                    self._autosaved[name] = value  # shown as typed; the save will say what is wrong with it
        return self._autosaved

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get(OPENED_VERSION)
        if self.instance.pk and opened is None:
            # A form without the version it was opened at (forged, or older than this check) cannot show a
            # conflict, so it must not be allowed to overwrite: the text stays in the form, to be saved again.
            self.add_error(None, ValidationError(
                _("This form did not say which version of the article it was opened at, so it was not saved. "
                  "Your text is still in the form: check the article's history, then save again."),
                code="edit_conflict",
            ))
            self.data = self.data.copy()
            self.data[self.add_prefix(OPENED_VERSION)] = str(self.instance.version)
            self.version_missing = True
            return cleaned
        # self.instance is the row as the admin loaded it for this save: locked until the save commits.
        if self.instance.pk and opened != self.instance.version:
            self.conflict = edit_conflict(self.instance, opened)
            self.add_error(None, ValidationError(
                _("This article was saved after you opened it (last by %(who)s, at %(when)s), so your changes were "
                  "not saved yet. Nothing is lost: your text is still in the form. Check what changed, listed at the "
                  "top (fields you had not touched now show the saved version), then save again.")
                % {"who": self.conflict["who"], "when": local_time(self.conflict["when"])},
                code="edit_conflict",
            ))
            self.data = self.data.copy()
            self.data[self.add_prefix(OPENED_VERSION)] = str(self.instance.version)
            if self.conflict["changes"]:
                self._take_their_changes_where_untouched()
        return cleaned

    def _take_their_changes_where_untouched(self):
        opened, now = self.conflict["opened_state"], article_state(self.instance)
        for row in self.conflict["changes"]:
            name = row["name"]
            # Dates are split over two inputs and bylines are an inline: those stay as typed.
            row["in_form"] = "yours" if name in self.cleaned_data and row["kind"] in _TAKEABLE else ""
            if not row["in_form"]:
                continue
            mine, was = self.cleaned_data[name], opened.get(name)
            if name.startswith("body_"):
                mine, was = clean_body_html(mine or ""), clean_body_html(was or "")
            if _comparable(mine) != _comparable(was):
                continue
            put_in_form(self, name, now.get(name))
            row["in_form"] = "theirs"


def put_in_form(form, name, value, *, as_shown=False):
    """Sets field ``name`` of a bound form to ``value`` (a column's value) as a browser would have posted it, so
    the form drawn again shows it and saving it again keeps it; with ``as_shown``, the value the field's hidden
    twin says was shown (a field with show_hidden_initial), against which the next save measures a change."""
    key = form.add_initial_prefix(name) if as_shown else form.add_prefix(name)
    if isinstance(value, list):
        form.data.setlist(key, [str(pk) for pk in value])
    elif value is True:
        form.data[key] = "on"
    elif value is False:
        form.data.pop(key, None)
    else:
        form.data[key] = "" if value is None else str(value)


# A photo's words that a refused save hands back as the other person saved them, where this person left them as
# they were shown (the time taken, over two inputs, stays as typed).
PHOTO_TAKEABLE = [item.name for item in PHOTO_SHOWN if item.kind in {TEXT, ONE, YES_NO}]


# Presence: who has an article's form open. Advisory, so the cache is enough (a shared one in production).

PRESENCE_SECONDS = 120


def _presence_key(article_id):
    return f"newsroom:article-editors:{article_id}"


def editors_present(article_id, user):
    """Note that ``user`` has the article open; return the others seen in the last two minutes."""
    cache, now = caches["default"], time.time()
    seen = {pk: at for pk, at in (cache.get(_presence_key(article_id)) or {}).items() if now - at < PRESENCE_SECONDS}
    seen[user.pk] = now
    cache.set(_presence_key(article_id), seen, PRESENCE_SECONDS * 2)
    others = [pk for pk in seen if pk != user.pk]
    return list(get_user_model().objects.filter(pk__in=others).order_by("pk")) if others else []


def presence_notice(others):
    if not others:
        return ""
    names = "، ".join(person_name(user) for user in others)
    return ngettext(
        "This article is also open for %(names)s. Whoever saves later is shown the earlier save's changes first.",
        "This article is also open for %(names)s. Whoever saves later is shown the earlier saves' changes first.",
        len(others),
    ) % {"names": names}


# Autosave.

AUTOSAVE_MAX_BYTES = 2 * 1024 * 1024
# Each add form gets its own key, drawn by the server, so two tabs of new articles keep two drafts.
DRAFT_KEY = "draft_key"
_DRAFT_KEY_RE = re.compile(r"[A-Za-z0-9_-]{8,32}")
# What a form post carries that is not the article: the token, the buttons, and the autosave's own words.
_NOT_DRAFT = {"csrfmiddlewaretoken", "ping", "discard", DRAFT_KEY}


def new_draft_key():
    return secrets.token_urlsafe(12)


def valid_draft_key(value):
    """The key as sent if it could be one of ours, else None (a forged or mangled key is never stored)."""
    return value if isinstance(value, str) and _DRAFT_KEY_RE.fullmatch(value) else None


def _opened_before(opened, article):
    """Whether a posted form was opened at an earlier version of ``article`` than the one saved now."""
    try:
        return 0 <= int(opened) < article.version
    except (TypeError, ValueError):
        return False


def _was_theirs_to_edit(user, article):
    """Whether ``user`` could edit ``article`` in some state of it (Article.may_edit without the state): an editor
    any story, a writer their own."""
    return user.has_perm("articles.edit_any_article") or (
        user.has_perm("articles.change_article") and article.created_by_id == user.pk
    )


def unsaved_copy_fields(autosave):
    """The texts of an autosaved copy as (label, text) pairs, bodies as the reader reads them."""
    shown = []
    for item in ARTICLE_SHOWN:
        if item.kind not in (TEXT, HTML):
            continue
        value = autosave.data.get(item.name)
        value = value[-1] if isinstance(value, list) and value else value
        if isinstance(value, str) and value.strip():
            shown.append((item.label, body_text(value) if item.kind == HTML else value))
    return shown


class ArticleHistoryMixin(RevisionHistoryAdmin):
    """ArticleAdmin's history: revisions, compare, restore, edit conflicts, autosave and presence."""

    shown = ARTICLE_SHOWN
    restore_note = _("Restoring brings back this version's text, section, photo, bylines, tags and related "
                     "articles as a new version. The status and publication time stay as they are now.")

    class Media:
        css = {"all": ["css/history.css"]}
        js = ["js/autosave.js"]

    def object_state(self, obj):
        return article_state(obj)

    def version_state(self, version):
        return article_state_in(version)

    def may_restore(self, request, obj):
        return super().may_restore(request, obj) and obj.may_edit(request.user)

    def restore(self, request, obj, version):
        article_restore(article=obj, version=version, by=request.user)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("autosave/", view(self.autosave_view), name="articles_article_autosave_new"),
            path("<path:object_id>/autosave/", view(self.autosave_view), name="articles_article_autosave"),
            *super().get_urls(),
        ]

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST" and transaction.get_connection().in_atomic_block:
            # The save's own transaction: lock the row and read its version afresh, so the form's conflict check
            # and the save that follows are one step. A second save waits here and then sees the first one's
            # version. (SQLite's IMMEDIATE transactions already serialise writers.)
            obj = self.model._default_manager.select_for_update().get(pk=obj.pk)
        return obj

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = {}
        if request.method == "POST":
            article = self.get_object(request, unquote(object_id))
            if (
                article is not None and self.has_view_permission(request, article)
                and not self.has_change_permission(request, article)
                and _opened_before(request.POST.get(OPENED_VERSION), article)
                and _was_theirs_to_edit(request.user, article)
            ):
                # It stopped being editable while this person typed (published, trashed): the save is refused,
                # but a bare 403 would lose the text. Keep it as their autosaved copy and show the article
                # read-only, saying why, with that copy beside it. A post from a form opened at the current
                # version (or without one), or to a colleague's story a writer could never edit, is forged, and
                # stays a plain 403.
                kept = self._keep_refused_post(request, article)
                context["history_not_saved"] = self._not_saved_reason(article, kept)
                request.method = "GET"
        if request.method == "GET":
            article = self.get_object(request, unquote(object_id))
            if article is not None and self.has_view_or_change_permission(request, article):
                keep_first_revision(article, by=article.updated_by or article.created_by, at=article.updated_at)
                if article.lead_photo_id:
                    # The form compares the lead photo's words with this revision (opened_photo_revision).
                    photo = article.lead_photo
                    keep_first_revision(photo, by=photo.uploaded_by, at=photo.uploaded_at)
                context.update(self._notices(request, article))
        return super().change_view(request, object_id, form_url, {**context, **(extra_context or {})})

    def add_view(self, request, form_url="", extra_context=None):
        context = self._notices(request, None) if request.method == "GET" else {}
        return super().add_view(request, form_url, {**context, **(extra_context or {})})

    @staticmethod
    def _keep_refused_post(request, article):
        """Keep the refused text as the person's copy; False when it is more than an autosave holds."""
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > AUTOSAVE_MAX_BYTES:
            return False
        data, base = posted_draft(request, article)
        ArticleAutosave.objects.update_or_create(
            article=article, user=request.user, draft_key="", defaults={"data": data, "base_version": base},
        )
        return True

    @staticmethod
    def _not_saved_reason(article, kept):
        # Never "kept below" when it was not: the person would leave the page and lose the text.
        if article.deleted_at is not None:
            if not kept:
                return gettext("Your changes were not saved: this article was moved to the trash while you were "
                               "editing it. Your text is too long to keep as a copy here: go back in your browser "
                               "and copy it before you leave.")
            return gettext("Your changes were not saved: this article was moved to the trash while you were "
                           "editing it. Your text is kept below as your unsaved copy.")
        if not kept:
            return gettext("Your changes were not saved: this article is now “%(status)s” and you may no longer "
                           "edit it. Your text is too long to keep as a copy here: go back in your browser, copy "
                           "it and ask an editor to apply it.") % {"status": article.get_status_display()}
        return gettext("Your changes were not saved: this article is now “%(status)s” and you may no longer edit "
                       "it. Your text is kept below as your unsaved copy; ask an editor to apply it.") % {
            "status": article.get_status_display(),
        }

    def _notices(self, request, article):
        editing = self.has_change_permission(request, article) if article else self.has_add_permission(request)
        context = {}
        if article is not None and editing:
            context["history_presence"] = presence_notice(editors_present(article.pk, request.user))
        if article is not None and not editing:
            # Someone who may only read the article now (it was published or trashed as they typed) still sees
            # their own unsaved copy, read-only, so no word of it is lost.
            copy = ArticleAutosave.objects.filter(article=article, user=request.user, draft_key="").first()
            if copy is not None:
                context["history_unsaved_copy"] = copy
                context["history_unsaved_fields"] = unsaved_copy_fields(copy)
            return context
        autosave = None
        if editing and article is not None:
            autosave = ArticleAutosave.objects.filter(article=article, user=request.user, draft_key="").first()
        elif editing:
            # New articles: the latest unsaved draft of any tab, or the one asked for by its key.
            drafts = ArticleAutosave.objects.filter(article=None, user=request.user).order_by("-saved_at")
            context["history_autosave_drafts"] = drafts[:5]
            asked = valid_draft_key(request.GET.get("restore_autosave"))
            autosave = (drafts.filter(draft_key=asked).first() if asked else None) or drafts.first()
        # Saving deletes this person's draft copy, so one still here is work never saved: newer than the article's
        # last save, or typed against a version someone else has saved over since.
        if autosave and (
            article is None or autosave.saved_at > article.updated_at or autosave.base_version != article.version
        ):
            context["history_autosave"] = autosave
            context["history_autosave_stale"] = article is not None and autosave.base_version != article.version
            if request.GET.get("restore_autosave"):
                request._restored_autosave = autosave
                context["history_autosave_restored"] = True
        return context

    def _bylines_after_conflict(self, request, context, obj):
        """A refused save comes back with bylines that can be saved again (see bylines_after_conflict)."""
        form = getattr(context.get("adminform"), "form", None)
        conflict = getattr(form, "conflict", None)
        # A form that did not say its version is refused too, and no one knows what its bylines were opened as.
        if not (conflict or getattr(form, "version_missing", False)) or obj is None or obj.pk is None:
            return
        opened = ((conflict or {}).get("opened_state") or {}).get("authors")
        admin_formsets = context.get("inline_admin_formsets") or []
        for index, admin_formset in enumerate(admin_formsets):
            formset, inline = admin_formset.formset, admin_formset.opts
            if formset.model is not ArticleAuthor or not formset.is_bound:
                continue
            data, untouched = bylines_after_conflict(formset.data, formset.prefix, obj, opened)
            kwargs = {**self.get_formset_kwargs(request, obj, inline, formset.prefix), "data": data}
            admin_formsets[index] = self.get_inline_formsets(request, [type(formset)(**kwargs)], [inline], obj)[0]
            for row in (conflict or {}).get("changes") or []:
                if row["name"] == "authors":
                    row["in_form"] = "theirs" if untouched else "yours"
            context["errors"] = helpers.AdminErrorList(form, [each.formset for each in admin_formsets])

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        autosave = getattr(request, "_restored_autosave", None)
        if autosave is not None and request.method == "GET" and inline.model is ArticleAuthor:
            # The bylines come back as the copy had them, like its fields (get_form): restored without them, a
            # byline added or removed there was gone once the restored form was saved. Rows deleted since are
            # dropped as after an edit conflict, since an id that no longer exists can never be saved.
            data = autosaved_form_data(autosave)
            if f"{prefix}-TOTAL_FORMS" in data:
                kwargs["data"] = bylines_after_conflict(data, prefix, obj, None)[0] if obj.pk is not None else data
        return kwargs

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        autosave = getattr(request, "_restored_autosave", None)
        if autosave is not None:
            form = type(form.__name__, (form,), {"restored_autosave": autosave})
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        self._bylines_after_conflict(request, context, obj)
        editing = self.has_add_permission(request) if add else self.has_change_permission(request, obj)
        if editing and not context.get("is_popup") and add:
            # This form's own draft key: the restored draft's, the one it was posted with, or a fresh one.
            # static/js/autosave.js puts it in a hidden input, so autosaves and the save both carry it.
            restored = getattr(request, "_restored_autosave", None)
            key = (restored.draft_key if restored else None) or valid_draft_key(request.POST.get(DRAFT_KEY))
            params = {DRAFT_KEY: key or new_draft_key()}
            offered = context.get("history_autosave")
            if offered is not None and not restored and offered.draft_key:
                params["offered"] = offered.draft_key  # what "Restore" and "Discard" on this page are about
            context["history_autosave_url"] = f"{reverse('admin:articles_article_autosave_new')}?{urlencode(params)}"
        elif editing and not context.get("is_popup"):
            context["history_autosave_url"] = reverse("admin:articles_article_autosave", args=[quote(obj.pk)])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        request._status_before_save = obj.status if change else None
        super().save_model(request, obj, form, change)
        self.autosaved_copy_served(request, obj)
        if not change:
            # Only this tab's draft: other new articles being written in other tabs keep theirs.
            key = valid_draft_key(request.POST.get(DRAFT_KEY)) or ""
            ArticleAutosave.objects.filter(article=None, user=request.user, draft_key=key).delete()

    @staticmethod
    def autosaved_copy_served(request, article):
        """After a save of the story's form, or one that had nothing to write: this person's autosaved copy was of
        the form just posted, and has served its purpose."""
        ArticleAutosave.objects.filter(article=article, user=request.user).delete()

    # The revision's comment is the admin's change message, plus any change of status the buttons made.

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._comment_status(request, obj, Article.Status.DRAFT)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._comment_status(request, obj, getattr(request, "_status_before_save", None))
        return entry

    @staticmethod
    def _comment_status(request, article, before):
        if before and before != article.status and reversion.is_active():
            labels = dict(Article.Status.choices)
            status = gettext("Status: %(old)s → %(new)s.") % {"old": labels[before], "new": labels[article.status]}
            reversion.set_comment(" ".join(part for part in [reversion.get_comment(), status] if part))

    def response_action(self, request, queryset, *args, **kwargs):
        response = super().response_action(request, queryset, *args, **kwargs)
        if reversion.is_active() and not reversion.get_comment():
            # The list has an action menu above and below it; "index" says which one was used.
            names, index = request.POST.getlist("action"), request.POST.get("index", "0")
            position = whole_number(index, below=len(names))
            name = names[position] if position is not None else ""
            action = self.get_actions(request).get(name)
            if action is not None:
                description = getattr(action, "description", None) or action[2]
                reversion.set_comment(gettext("From the article list: %(action)s") % {"action": description})
        return response

    def autosave_view(self, request, object_id=None):
        """Keep the form as typed, for this person only; never touches the article, so its version is unchanged
        and nothing is published. The same request tells who else has the article open."""
        article = None
        if object_id is not None:
            article = self.get_object(request, unquote(object_id))
            if article is None:
                raise Http404
            if not (self.has_change_permission(request, article) and article.may_edit(request.user)):
                raise PermissionDenied
        elif not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > AUTOSAVE_MAX_BYTES:
            return HttpResponse(gettext("Too much to autosave."), status=413)
        key = ""
        if article is None:
            key = valid_draft_key(request.POST.get(DRAFT_KEY) or request.GET.get(DRAFT_KEY))
            if key is None:
                return HttpResponseBadRequest(gettext("This form has no valid draft key; reload it to autosave."))
        mine = ArticleAutosave.objects.filter(article=article, user=request.user, draft_key=key)
        answer = {"saved": False, "status": "", "presence": ""}
        if article is not None:
            answer["presence"] = presence_notice(editors_present(article.pk, request.user))
        if "discard" in request.POST:
            # A new article's page may offer another tab's draft: the discard names it by its key.
            other = valid_draft_key(request.POST["discard"]) if article is None else None
            if other:
                mine = ArticleAutosave.objects.filter(article=None, user=request.user, draft_key=other)
            mine.delete()
            return JsonResponse(answer)
        if "ping" not in request.POST:
            data, base = posted_draft(request, article)
            autosave, _created = ArticleAutosave.objects.update_or_create(
                article=article, user=request.user, draft_key=key, defaults={"data": data, "base_version": base},
            )
            answer["saved"] = True
            answer["status"] = gettext("Draft autosaved at %(time)s.") % {
                "time": date_format(timezone.localtime(autosave.saved_at), "TIME_FORMAT")
            }
        return JsonResponse(answer)
