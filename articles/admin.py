"""The newsroom's admin screens: declarative, Arabic, with the rules left to the models."""

import copy
import datetime
import functools
import re
from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info, gettext, ngettext, override
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from reversion.models import Version
from taggit.models import Tag as TaggitTag

from newsroom.admin_site import IdsField

from . import old_addresses, photo_admin
from .audit import AuditEntry
from .editing import ArticleHistoryMixin, VersionCheckedFormMixin, put_in_form
from .history import PhotoHistoryMixin, edition_named, local_time, person_name
from .models import (
    TAG_NAME_FIELDS,
    Article,
    ArticleAuthor,
    OldAddress,
    Person,
    Photo,
    Section,
    SupportAppeal,
    Tag,
    TaggedArticle,
)
from .photo_admin import thumbnail
from .renditions import ensure_renditions, thumbnail_url
from .roles import ArticlePermissionsMixin
from .search import NormalisedSearchMixin
from .text import clean_body_html, inline_photo_ids, tag_name, whole_number, words_or_nothing
from .translation_status import TranslationStatusMixin, stale_languages, translated_languages
from .trash import TrashMixin

# We use our own Tag model (Arabic slugs); taggit's stock one would only confuse editors.
admin.site.unregister(TaggitTag)
admin.site.site_header = _("Newsroom")
admin.site.site_title = _("Newsroom")
admin.site.index_title = _("Editorial desk")


