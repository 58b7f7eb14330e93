"""Revisions, comparisons, restores, edit conflicts, presence and autosave for articles and photos.

django-reversion keeps the revisions: each save through the admin stores the article with its bylines and tags
(or a photo's caption, credit and alt text) as one revision, with who saved it and a comment.
"""

import datetime
import difflib
import html
import re
import secrets
import time
from collections import namedtuple
from contextlib import contextmanager

import reversion
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote, unquote
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.formats import date_format
from django.utils.html import escape, format_html, strip_tags
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from reversion.models import Version

from .audit import AuditEntry
from .models import Article, ArticleAuthor, ArticleAutosave, Person, Photo, Section, Tag, TaggedArticle
from .text import clean_body_html, whole_number

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _per_language(*names):
    return [f"{name}_{code}" for name in names for code in LANGUAGES]


# What a revision stores. Only the per-language columns of translated fields: the untranslated original is
# modeltranslation's window onto the active language, so storing it would store one language twice, and
# restoring it would write into whichever language happened to be active.
ARTICLE_STORED = [
    *_per_language("headline", "slug", "summary", "body", "lead_photo_caption", "text_changed_at"),
    "section", "lead_photo", "is_top_story", "status", "published_at", "version", "related_articles",
    "deleted_at", "deleted_by", "created_at", "updated_at", "created_by", "updated_by",
]
PHOTO_STORED = [
    *_per_language("caption", "credit", "alt_text"),
    "credit_person", "is_sensitive", "creator", "copyright_notice", "taken_at",
]

# Bylines and tags are rows of their own: following them makes a revision hold the whole story.
reversion.register(ArticleAuthor, fields=["article", "person", "order"])
reversion.register(TaggedArticle, fields=["content_object", "tag"])
reversion.register(Article, fields=ARTICLE_STORED, follow=["articleauthor_set", "taggedarticle_set"])
reversion.register(Photo, fields=PHOTO_STORED)


@contextmanager
def revision(user, comment=""):
    """Keep what is saved inside as one revision signed by ``user`` (None: the system), e.g. around a transition
    run outside the admin's change form. Atomic: nothing is kept if the block fails."""
    with reversion.create_revision():
        reversion.set_user(user if getattr(user, "pk", None) else None)
        reversion.set_comment(str(comment))
        yield


def person_name(user):
    if user is None:
        return gettext("the system")
    return user.get_full_name() or user.get_username()


