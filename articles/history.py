"""Revisions of articles and photos: what each stores, comparing two, restoring one, and the admin's history pages.
Edit conflicts, presence and autosave, which build on them, are in articles/editing.py.

django-reversion keeps the revisions: each save through the admin stores the article with its bylines and tags
(or a photo's caption, credit and alt text) as one revision, with who saved it and a comment.
"""

import copy
import datetime
import difflib
import html
import re
from collections import namedtuple
from contextlib import contextmanager

import reversion
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from reversion.models import Version

from .audit import AuditEntry
from .models import Article, ArticleAuthor, Person, Photo, Section, Tag, TaggedArticle

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _per_language(*names):
    return [f"{name}_{code}" for name in names for code in LANGUAGES]


# What a revision stores. Only the per-language columns of translated fields: the untranslated original is
# modeltranslation's window onto the active language, so storing it would store one language twice, and
# restoring it would write into whichever language happened to be active.
ARTICLE_STORED = [
    *_per_language("headline", "slug", "summary", "body", "lead_photo_caption", "text_changed_at", "translated_from"),
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


_EDITION_CODE = re.compile(r" \[([a-z-]+)\]$")


def edition_named(label):
    """A translated field's label with its edition named: django-modeltranslation labels it «المصدر [ar]» (its tabs
    hide the code), and the history read «تم تغيير المصدر [ar].»; here it is «المصدر (العربية)»."""
    def named(match):
        code = match[1]
        return f" ({get_language_info(code)['name_translated']})" if code in dict(settings.LANGUAGES) else match[0]

    return _EDITION_CODE.sub(named, label)


def person_name(user):
    """Who did something, as the newsroom knows them: their byline's name, else the account's full name; its login
    name (an invited contributor's e-mail address) only when there is neither."""
    if user is None:
        return gettext("the system")
    try:
        byline = user.person.name
    except Person.DoesNotExist:
        byline = ""
    return byline or user.get_full_name() or user.get_username()


def local_time(moment):
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
        return local_time(value)
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
    when = local_time(version.revision.date_created)
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
    when = local_time(version.revision.date_created)
    with revision(by, gettext("Restored the version of %(when)s.") % {"when": when}):
        photo = Photo.objects.select_for_update().get(pk=photo.pk)
        if by is not None and not photo.may_change(by):
            raise PermissionDenied(gettext("You may not change this photo."))
        old = version.field_dict
        stored, changed = copy.copy(photo), []
        for name in PHOTO_RESTORED:
            field = Photo._meta.get_field(name)
            value = old.get(field.attname)
            setattr(photo, field.attname, _existing(field.related_model, value) if field.is_relation else value)
            changed.append(field.attname)
        stored.refuse_losing_words(photo)
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
            changed["fields"] = [
                edition_named(str(getattr(row_form.fields.get(name), "label", None) or name)) for name in names
            ]
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
        response = super().history_view(request, object_id, context)
        # Each version's saver is named by their byline (person_name): the bylines of all of them in one query.
        accounts = [action["revision"].user for action in response.context_data.get("action_list", [])]
        prefetch_related_objects([account for account in accounts if account is not None], "person")
        return response

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
            when = local_time(version.revision.date_created)
            restored = gettext("The version of %(when)s was restored.") % {"when": when}
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
    when, who = local_time(rev.date_created), person_name(rev.user)
    return gettext("Version of %(when)s by %(who)s") % {"when": when, "who": who}


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