class NumericIdsOnly:
    """Django's autocomplete widget looks up whatever id was posted when it redisplays a form with errors;
    a forged id that is not a number, or too large for a database integer, would make that a server error
    instead of a form error."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if whole_number(v) is not None], attr)


class SafeAutocompleteSelect(NumericIdsOnly, admin.widgets.AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(NumericIdsOnly, admin.widgets.AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", SafeAutocompleteSelect(db_field, self.admin_site))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", SafeAutocompleteSelectMultiple(db_field, self.admin_site))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class UnchangedSavesNothingMixin:
    """A change form saved with nothing changed writes nothing: no revision saying "no fields changed", no new
    updated_at, no page generation re-rendering the whole site for a story, photo, person, tag or section readers
    see. Whether an inline changed (a story's bylines) is known only in save_related(), so an unchanged form's row
    waits until then; once nothing is saved, ``request._nothing_saved`` keeps the rest of the save quiet about it."""

    def save_model(self, request, obj, form, change):
        inlines_changed = getattr(request, "_inlines_changed", False)
        if change and not form.has_changed() and not inlines_changed:
            request._row_held = True
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if getattr(request, "_row_held", False):
            if not any(formset.has_changed() for formset in formsets):
                request._nothing_saved = request._inlines_unsaved = True
                return
            # An inline changed: the row is saved too, so its version tells others' open forms of the change.
            request._inlines_changed = True
            self.save_model(request, form.instance, form, change)
        super().save_related(request, form, formsets, change)

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "_inlines_unsaved", False):
            return []  # the inlines were never saved, so they have no saved rows to list
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if getattr(request, "_nothing_saved", False):
            return None
        return super().log_change(request, obj, message)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # Django's "was changed successfully" would claim a save that did not happen.
        if getattr(request, "_nothing_saved", False) and level == messages.SUCCESS:
            message, level = _("Nothing was changed, so nothing was saved."), messages.INFO
        super().message_user(request, message, level, *args, **kwargs)


class EditionAdmin(TabbedTranslationAdmin):
    """modeltranslation's tabs, each edition's fields typed in its own language and direction: English typed in a
    right-to-left box reads «.DAMASCUS — …» and spell-checks as Arabic."""

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        for entry in message:
            for change in entry.values():
                if "fields" in change:
                    change["fields"] = [edition_named(str(name)) for name in change["fields"]]
        return message

    def patch_translation_field(self, db_field, field, request, **kwargs):
        super().patch_translation_field(db_field, field, request, **kwargs)
        if language := getattr(db_field, "language", None):
            self._get_widget_from_field(field).attrs.update(
                lang=language, dir="rtl" if get_language_info(language)["bidi"] else "ltr",
            )


def account_as_name(model, field):
    """A read-only account field (who wrote, changed or uploaded something) as the person's name. Django links it to
    the account's admin page, which only administrators may open: for everyone else, a link to a refusal."""
    def shown(model_admin, obj):
        account = getattr(obj, field)  # none on a new story, or once the account is deleted
        return person_name(account) if account else model_admin.get_empty_value_display()
    shown.short_description = model._meta.get_field(field).verbose_name
    return shown


@admin.register(Photo)
class PhotoAdmin(
    UnchangedSavesNothingMixin, SafeAutocompleteMixin, PhotoHistoryMixin, NormalisedSearchMixin, EditionAdmin,
):
    form = photo_admin.PhotoAdminForm
    list_display = [
        "preview", "caption", "credit_line", "creator", "is_sensitive", "dimensions", "uploaded_at",
    ]
    list_display_links = ["preview", "caption"]
    list_filter = [
        photo_admin.MissingCreditFilter, photo_admin.MissingAltTextFilter, photo_admin.UsageFilter,
        "is_sensitive", "uploaded_at",
    ]
    list_select_related = ["credit_person"]
    search_fields = [
        "caption_ar", "caption_en", "credit_ar", "credit_en", "credit_person__name_ar", "creator",
        "alt_text_ar", "alt_text_en",
    ]
    autocomplete_fields = ["credit_person"]
    readonly_fields = [
        "focal_point_picker", "file_metadata", "usage", "usage_on_site", "width", "height", "uploaded_by_name",
        "uploaded_at",
    ]
    fieldsets = [
        (None, {"fields": ["image", "focal_point_picker", "focal_x", "focal_y"]}),
        (_("Caption and credit"), {"fields": ["caption", "credit", "credit_person", "alt_text", "is_sensitive"]}),
        (_("Rights"), {"fields": ["creator", "copyright_notice", "taken_at"]}),
        (_("From the file"), {"fields": ["file_metadata"]}),
        (_("Where it is used"), {"fields": ["usage"]}),
        (_("Record"), {"fields": ["width", "height", "uploaded_by_name", "uploaded_at"], "classes": ["collapse"]}),
    ]
    uploaded_by_name = account_as_name(Photo, "uploaded_by")

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/focal-point.js"]

    # Nothing to point at, read or list before the file is uploaded.
    change_only_fields = [
        "focal_point_picker", "focal_x", "focal_y", "file_metadata", "usage", "usage_on_site",
        "width", "height", "uploaded_by_name", "uploaded_at",
    ]

    def has_change_permission(self, request, obj=None):
        # A photo readers see opens read-only for a writer, and its history offers no restore (Photo.may_change).
        return super().has_change_permission(request, obj) and (obj is None or obj.may_change(request.user))

    def get_fieldsets(self, request, obj=None):
        # Filtered rather than declared twice: modeltranslation has already split the translated fields.
        fieldsets = super().get_fieldsets(request, obj)
        if self._readers_only(request):
            # The photo desk does not read the newsroom's drafts: it sees where readers see the photo.
            fieldsets = [
                (title, {**options, "fields": ["usage_on_site" if f == "usage" else f for f in options["fields"]]})
                for title, options in fieldsets
            ]
        if obj is not None:
            return fieldsets
        fieldsets = [
            (title, {**options, "fields": [f for f in options["fields"] if f not in self.change_only_fields]})
            for title, options in fieldsets
        ]
        return [(title, options) for title, options in fieldsets if options["fields"]]

    def get_urls(self):
        # Before Django's own, whose "<path:object_id>/" would swallow "<id>/thumbnail/".
        view = self.admin_site.admin_view
        return [
            path("upload/", view(partial(photo_admin.upload_photos_view, self)), name="articles_photo_upload"),
            path(
                "<int:object_id>/thumbnail/", view(partial(photo_admin.thumbnail_redirect_view, self)),
                name="articles_photo_thumbnail",
            ),
            *super().get_urls(),
        ]

    @staticmethod
    def _readers_only(request):
        """Whether this person sees a photo's uses as readers do (photo_admin.usage_panel): who may not read
        articles, the photo desk, is not shown drafts' headlines."""
        return not request.user.has_perm("articles.view_article")

    def get_queryset(self, request):
        # The photographer's name stands in for a missing credit in the list and in autocomplete_extras.
        return super().get_queryset(request).select_related("credit_person")

    def autocomplete_extras(self, photo):
        """What the lead photo box shows beside each caption (static/js/photo-picker.js): pick by sight."""
        return {"thumbnail": thumbnail_url(photo), "credit": photo.credit_line, "alt_text": photo.alt_text}

    @admin.display(description=_("photo"))
    def preview(self, photo):
        return thumbnail(photo)

    @admin.display(description=_("credit"))
    def credit_line(self, photo):
        return photo.credit_line or format_html('<strong class="missing">{}</strong>', _("missing"))

    @admin.display(description=_("dimensions"))
    def dimensions(self, photo):
        return format_html('<bdi dir="ltr">{}×{}</bdi>', photo.width, photo.height)

    @admin.display(description=_("focal point"))
    def focal_point_picker(self, photo):
        return photo_admin.focal_point_picker(photo)

    @admin.display(description=_("metadata in the file"))
    def file_metadata(self, photo):
        return photo_admin.file_metadata_panel(photo)

    @admin.display(description=_("used in"))
    def usage(self, photo):
        return photo_admin.usage_panel(photo)

    @admin.display(description=_("used in"))
    def usage_on_site(self, photo):
        return photo_admin.usage_panel(photo, readers_only=True)

    def save_model(self, request, obj, form, change):
        # A new file was filled in and written by the form (PhotoAdminForm._post_clean, the storage rule of
        # intake.store_photo_file); saving only writes the row.
        prepared = getattr(form.cleaned_data.get("image"), "prepared", None)
        if not change:
            obj.uploaded_by = request.user
        if prepared:
            replaced = form.initial.get("image")
            replaced_name = replaced.name if replaced else ""
            request._photo_with_new_file = obj
        super().save_model(request, obj, form, change)
        if prepared:
            if replaced_name and replaced_name != obj.image.name:
                transaction.on_commit(partial(obj.image.storage.delete, replaced_name), robust=True)
            filled = photo_admin.prefilled_labels(obj)
            if filled:
                self.message_user(
                    request, _("Filled from the file: %(fields)s.") % {"fields": "، ".join(filled)}, messages.INFO
                )
        if not change or {"image", "focal_x", "focal_y"} & set(form.changed_data):
            # robust: the photo is saved whatever happens to its renditions (readers get the original meanwhile).
            transaction.on_commit(partial(ensure_renditions, obj), robust=True)

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except BaseException:
            # The row was rolled back; the file the form wrote for it must not outlive it.
            photo = getattr(request, "_photo_with_new_file", None)
            if photo and photo.image.name and photo.image._committed:
                photo.image.storage.delete(photo.image.name)
            raise

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            # Name the articles (an inline use would otherwise read "photo in the body: <this photo>"). Nothing
            # is deleted along with a photo in use, so Django's request for delete rights on them is moot.
            protected = photo_admin.articles_using(objs, readers_only=self._readers_only(request)) or protected
            perms_needed = set()
        return deleted, model_count, perms_needed, protected


class BylineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if self.instance.status not in Article.TIMED:
            return
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if not kept:
            raise ValidationError(_("A published article needs at least one author."))


class ArticleAuthorInline(SafeAutocompleteMixin, admin.TabularInline):
    model = ArticleAuthor
    formset = BylineFormSet
    autocomplete_fields = ["person"]
    extra = 0
    min_num = 0
    max_num = 50  # more bylines than any story carries

    def get_formset(self, request, obj=None, **kwargs):
        # Django builds every row a form's count asks for, up to a thousand past max_num, and a forged count took
        # a minute to draw again; now a count past max_num is an error, and no more rows than that are built.
        return super().get_formset(request, obj, absolute_max=self.max_num, validate_max=True, **kwargs)


def _in_the_hour_lived_twice(compress, saved, date_and_time):
    """The publication time typed, where Django refuses it as ambiguous: in the hour the clocks go back (Damascus,
    28 October 2021, 23:00 to 24:00) each time is lived twice, and a story published then could not be saved again
    untouched. The saved time where it reads so, else the first of the two; a time that never existed (the hour
    the clocks go forward) is still refused."""
    try:
        return compress(date_and_time)
    except ValidationError:
        if len(date_and_time) != 2 or None in date_and_time:  # a half left empty: Django's own message says so
            raise
        typed = datetime.datetime.combine(*date_and_time)
        zone = timezone.get_current_timezone()
        first, second = typed.replace(tzinfo=zone, fold=0), typed.replace(tzinfo=zone, fold=1)
        lived = first.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) == typed
        if not lived or first.utcoffset() == second.utcoffset():
            raise
        # Compared in UTC: Python never finds a time inside a fold equal to a time of another zone.
        both = {moment.astimezone(datetime.UTC) for moment in (first, second)}
        return saved if saved is not None and saved.replace(microsecond=0) in both else first