def _when(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else "—"


# What the comparison shows, field by field, and how each kind of value reads.

Shown = namedtuple("Shown", "name label kind model", defaults=(None,))
TEXT, HTML, ONE, MANY, IN_ORDER, YES_NO, CHOICE, MOMENT = "text", "html", "one", "many", "order", "bool", "choice", "at"


def _translated(model, kind, *names):
    shown = []
    for name in names:
        label = model._meta.get_field(name).verbose_name
        shown += [
            Shown(f"{name}_{code}", format_lazy("{} ({})", label, language), kind)
            for code, language in settings.LANGUAGES
        ]
    return shown


def _label(model, name):
    return model._meta.get_field(name).verbose_name


ARTICLE_SHOWN = [
    *_translated(Article, TEXT, "headline", "summary"),
    *_translated(Article, HTML, "body"),
    Shown("section", _label(Article, "section"), ONE, Section),
    Shown("authors", _("bylines"), IN_ORDER, Person),
    Shown("tags", _label(Article, "tags"), MANY, Tag),
    Shown("lead_photo", _label(Article, "lead_photo"), ONE, Photo),
    *_translated(Article, TEXT, "lead_photo_caption", "slug"),
    Shown("related_articles", _label(Article, "related_articles"), MANY, Article),
    Shown("is_top_story", _label(Article, "is_top_story"), YES_NO),
    Shown("status", _label(Article, "status"), CHOICE, Article),
    Shown("published_at", _label(Article, "published_at"), MOMENT),
]
PHOTO_SHOWN = [
    *_translated(Photo, TEXT, "caption", "credit", "alt_text"),
    Shown("credit_person", _label(Photo, "credit_person"), ONE, Person),
    Shown("is_sensitive", _label(Photo, "is_sensitive"), YES_NO),
    Shown("creator", _label(Photo, "creator"), TEXT),
    Shown("copyright_notice", _label(Photo, "copyright_notice"), TEXT),
    Shown("taken_at", _label(Photo, "taken_at"), MOMENT),
]
# Columns of the article row itself; bylines, tags and related articles are read separately.
ARTICLE_COLUMNS = [item.name for item in ARTICLE_SHOWN if item.name not in {"authors", "tags", "related_articles"}]


def article_state(article):
    """The article as a revision would hold it, read from the database as it is now."""
    state = {name: getattr(article, Article._meta.get_field(name).attname) for name in ARTICLE_COLUMNS}
    state["related_articles"] = sorted(article.related_articles.values_list("pk", flat=True))
    state["authors"] = list(
        ArticleAuthor.objects.filter(article=article).order_by("order", "pk").values_list("person_id", flat=True)
    )
    state["tags"] = sorted(TaggedArticle.objects.filter(content_object=article).values_list("tag_id", flat=True))
    return state


def article_state_in(version):
    """The article as ``version`` holds it, with the bylines and tags saved in the same revision."""
    fields = version.field_dict
    state = {name: fields.get(Article._meta.get_field(name).attname) for name in ARTICLE_COLUMNS}
    state["related_articles"] = sorted(fields.get("related_articles") or [])
    article_id = int(version.object_id)
    bylines, tags = [], []
    types = ContentType.objects.get_for_models(ArticleAuthor, TaggedArticle)
    for row in version.revision.version_set.filter(content_type__in=types.values()):
        values = row.field_dict
        if row.content_type_id == types[ArticleAuthor].pk and values["article_id"] == article_id:
            bylines.append((values["order"], int(row.object_id), values["person_id"]))
        elif row.content_type_id == types[TaggedArticle].pk and values["content_object_id"] == article_id:
            tags.append(values["tag_id"])
    state["authors"] = [person for _order, _pk, person in sorted(bylines)]
    state["tags"] = sorted(tags)
    return state


def photo_state(photo):
    return {item.name: getattr(photo, Photo._meta.get_field(item.name).attname) for item in PHOTO_SHOWN}


def photo_state_in(version):
    fields = version.field_dict
    return {item.name: fields.get(Photo._meta.get_field(item.name).attname) for item in PHOTO_SHOWN}


_BREAKS = re.compile(r"<br\s*/?>|</(?:p|h[1-6]|li|blockquote|figure|tr)>", re.IGNORECASE)
_PHOTO = re.compile(r"<figure\b[^>]*\bdata-photo-id=\"(\d+)\"[^>]*>", re.IGNORECASE)
# A word with the spaces after it (or leading spaces): no token is just a space, so matching stays meaningful.
_WORDS = re.compile(r"\S+\s*|\s+")


def body_text(value):
    """An article body as the reader reads it: paragraphs on lines of their own, photos as a placeholder."""
    value = _PHOTO.sub(lambda match: "\n[%s]" % (gettext("photo %(id)s") % {"id": match[1]}), value or "")
    text = html.unescape(strip_tags(_BREAKS.sub("\n", value)))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def word_diff(old, new):
    """Both texts as escaped HTML: words only in the old one in <del>, words only in the new one in <ins>.

    Paragraph by paragraph first, then word by word within the paragraphs that changed: a long body costs little.
    """
    old_lines, new_lines = old.split("\n"), new.split("\n")
    old_html, new_html = [], []
    for op, i1, i2, j1, j2 in _line_opcodes(old_lines, new_lines):
        before, after = "\n".join(old_lines[i1:i2]), "\n".join(new_lines[j1:j2])
        if op == "equal":
            removed, added = escape(before), escape(after)
        elif op == "replace":
            removed, added = _word_diff(before, after)
        else:
            removed = format_html("<del>{}</del>", before) if i2 > i1 else ""
            added = format_html("<ins>{}</ins>", after) if j2 > j1 else ""
        # A paragraph only on one side leaves nothing on the other.
        if i2 > i1:
            old_html.append(removed)
        if j2 > j1:
            new_html.append(added)
    # Safe: every piece was escaped on its way in.
    return mark_safe("\n".join(old_html)), mark_safe("\n".join(new_html))


def _line_opcodes(old_lines, new_lines):
    """difflib's opcodes for two lists of paragraphs, the paragraphs both share at the start and at the end set
    aside first: an edit is usually in one place, and exact matching is quadratic in what it is given (a body of
    8,000 identical paragraphs with one added took 7 s). What is left, if still huge, gets the faster heuristic."""
    shortest = min(len(old_lines), len(new_lines))
    start = next((i for i in range(shortest) if old_lines[i] != new_lines[i]), shortest)
    end = next((i for i in range(shortest - start) if old_lines[-1 - i] != new_lines[-1 - i]), shortest - start)
    old_middle, new_middle = old_lines[start:len(old_lines) - end], new_lines[start:len(new_lines) - end]
    matcher = difflib.SequenceMatcher(
        None, old_middle, new_middle, autojunk=len(old_middle) * len(new_middle) > 250_000
    )
    opcodes = [("equal", 0, start, 0, start)] if start else []
    opcodes += [(op, i1 + start, i2 + start, j1 + start, j2 + start) for op, i1, i2, j1, j2 in matcher.get_opcodes()]
    if end:
        opcodes.append(("equal", len(old_lines) - end, len(old_lines), len(new_lines) - end, len(new_lines)))
    return opcodes


def _word_diff(old, new):
    before, after = _WORDS.findall(old), _WORDS.findall(new)
    # Words are compared without the spaces after them; each side keeps its own spacing in what is shown.
    # Exact matching is quadratic, so a huge rewritten paragraph gets difflib's faster heuristic instead.
    matcher = difflib.SequenceMatcher(
        None, [word.strip() for word in before], [word.strip() for word in after],
        autojunk=len(before) * len(after) > 250_000,
    )
    old_html, new_html = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(before[i1:i2]), "".join(after[j1:j2])
        if op == "equal":
            old_html.append(escape(removed))
            new_html.append(escape(added))
            continue
        old_html.append(_marked("del", removed))
        new_html.append(_marked("ins", added))
    return "".join(old_html), "".join(new_html)


def _marked(tag, text):
    # The space after the last word stays outside the mark, so marks never run into the next word.
    words = text.rstrip()
    return format_html("<{}>{}</{}>{}", tag, words, tag, text[len(words):]) if words else escape(text)


def _same(item, a, b):
    if item.kind == MANY:
        return sorted(a or []) == sorted(b or [])
    if item.kind in (TEXT, HTML):
        return (a or "") == (b or "")
    if isinstance(a, datetime.datetime) and isinstance(b, datetime.datetime):
        # Revisions keep milliseconds, forms and pages the second: a difference below it was never typed nor shown.
        return a.replace(microsecond=0) == b.replace(microsecond=0)
    return a == b


def _names(shown, states):
    """Display names for every id the states refer to: one query per kind of object."""
    wanted = {}
    for item in shown:
        if item.model is None or item.kind == CHOICE:
            continue
        for state in states:
            value = state.get(item.name)
            ids = value if isinstance(value, list) else [value]
            wanted.setdefault(item.model, set()).update(pk for pk in ids if pk is not None)
    return {model: model._base_manager.in_bulk(ids) for model, ids in wanted.items() if ids}


def _display(item, value, names):
    def name(pk):
        found = names.get(item.model, {}).get(pk)
        return str(found) if found is not None else gettext("#%(id)s (deleted)") % {"id": pk}

    if item.kind == ONE:
        return name(value) if value is not None else "—"
    if item.kind in (MANY, IN_ORDER):
        shown = [name(pk) for pk in (value or [])]
        return "، ".join(shown if item.kind == IN_ORDER else sorted(shown)) or "—"
    if item.kind == YES_NO:
        return gettext("yes") if value else gettext("no")
    if item.kind == CHOICE:
        return str(dict(item.model._meta.get_field(item.name).flatchoices).get(value, value or "—"))
    if item.kind == MOMENT:
        return _when(value)
    return value or ""


def compare(old, new, shown):
    """The fields that differ between two states, each with its old and new value as escaped HTML.

    Text is compared word by word; a body is compared as the text a reader reads, and a change of formatting
    alone is named as such.
    """
    names = _names(shown, [old, new])
    rows = []
    for item in shown:
        a, b = old.get(item.name), new.get(item.name)
        if _same(item, a, b):
            continue
        note = ""
        if item.kind in (TEXT, HTML):
            text_a, text_b = (body_text(a), body_text(b)) if item.kind == HTML else (a or "", b or "")
            before, after = word_diff(text_a, text_b)
            if item.kind == HTML and text_a == text_b:
                note = gettext("formatting only")
        else:
            before, after = escape(_display(item, a, names)), escape(_display(item, b, names))
        rows.append({
            "name": item.name, "kind": item.kind, "label": item.label, "old": before, "new": after, "note": note,
        })
    return rows


# Restoring. The story comes back; its workflow state (status, publication time, trash) and its place on the
# home page stay as they are now, since those change only through their own permission-checked transitions.

ARTICLE_RESTORED = [
    *_per_language("headline", "slug", "summary", "body", "lead_photo_caption"), "section", "lead_photo",
]
PHOTO_RESTORED = PHOTO_STORED


def _existing(model, pk):
    return pk if pk is not None and model._base_manager.filter(pk=pk).exists() else None


def article_restore(*, article, version, by):
    """Bring back the story as ``version`` holds it, as a new revision; recorded in the audit log.

    Raises PermissionDenied if ``by`` may not edit the article, ValidationError if a published or scheduled
    article would no longer pass the publication checklist.
    """
    when = _when(version.revision.date_created)
    with revision(by, gettext("Restored the version of %(when)s.") % {"when": when}):
        article = Article.objects.select_for_update().get(pk=article.pk)
        if not article.may_edit(by):
            raise PermissionDenied(gettext("You may not do this to this article."))
        old = article_state_in(version)
        for name in ARTICLE_RESTORED:
            field = Article._meta.get_field(name)
            value = old.get(name)
            setattr(article, field.attname, _existing(field.related_model, value) if field.is_relation else value)
        # Bylines, tags and related articles first: the article's own save then puts them in the revision.
        people = Person.objects.in_bulk(old["authors"])
        ArticleAuthor.objects.filter(article=article).delete()
        for order, person_id in enumerate(pk for pk in old["authors"] if pk in people):
            ArticleAuthor.objects.create(article=article, person_id=person_id, order=order)
        article.tags.set(list(Tag.objects.filter(pk__in=old["tags"])))
        article.related_articles.set(Article.objects.filter(pk__in=old["related_articles"]).exclude(pk=article.pk))
        article.updated_by = by if getattr(by, "pk", None) else None
        article.save()
        if article.status in Article.TIMED and (blockers := article.publish_blockers()):
            raise ValidationError(blockers)
        AuditEntry.record(
            AuditEntry.Action.REVISION_RESTORED, article, actor=by,
            detail=f"revision {version.revision_id} ({version.revision.date_created.isoformat()})",
        )
    return article


def photo_restore(*, photo, version, by):
    """Bring back a photo's caption, credit and alt text as ``version`` holds them, as a new revision.

    Raises PermissionDenied if ``by`` may not change the photo (Photo.may_change: once readers see it, only the
    photo desk and editors); ``by=None`` is the system."""
    when = _when(version.revision.date_created)
    with revision(by, gettext("Restored the version of %(when)s.") % {"when": when}):
        photo = Photo.objects.select_for_update().get(pk=photo.pk)
        if by is not None and not photo.may_change(by):
            raise PermissionDenied(gettext("You may not change this photo."))
        old = version.field_dict
        changed = []
        for name in PHOTO_RESTORED:
            field = Photo._meta.get_field(name)
            value = old.get(field.attname)
            setattr(photo, field.attname, _existing(field.related_model, value) if field.is_relation else value)
            changed.append(field.attname)
        photo.save(update_fields=changed)
        AuditEntry.record(
            AuditEntry.Action.REVISION_RESTORED, photo, actor=by,
            detail=f"revision {version.revision_id} ({version.revision.date_created.isoformat()})",
        )
    return photo


class RevisionHistoryAdmin(VersionAdmin):
    """A model admin's history: its revisions, a field-by-field comparison of any two, and restoring one.

    Reversion's own "revert" screen reverts a whole revision, and an article's revision may also hold the photo
    whose credit was typed beside it; so restoring is ours, per object, and "recover deleted" is not offered.
    """

    # Reversion's change list only adds the "recover deleted" link; each model keeps its own.
    change_list_template = None
    history_latest_first = True
    compare_template = "reversion/compare.html"
    restore_note = ""
    shown = ()

    def object_state(self, obj):
        raise NotImplementedError

    def version_state(self, version):
        raise NotImplementedError

    def restore(self, request, obj, version):
        raise NotImplementedError

    def may_restore(self, request, obj):
        return self.has_change_permission(request, obj)

    def construct_change_message(self, request, form, formsets, add=False):
        # The revision's comment is written at once, in the language of whoever saved (VersionAdmin.log_change),
        # but Django keeps the changed fields' labels in English to translate when shown, and a translated field's
        # («Headline [ar]») is in no catalogue: the history read «تم تغيير Headline [ar]». The form's own labels.
        message = super().construct_change_message(request, form, formsets, add)
        # Django lists the inlines' changed rows after the form's own changes, formset by formset, in this order.
        rows = iter([(formset.empty_form, fields) for formset in formsets for _row, fields in formset.changed_objects])
        for part in message:
            changed = part.get("changed")
            if changed is None:
                continue
            row_form, names = (form, form.changed_data) if "name" not in changed else next(rows)
            changed["fields"] = [str(getattr(row_form.fields.get(name), "label", None) or name) for name in names]
        return message

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        dropped = {f"{prefix}_recoverlist", f"{prefix}_recover"}
        urls = [url for url in super().get_urls() if getattr(url, "name", None) not in dropped]
        # Before Django's own, whose "<path:object_id>/" would swallow "<id>/history/compare/".
        return [
            path(
                "<path:object_id>/history/compare/", self.admin_site.admin_view(self.compare_view),
                name=f"{prefix}_compare",
            ),
            *urls,
        ]

    def _history_object(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def _url(self, name, *args):
        return reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{name}", args=args)

    def history_view(self, request, object_id, extra_context=None):
        obj = self._history_object(request, object_id)
        context = {
            "compare_url": self._url("compare", quote(obj.pk)),
            "may_restore": self.may_restore(request, obj),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def compare_view(self, request, object_id):
        """Any two revisions side by side; without ``to``, a revision against the object as it is now."""
        obj = self._history_object(request, object_id)
        versions = Version.objects.get_for_object(obj).select_related("revision__user")
        older = get_object_or_404(versions, revision_id=_number(request.GET.get("from")))
        newer = None
        if request.GET.get("to", "current") != "current":
            newer = get_object_or_404(versions, revision_id=_number(request.GET.get("to")))
            if newer.pk < older.pk:
                older, newer = newer, older
        return self._comparison(request, obj, older, newer)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """One revision against the object as it is now; POST restores it."""
        obj = self._history_object(request, object_id)
        version = get_object_or_404(Version.objects.get_for_object(obj).select_related("revision__user"), pk=version_id)
        if request.method == "POST":
            if not self.may_restore(request, obj):
                raise PermissionDenied
            try:
                self.restore(request, obj, version)
            except ValidationError as refusal:
                self.message_user(
                    request, gettext("Not restored: %(reasons)s") % {"reasons": " ".join(refusal.messages)},
                    messages.ERROR,
                )
                return redirect(request.path)
            restored = gettext("The version of %(when)s was restored.") % {"when": _when(version.revision.date_created)}
            self.message_user(request, restored, messages.SUCCESS)
            return redirect(self._url("change", quote(obj.pk)))
        return self._comparison(request, obj, version, None, restore=self.may_restore(request, obj))

    def _comparison(self, request, obj, older, newer, restore=False):
        new_state = self.version_state(newer) if newer else self.object_state(obj)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Compare versions: %s") % obj,
            "subtitle": None,
            "opts": self.opts,
            "object": obj,
            "older": older.revision,
            "newer": newer.revision if newer else None,
            "older_label": _revision_label(older.revision),
            "newer_label": _revision_label(newer.revision) if newer else gettext("As it is now"),
            "rows": compare(self.version_state(older), new_state, self.shown),
            "restore_url": self._url("revision", quote(obj.pk), older.pk) if restore and newer is None else "",
            "restore_note": self.restore_note,
            "history_url": self._url("history", quote(obj.pk)),
        }
        return TemplateResponse(request, self.compare_template, context)


def _number(value):
    """A revision id from the query string; anything that is not one a database could hold is a 404."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number < 2**63:
        raise Http404
    return number


def _revision_label(rev):
    return gettext("Version of %(when)s by %(who)s") % {"when": _when(rev.date_created), "who": person_name(rev.user)}


class PhotoHistoryMixin(RevisionHistoryAdmin):
    """PhotoAdmin's history: caption, credit and alt text edits are revisions, wherever they were typed."""

    shown = PHOTO_SHOWN
    restore_note = _("Restoring brings back this version's caption, credit and alt text as a new version. "
                     "The image and its focal point stay as they are.")

    def object_state(self, obj):
        return photo_state(obj)

    def version_state(self, version):
        return photo_state_in(version)

    def restore(self, request, obj, version):
        photo_restore(photo=obj, version=version, by=request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            photo = self.get_object(request, unquote(object_id))
            if photo is not None and self.has_view_or_change_permission(request, photo):
                # The form is opened at this revision: a refused save lists what changed since (photo_edit_conflict).
                keep_first_revision(photo, by=photo.uploaded_by, at=photo.uploaded_at)
        return super().change_view(request, object_id, form_url, extra_context)


def keep_first_revision(obj, *, by, at):
    """A story or photo saved only outside the admin so far (importer, demo loader, the photo upload screen)
    gets its first revision when first opened, dated ``at``, so comparisons and conflicts have a start."""
    if not Version.objects.get_for_object(obj).exists():
        with revision(by, gettext("As it was before its first edit here.")):
            reversion.set_date_created(at)
            reversion.add_to_revision(obj)


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
            data = QueryDict(mutable=True)
            for name, values in self.restored_autosave.data.items():
                data.setlist(name, values if isinstance(values, list) else [values])
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
                % {"who": self.conflict["who"], "when": _when(self.conflict["when"])},
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
        # Saved for real: the draft copy has served its purpose.
        ArticleAutosave.objects.filter(article=obj, user=request.user).delete()
        if not change:
            # Only this tab's draft: other new articles being written in other tabs keep theirs.
            key = valid_draft_key(request.POST.get(DRAFT_KEY)) or ""
            ArticleAutosave.objects.filter(article=None, user=request.user, draft_key=key).delete()

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