class ArticleAdminForm(VersionCheckedFormMixin, forms.ModelForm):
    """The article form, plus the lead photo's own credit and alt text, edited where the story is written."""

    lead_photo_credit = forms.CharField(
        label=_("lead photo credit"), required=False, max_length=200,
        help_text=_("Saved on the photo itself, wherever it is used."),
    )
    lead_photo_alt_text = forms.CharField(
        label=_("lead photo alt text"), required=False, max_length=300,
        help_text=_("Saved on the photo itself, wherever it is used."),
    )
    new_tags = forms.CharField(
        label=_("new tags"), required=False, max_length=500,
        help_text=_("Tags that do not exist yet, separated by commas."),
    )
    # Offered only for stale translations (TranslationStatusMixin.get_fieldsets): editing one leaves it stale
    # until the translator says it says what the source says (Article.translation_matches_source).
    translations_matching_source = forms.MultipleChoiceField(
        label=_("translations brought up to date"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=translated_languages,
        help_text=_("Tick each translation that now says what the Arabic says: it is then no longer stale."),
    )
    # The lead photo's last revision when the form was opened (photo_admin.last_revision): its credit and alt text
    # are compared with what they were then, so words the photo desk saved meanwhile are not written back over.
    opened_photo_revision = forms.IntegerField(
        required=False, min_value=0, max_value=2**63 - 1, widget=forms.HiddenInput
    )

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 - the admin lays the fields out in fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"] = IdsField(
            queryset=Tag.objects.all(), required=False, label=_("tags"),
            widget=SafeAutocompleteSelectMultiple(
                Article._meta.get_field("tags"), admin.site
            ),
        )
        if self.instance.pk:
            self.initial["tags"] = list(self.instance.tags.all())
        if "translations_matching_source" in self.fields:
            stale = stale_languages(self.instance) if self.instance.pk else set()
            field = self.fields["translations_matching_source"]
            field.choices = [(code, name) for code, name in translated_languages() if code in stale]
        if "published_at" in self.fields:
            field = self.fields["published_at"]
            field.compress = partial(_in_the_hour_lived_twice, field.compress, self.instance.published_at)
        photo = self.instance.lead_photo if self.instance.lead_photo_id else None
        if photo:
            # As the form's fields clean what is posted: a credit saved with a trailing space elsewhere (an import)
            # would otherwise count as changed at every save of the story, and be written back.
            self.initial.setdefault("lead_photo_credit", (photo.credit_ar or "").strip())
            self.initial.setdefault("lead_photo_alt_text", (photo.alt_text_ar or "").strip())
            self.initial.setdefault("opened_photo_revision", photo_admin.last_revision(photo))
            if "lead_photo" in self.fields:
                # The saved photo and its words, for static/js/photo-picker.js to put back if it is picked again:
                # a form drawn again after a refused save shows what was posted, not these. On the select itself,
                # inside the admin's wrapper (the "add" and "change" links beside it).
                widget = self.fields["lead_photo"].widget
                getattr(widget, "widget", widget).attrs.update({
                    "data-saved-photo": photo.pk, "data-saved-credit": photo.credit_ar,
                    "data-saved-alt-text": photo.alt_text_ar,
                })

    # Who is saving; set by ArticleAdmin.get_form, for the lead photo's rule.
    editing_user = None

    # The lead photo box: each field and the photo's own field it is saved on.
    LEAD_PHOTO_BOX = {
        "lead_photo_credit": f"credit_{settings.LANGUAGE_CODE}",
        "lead_photo_alt_text": f"alt_text_{settings.LANGUAGE_CODE}",
    }

    def lead_photo_changes(self):
        """{form field: (photo field, value)} of what this save writes onto the lead photo: only what was changed,
        and a blank field next to a newly chosen photo means "not typed", never "erase this photo's credit"."""
        changes = {}
        for form_field, photo_field in self.LEAD_PHOTO_BOX.items():
            value = (self.cleaned_data.get(form_field) or "").strip()
            if form_field in self.changed_data and (value or "lead_photo" not in self.changed_data):
                changes[form_field] = (photo_field, value)
        return changes

    @cached_property
    def changed_data(self):
        # The editor re-serialises a body it was only shown; compared after the cleaning every save applies, an
        # untouched body is unchanged, so the history does not claim an edit and conflicts merge it correctly.
        changed = [
            name for name in super().changed_data
            if name != "opened_photo_revision" and (
                not name.startswith("body_")
                or clean_body_html(self[name].data or "") != clean_body_html(self[name].initial or "")
            )
        ]
        # A lead photo box left as it was shown is unchanged, though the photo desk has saved other words since.
        shown, cleaned = self._lead_photo_as_opened(changed), getattr(self, "cleaned_data", {})
        return [
            name for name in changed
            if self.LEAD_PHOTO_BOX.get(name) not in shown
            or (cleaned.get(name) or "").strip() != (shown[self.LEAD_PHOTO_BOX[name]] or "").strip()
        ]

    def _lead_photo_as_opened(self, changed):
        """The same lead photo's words as the form showed them, where a later revision has changed them since;
        otherwise nothing (what the form shows is what is saved, and changed_data compares with that)."""
        cleaned = getattr(self, "cleaned_data", {})
        opened, photo = cleaned.get("opened_photo_revision"), cleaned.get("lead_photo")
        if not opened or photo is None or "lead_photo" in changed or photo_admin.last_revision(photo) == opened:
            return {}
        version = Version.objects.get_for_object(photo).filter(revision_id=opened).first()
        return version.field_dict if version else {}

    def _box_follows_their_photo(self):
        """After an edit conflict that put the other person's lead photo in the form, the box beside it shows that
        photo's words wherever this person had left the first photo's as shown: saved again, the form must not
        write the first photo's credit onto the second. Words typed stay, to be saved onto the photo now shown."""
        taken = any(row["name"] == "lead_photo" and row["in_form"] == "theirs" for row in self.conflict["changes"])
        first, theirs = self.cleaned_data.get("lead_photo"), self.instance.lead_photo
        if not taken or first is None:
            return
        shown = self._lead_photo_as_opened(changed=[]) or {
            photo_field: getattr(first, photo_field) for photo_field in self.LEAD_PHOTO_BOX.values()
        }
        for form_field, photo_field in self.LEAD_PHOTO_BOX.items():
            if (self.cleaned_data.get(form_field) or "").strip() == (shown.get(photo_field) or "").strip():
                put_in_form(self, form_field, getattr(theirs, photo_field) if theirs else "")
        put_in_form(self, "opened_photo_revision", photo_admin.last_revision(theirs) if theirs else None)

    def clean_published_at(self):
        # The time inputs stop at the second, so a time left as it was would lose its microseconds at every save:
        # a change no one made, shown as one in the history and in an edit conflict.
        typed, kept = self.cleaned_data.get("published_at"), self.instance.published_at
        return kept if typed and kept and typed == kept.replace(microsecond=0) else typed

    def clean_new_tags(self):
        # Writers type the Arabic comma as often as the Latin one.
        names = [tag_name(name) for name in re.split("[,،]", self.cleaned_data["new_tags"])]
        names = list(dict.fromkeys(name for name in names if name))
        if any(len(name) > 100 for name in names):
            raise ValidationError(_("A tag may be at most 100 characters long."))
        return names

    # Stored onto the photo as its own form stores them (Photo.clean): invisible marks alone are no words.

    def clean_lead_photo_credit(self):
        return words_or_nothing(self.cleaned_data["lead_photo_credit"])

    def clean_lead_photo_alt_text(self):
        return words_or_nothing(self.cleaned_data["lead_photo_alt_text"])

    def clean(self):
        cleaned = super().clean()
        if self.conflict and self.conflict["changes"]:
            self._box_follows_their_photo()
        # A published article stays publishable: its section and lead photo cannot be removed.
        if self.instance.status in Article.TIMED:
            if "section" in cleaned and not cleaned.get("section"):
                self.add_error("section", _("A published article needs a section."))
            if "lead_photo" in cleaned and not cleaned.get("lead_photo"):
                if settings.NEWSROOM_REQUIRE_LEAD_PHOTO:
                    self.add_error("lead_photo", _("A published article needs a lead photo."))
            if "published_at" in cleaned and not cleaned.get("published_at"):
                self.add_error("published_at", _("A published article needs a publication time."))
        photo = cleaned.get("lead_photo")
        changes = self.lead_photo_changes() if photo else {}
        # No user known (a form built outside ArticleAdmin.get_form) is no one who may.
        if changes and (self.editing_user is None or not photo.may_change(self.editing_user)):
            for form_field in changes:
                self.add_error(form_field, _(
                    "Readers already see this photo in a published story or on a person's page: only the photo "
                    "desk or an editor may change it."
                ))
        elif changes:
            self._refuse_writing_over_the_photo_desk(photo, changes)
            if self.instance.status not in Article.TIMED:  # a live story's own checklist is asked below
                self._refuse_taking_words_readers_see(photo, changes)
        self._refuse_photos_not_in_the_library()
        if self.instance.status in Article.TIMED:
            self._keep_the_checklist_met(photo, changes)
        return cleaned

    def _refuse_taking_words_readers_see(self, photo, changes):
        """A draft's lead photo box writes onto the photo itself, which a published story may show too."""
        shown = copy.copy(photo)
        for photo_field, value in changes.values():
            setattr(shown, photo_field, value)
        try:
            photo.refuse_losing_words(shown)
        except ValidationError as refusal:
            self.add_error(next(iter(changes)), refusal)

    def _refuse_photos_not_in_the_library(self):
        """A body placing a photo the library does not have (deleted meanwhile, or a forged id) would show readers
        nothing there and the editor a broken frame: said at once, with the text kept."""
        for code, _name in settings.LANGUAGES:
            placed = inline_photo_ids(self.cleaned_data.get(f"body_{code}") or "")
            missing = sorted(set(placed) - set(Photo.objects.filter(pk__in=placed).values_list("pk", flat=True)))
            if missing:
                self.add_error(f"body_{code}", ngettext(
                    "The body places photo %(ids)s, which is not in the library: remove it from the body.",
                    "The body places photos %(ids)s, which are not in the library: remove them from the body.",
                    len(missing),
                ) % {"ids": "، ".join(map(str, missing))})

    def _refuse_writing_over_the_photo_desk(self, photo, changes):
        """Where the photo desk changed a word of the lead photo after this form was opened, and this person typed
        another, neither silently wins: the form says what the desk saved and keeps what was typed, and a second
        save (now measured from the desk's version) writes it."""
        opened = self._lead_photo_as_opened(self.changed_data)
        for form_field, (photo_field, typed) in changes.items():
            theirs = (getattr(photo, photo_field) or "").strip()
            if photo_field in opened and theirs != (opened[photo_field] or "").strip() and theirs != typed:
                self.add_error(form_field, _(
                    "The photo desk changed this to «%(theirs)s» after you opened the story. What you typed is "
                    "kept here: save again to replace theirs, or type theirs."
                ) % {"theirs": theirs or "—"})
        if any(self.has_error(form_field) for form_field in changes):
            self.data = self.data.copy()
            put_in_form(self, "opened_photo_revision", photo_admin.last_revision(photo))

    def _keep_the_checklist_met(self, photo, changes):
        """A published or scheduled story met its checklist (Article.publish_blockers) when it went out: a save
        must not show readers a lead photo, or put a photo in the body, without its caption, credit and alt text.
        Only what this save changes is asked, so an archived story that never met the checklist can still be
        corrected."""
        source = settings.LANGUAGE_CODE
        box = {"lead_photo", f"lead_photo_caption_{source}", *self.LEAD_PHOTO_BOX}
        if photo is not None and box & set(self.changed_data):
            shown = copy.copy(photo)
            for photo_field, value in changes.values():
                setattr(shown, photo_field, value)
            with override(source):
                missing = shown.missing_for_publication(self.cleaned_data.get(f"lead_photo_caption_{source}") or "")
            if missing:
                self.add_error("lead_photo", _(
                    "Readers see this article: its lead photo lacks %(fields)s. Complete it to save."
                ) % {"fields": "، ".join(str(field) for field in missing)})
        before = set(self.instance.inline_photo_ids())
        for code, _name in settings.LANGUAGES:
            added = [pk for pk in inline_photo_ids(self.cleaned_data.get(f"body_{code}") or "") if pk not in before]
            for placed in Photo.objects.select_related("credit_person").filter(pk__in=added):
                with override(source):
                    missing = placed.missing_for_publication()
                if missing:
                    self.add_error(f"body_{code}", _(
                        "Readers see this article: the photo «%(photo)s» placed in its body lacks %(fields)s. "
                        "Complete the photo to save."
                    ) % {"photo": placed, "fields": "، ".join(str(field) for field in missing)})


class BylineListFilter(admin.RelatedFieldListFilter):
    """The people with a byline on any article. Django's RelatedOnlyFieldListFilter finds them by reading every
    article of the list, which at 100,000 articles cost more than the rest of the page."""

    def field_choices(self, field, request, model_admin):
        writers = Person.objects.filter(Exists(ArticleAuthor.objects.filter(person=OuterRef("pk"))))
        return [(person.pk, str(person)) for person in writers.order_by("name")]


@admin.register(Article)
class ArticleAdmin(
    # Each concern of the article screen lives in its own module: who may (roles), the trash, and the
    # history (revisions in history.py; conflicts, presence and autosave in editing.py). The rest is declared here.
    UnchangedSavesNothingMixin, ArticlePermissionsMixin, TrashMixin, TranslationStatusMixin, ArticleHistoryMixin,
    SafeAutocompleteMixin, NormalisedSearchMixin, EditionAdmin,
):
    form = ArticleAdminForm
    inlines = [ArticleAuthorInline]
    list_display = [
        "lead_thumbnail", "headline", "status", "section", "bylines", "published_at", "is_top_story",
    ]
    list_display_links = ["lead_thumbnail", "headline"]
    # Publication time as a filter (today, this week, month, year) rather than date_hierarchy: its year and month
    # links cost two whole-archive scans per page (at 100,000 articles, 0.7 s on SQLite).
    list_filter = [
        "status", "section", ("authors", BylineListFilter), "is_top_story", ("published_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["section", "lead_photo"]
    search_fields = ["headline_ar", "headline_en", "summary_ar", "summary_en"]
    # "N results (M in all)" costs a second count of the whole archive on every filtered page.
    show_full_result_count = False
    autocomplete_fields = ["section", "lead_photo", "related_articles"]
    readonly_fields = ["status", "lead_photo_preview", "created_at", "updated_at", "created_by_name", "updated_by_name"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["headline", "slug", "summary", "body"]}),
        (_("Placement"), {"fields": ["section", "tags", "new_tags", "is_top_story", "related_articles"]}),
        (
            _("Lead photo"),
            {"fields": [
                "lead_photo", "lead_photo_preview", "lead_photo_caption",
                "lead_photo_credit", "lead_photo_alt_text",
            ]},
        ),
        (_("Publication"), {"fields": ["status", "published_at"]}),
        (
            _("Record"),
            {"fields": ["created_at", "created_by_name", "updated_at", "updated_by_name"], "classes": ["collapse"]},
        ),
    ]
    created_by_name = account_as_name(Article, "created_by")
    updated_by_name = account_as_name(Article, "updated_by")
    actions = ["publish_selected", "submit_selected", "unpublish_selected"]
    change_form_template = "admin/articles/article/change_form.html"

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/photo-picker.js", "js/editor-labels.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_bylines()

    # A story opened read-only (a writer on a colleague's, any in the trash) shows each body as readers see it, where
    # Django would print its HTML as text, and the lead photo's credit and alt text from the photo, where it would
    # name the form's own inputs in English with nothing in them.

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.bodies_as_read = {f"body_{code}": f"body_{code}_as_read" for code, _name in settings.LANGUAGES}
        for field, shown in self.bodies_as_read.items():
            setattr(self, shown, self._body_as_read(field))

    def _body_as_read(self, field):
        def body_as_read(article):
            # Sanitised when saved; cleaned again, since it is marked safe here.
            body = clean_body_html(getattr(article, field))
            return mark_safe(body) if body else self.get_empty_value_display()  # noqa: S308
        body_as_read.short_description = Article._meta.get_field(field).verbose_name
        return body_as_read

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        read_only = []
        for title, options in fieldsets:
            fields = [self.bodies_as_read.get(field, field) for field in options["fields"] if field != "new_tags"]
            read_only.append((title, {**options, "fields": fields}))
        return read_only

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fields
        return [*fields, *self.bodies_as_read.values()]  # which the form must then leave out

    # The photo's fields the form's lead photo box edits (ArticleAdminForm.LEAD_PHOTO_BOX), whatever the admin's
    # language.

    @admin.display(description=_("lead photo credit"))
    def lead_photo_credit(self, article):
        photo_field = ArticleAdminForm.LEAD_PHOTO_BOX["lead_photo_credit"]
        return getattr(article.lead_photo, photo_field) if article.lead_photo else ""

    @admin.display(description=_("lead photo alt text"))
    def lead_photo_alt_text(self, article):
        photo_field = ArticleAdminForm.LEAD_PHOTO_BOX["lead_photo_alt_text"]
        return getattr(article.lead_photo, photo_field) if article.lead_photo else ""

    @admin.display(description=_("photo"))
    def lead_thumbnail(self, article):
        return thumbnail(article.lead_photo, size=60)

    @admin.display(description=_("lead photo"))
    def lead_photo_preview(self, article):
        return thumbnail(article.lead_photo, size=240)

    @admin.display(description=_("authors"))
    def bylines(self, article):
        return "، ".join(person.name for person in article.authors.all())

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"editing_user": request.user})

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        for language in form.cleaned_data.get("translations_matching_source", []):
            obj.translation_matches_source(language)
        super().save_model(request, obj, form, change)
        self._save_lead_photo_fields(obj.lead_photo, form)

    @staticmethod
    def _save_lead_photo_fields(photo, form):
        """Write the credit and alt text typed here onto the photo (the form has checked who may)."""
        changes = form.lead_photo_changes() if photo else {}
        for photo_field, value in changes.values():
            setattr(photo, photo_field, value)
        if changes:
            photo.save(update_fields=[photo_field for photo_field, _value in changes.values()])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if getattr(request, "_nothing_saved", False):  # UnchangedSavesNothingMixin: the ninjs feed's partners too
            self.autosaved_copy_served(request, article)
            if self.asked_transition(request, article) is not None:
                # A button (or a time that no longer fits the status) on an unchanged form: the transition writes
                # the story itself, with its revision, or is refused and nothing at all is written.
                # Not "nothing saved" while it runs, so the transition's own "Published." is not reworded.
                request._nothing_saved, request._status_before_save = False, article.status
                request._nothing_saved = not self.handle_workflow_buttons(request, article, saved=False)
            return
        article.tags.set([*form.cleaned_data["tags"], *Tag.objects.for_names(form.cleaned_data["new_tags"])])
        # A publication time the editor typed in this form is the one to publish at, even a past one (a story
        # dated as it happened); one merely kept from before is not.
        request._publication_time_typed = "published_at" in form.changed_data
        # Last, once bylines and tags are saved: the publish checklist reads them.
        self.handle_workflow_buttons(request, article)
        # After the transition: a story ticked and published in one save leads too.
        if "is_top_story" in form.changed_data and article.is_top_story and article.is_published():
            for other in article.lead_the_home_page():
                self.message_user(request, _("«%(story)s» is no longer the top story.") % {"story": other})

    def response_change(self, request, obj):
        if getattr(request, "_transition_refused", False) and IS_POPUP_VAR not in request.POST:
            # Back to the story, not the list: the messages name what the editor has to put right in it.
            context = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
            return HttpResponseRedirect(add_preserved_filters(context, request.path))
        return super().response_change(request, obj)

    # Bulk actions run the model's transitions one article at a time; "publish" is has_publish_permission.

    @admin.action(description=_("Publish the selected articles"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        published, refused = self.run_transition_on_each(request, queryset, "publish")
        if published:
            self.message_user(
                request,
                ngettext(
                    "%(count)d article published.", "%(count)d articles published.", published
                ) % {"count": published},
                messages.SUCCESS,
            )
        for line in refused:
            self.message_user(request, _("Not published: %(why)s") % {"why": line}, messages.ERROR)

    @admin.action(description=_("Send the selected articles for review"), permissions=["change"])
    def submit_selected(self, request, queryset):
        drafts = queryset.filter(status__in=[Article.Status.DRAFT, Article.Status.UNPUBLISHED])
        sent, refused = self.run_transition_on_each(request, drafts, "submit_for_review")
        if sent:
            self.message_user(
                request,
                ngettext(
                    "%(count)d article sent for review.", "%(count)d articles sent for review.", sent
                ) % {"count": sent},
                messages.SUCCESS,
            )
        for line in refused:
            self.message_user(request, _("Not sent for review: %(why)s") % {"why": line}, messages.ERROR)

    @admin.action(description=_("Unpublish the selected articles"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        # Scheduled ones too: a story scheduled for later has its schedule cancelled (Article.unpublish), and is
        # counted apart, as a draft again.
        chosen = list(queryset.filter(status__in=Article.TIMED).values_list("pk", flat=True))
        unpublished, refused = self.run_transition_on_each(request, queryset.filter(pk__in=chosen), "unpublish")
        cancelled = Article.objects.filter(pk__in=chosen, status=Article.Status.DRAFT).count()
        if unpublished - cancelled:
            self.message_user(
                request,
                ngettext(
                    "%(count)d article unpublished.", "%(count)d articles unpublished.", unpublished - cancelled
                ) % {"count": unpublished - cancelled},
                messages.SUCCESS,
            )
        if cancelled:
            self.message_user(
                request,
                ngettext(
                    "%(count)d schedule cancelled: the article is a draft again.",
                    "%(count)d schedules cancelled: the articles are drafts again.", cancelled,
                ) % {"count": cancelled},
                messages.SUCCESS,
            )
        for line in refused:
            self.message_user(request, _("Not unpublished: %(why)s") % {"why": line}, messages.ERROR)


@admin.register(Section)
class SectionAdmin(UnchangedSavesNothingMixin, EditionAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name_ar", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_ar"]}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "slug" in form.changed_data and form.initial.get("slug"):
            # Its old address, in links and bookmarks readers kept, leads to the new one (articles/old_addresses.py).
            with override(settings.LANGUAGE_CODE):
                old_addresses.remember(obj, [reverse("section", kwargs={"slug": form.initial["slug"]})])


@admin.register(Person)
class PersonAdmin(UnchangedSavesNothingMixin, SafeAutocompleteMixin, EditionAdmin):
    list_display = ["name", "role", "user", "is_active"]
    list_filter = ["role", "is_active"]
    list_select_related = ["user"]
    search_fields = ["name_ar", "name_en", "slug"]
    autocomplete_fields = ["photo", "user"]
    prepopulated_fields = {"slug": ["name_ar"]}

    # The linked account is shown, and linked, only to those who may see accounts: its name is a login name, and
    # an invited contributor's is their e-mail address, which a writer or photographer has no need to read.

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return shown if request.user.has_perm("auth.view_user") else [f for f in shown if f != "user"]

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        return exclude if request.user.has_perm("auth.view_user") else [*exclude, "user"]


def tags_merge(*, keep, tags, by):
    """Fold ``tags`` into ``keep``: every article tagged with any of them ends up tagged with ``keep`` (once),
    and the others are deleted. Returns the names of the tags merged away; raises ValidationError if the tag to
    keep, or every other one, is gone by the time the rows are locked."""
    if by is not None and not (by.has_perm("articles.change_tag") and by.has_perm("articles.delete_tag")):
        raise PermissionDenied(_("Only editors may merge tags."))
    others = [tag.pk for tag in tags if tag.pk != keep.pk]
    # The audit log names tags by their Arabic names (the tags themselves), whatever language the admin runs in.
    with transaction.atomic(), override(settings.LANGUAGE_CODE):
        # Locked (in a fixed order), so an article tagged with one of them meanwhile waits rather than being lost.
        rows = Tag.objects.select_for_update().filter(pk__in=[keep.pk, *others]).order_by("pk")
        locked = {tag.pk: tag for tag in rows}
        if keep.pk not in locked or not set(others) & set(locked):
            # Another editor merged (or deleted) these tags between the list and this merge.
            raise ValidationError(_(
                "These tags changed while you were choosing: another merge or a deletion removed some of them. "
                "Nothing was merged; select the tags again."
            ), code="changed_meanwhile")
        kept, merged = locked[keep.pk], [locked[pk] for pk in others if pk in locked]
        names = sorted(tag.name for tag in merged)
        already_kept = TaggedArticle.objects.filter(tag=keep).values("content_object_id")
        article_ids = set(
            TaggedArticle.objects.filter(tag__in=others).exclude(content_object_id__in=already_kept)
            .values_list("content_object_id", flat=True)
        )
        # An article tagged with two of the merged tags gets the kept one once (the unique constraint would
        # refuse a second row); ignore_conflicts covers one tagged with it by someone else meanwhile.
        TaggedArticle.objects.bulk_create(
            [TaggedArticle(tag=keep, content_object_id=pk) for pk in sorted(article_ids)], ignore_conflicts=True
        )
        # A name the kept tag lacks in an edition is taken from a merged tag (the first in ``tags``' order that has
        # one: the merge form's, most stories first), so that edition's readers keep the tag. Set once the others
        # are gone: the names are unique.
        taken = {}
        for field in TAG_NAME_FIELDS:
            name = next(filter(None, (getattr(tag, field) for tag in merged)), None)
            if name and not getattr(kept, field):
                taken[field] = name
        # Old addresses already leading to a merged tag (an earlier merge, a WordPress archive) lead to the kept one.
        OldAddress.objects.filter(tag__in=others).update(tag=kept)
        Tag.objects.filter(pk__in=others).delete()
        if taken:
            for field, name in taken.items():
                setattr(kept, field, name)
            kept.save()
        # The merged tags' pages and links readers kept lead to the kept tag's (articles/old_addresses.py).
        old_addresses.remember(kept, [reverse("tag", kwargs={"slug": tag.slug}) for tag in merged])
        AuditEntry.record(AuditEntry.Action.TAGS_MERGED, keep, actor=by, detail="، ".join(names))
    return names


class TagMergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        label=_("tag to keep"), queryset=Tag.objects.none(), widget=forms.RadioSelect, empty_label=None,
    )

    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = tags
        self.fields["keep"].label_from_instance = lambda tag: ngettext(
            "%(name)s (%(count)d article)", "%(name)s (%(count)d articles)", tag.article_count
        ) % {"name": " / ".join(tag.names()), "count": tag.article_count}


@admin.register(Tag)
class TagAdmin(UnchangedSavesNothingMixin, EditionAdmin):
    list_display = ["name_ar", "name_en", "slug", "article_count"]
    # Each edition's name, whichever language the admin runs in: the article form's tag box searches here too.
    search_fields = ["name_ar", "name_en", "slug"]
    readonly_fields = ["slug"]
    ordering = ["name_ar"]  # the article count annotation drops the model ordering; pagination needs one
    actions = ["merge_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("tagged_articles"))

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, tag):
        return tag.article_count

    def has_merge_permission(self, request):
        # Merging changes the articles' tagging and deletes tags.
        return self.has_change_permission(request) and self.has_delete_permission(request)

    @admin.action(description=_("Merge the selected tags into one"), permissions=["merge"])
    def merge_selected(self, request, queryset):
        tags = queryset.order_by("-article_count", "name")
        if len(tags) < 2:
            self.message_user(request, _("Select at least two tags to merge."), messages.WARNING)
            return None
        form = TagMergeForm(request.POST if "post" in request.POST else None, tags=tags, initial={"keep": tags[0]})
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            try:
                merged = tags_merge(keep=keep, tags=tags, by=request.user)
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
                return None
            self.message_user(
                request,
                ngettext(
                    "%(count)d tag merged into «%(tag)s»: %(names)s.",
                    "%(count)d tags merged into «%(tag)s»: %(names)s.", len(merged),
                ) % {"count": len(merged), "tag": keep.name, "names": "، ".join(merged)},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(request, "admin/articles/tag/merge_selected.html", {
            **self.admin_site.each_context(request),
            "title": _("Merge tags"),
            "subtitle": None,
            "opts": self.opts,
            "tags": tags,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        })


@admin.register(SupportAppeal)
class SupportAppealAdmin(UnchangedSavesNothingMixin, EditionAdmin):
    list_display = ["heading", "url", "is_active"]


class AuditChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        # One query per kind of target on the page, to link only to what still exists.
        self.result_list = link_audit_targets(list(self.result_list), self.model_admin.admin_site)


def link_audit_targets(entries, site):
    """Give each entry ``target_url``: the admin page of what it concerns, or "" once that is gone."""
    wanted = {}
    for entry in entries:
        if entry.target_type_id and entry.target_id:
            wanted.setdefault(entry.target_type_id, set()).add(entry.target_id)
    existing = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None or not site.is_registered(model):
            continue
        ids = [pk for pk in ids if whole_number(pk) is not None]
        existing[type_id] = {str(pk) for pk in model._default_manager.filter(pk__in=ids).values_list("pk", flat=True)}
    for entry in entries:
        entry.target_url = ""
        if entry.target_id in existing.get(entry.target_type_id, ()):
            opts = entry.target_type.model_class()._meta
            entry.target_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entry.target_id])
    return entries


def _stored_time(text):
    """The aware time an entry stored as ISO text, or None for anything else."""
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


@functools.cache
def _permission_labels(language):
    """Every permission's label by codename, in ``language``: read once a process (migrations alone add them)."""
    with override(language):
        return {
            permission.codename: str(admin_accounts.permission_label(permission))
            for permission in Permission.objects.select_related("content_type")
        }


class ActorListFilter(admin.RelatedOnlyFieldListFilter):
    """Who acted, named as the log's column names them (history.person_name), not by their login."""

    def field_choices(self, field, request, model_admin):
        acted = model_admin.get_queryset(request).values("actor")
        accounts = field.related_model.objects.filter(pk__in=acted).select_related("person")
        return sorted(((account.pk, person_name(account)) for account in accounts), key=lambda choice: choice[1])


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log: read by administrators, written only by the transitions and account changes themselves."""

    list_display = ["at", "actor_name", "action", "target", "detail_shown"]
    list_filter = ["action", ("actor", ActorListFilter)]
    list_select_related = ["actor__person", "target_type"]
    search_fields = ["target_repr", "detail", "actor__username", "actor__first_name", "actor__last_name"]
    date_hierarchy = "at"
    fields = ["at", "actor_name", "action", "target", "detail_shown"]
    readonly_fields = fields
    actions = None
    actor_name = account_as_name(AuditEntry, "actor")

    # Details are stored for the code that reads them back (an edition's code for ninjs's withdrawals, an ISO time,
    # permission codenames) and said here in the reader's words; only the actions that store such a detail are
    # read so. Others hold free text (a tag's name, a byline), shown as it is whatever it looks like.
    RESTORED = re.compile(r"^revision (\d+) \((.+)\)$")
    CODENAME = re.compile(r"(?<![\w])([+-])([a-z_]+)\b")

    @admin.display(description=_("detail"))
    def detail_shown(self, entry):
        detail, action = entry.detail, entry.action
        if action == AuditEntry.Action.WITHDRAWN and detail in dict(settings.LANGUAGES):
            return get_language_info(detail)["name_translated"]
        if action == AuditEntry.Action.PUBLISHED and detail == "scheduled":
            return _("at its scheduled time")
        if action == AuditEntry.Action.SCHEDULED and (when := _stored_time(detail)):
            return local_time(when)
        if action == AuditEntry.Action.REVISION_RESTORED and (match := self.RESTORED.match(detail)):
            when = _stored_time(match[2])
            version = gettext("version %(number)s") % {"number": match[1]}
            return f"{version} ({local_time(when)})" if when else version
        if action == AuditEntry.Action.ROLE_PERMISSIONS_CHANGED:
            named = _permission_labels(get_language())
            return self.CODENAME.sub(lambda match: f"{match[1]}{named.get(match[2], match[2])}", detail)
        return detail

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_auditentry")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    # Nobody writes the log by hand, superusers included.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changelist(self, request, **kwargs):
        return AuditChangeList

    def get_object(self, request, object_id, from_field=None):
        entry = super().get_object(request, object_id, from_field)
        return link_audit_targets([entry], self.admin_site)[0] if entry else None

    @admin.display(description=_("concerning"), ordering="target_repr")
    def target(self, entry):
        if getattr(entry, "target_url", ""):
            return format_html('<a href="{}">{}</a>', entry.target_url, entry.target_repr)
        return entry.target_repr or "—"


# Accounts: the user list with invitations, deactivation and the audit of account changes; the login form.
from . import admin_accounts  # noqa: E402, F401
