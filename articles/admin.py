"""The newsroom's admin screens: declarative, Arabic, with the rules left to the models."""

import re
from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin
from taggit.models import Tag as TaggitTag

from . import photo_admin
from .history import ArticleHistoryMixin, VersionCheckedFormMixin
from .intake import fill_photo_from_file
from .models import Article, ArticleAuthor, Person, Photo, Section, SupportAppeal, Tag
from .photo_admin import thumbnail
from .renditions import ensure_renditions
from .roles import ArticlePermissionsMixin
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
        return super().optgroups(name, [v for v in value if str(v).isdigit() and int(v) < 2**63], attr)


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


@admin.register(Photo)
class PhotoAdmin(SafeAutocompleteMixin, TabbedTranslationAdmin):
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
        "focal_point_picker", "file_metadata", "usage", "width", "height", "uploaded_by", "uploaded_at",
    ]
    fieldsets = [
        (None, {"fields": ["image", "focal_point_picker", "focal_x", "focal_y"]}),
        (_("Caption and credit"), {"fields": ["caption", "credit", "credit_person", "alt_text", "is_sensitive"]}),
        (_("Rights"), {"fields": ["creator", "copyright_notice", "taken_at"]}),
        (_("From the file"), {"fields": ["file_metadata"]}),
        (_("Where it is used"), {"fields": ["usage"]}),
        (_("Record"), {"fields": ["width", "height", "uploaded_by", "uploaded_at"], "classes": ["collapse"]}),
    ]

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/focal-point.js"]

    # Nothing to point at, read or list before the file is uploaded.
    change_only_fields = [
        "focal_point_picker", "focal_x", "focal_y", "file_metadata", "usage",
        "width", "height", "uploaded_by", "uploaded_at",
    ]

    def get_fieldsets(self, request, obj=None):
        # Filtered rather than declared twice: modeltranslation has already split the translated fields.
        fieldsets = super().get_fieldsets(request, obj)
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

    def save_model(self, request, obj, form, change):
        prepared = getattr(form.cleaned_data.get("image"), "prepared", None)
        if not change:
            obj.uploaded_by = request.user
        if prepared:
            replaced = form.initial.get("image")
            replaced_name = replaced.name if replaced else ""
            fill_photo_from_file(obj, prepared)
            # Saving writes the file; if the transaction then rolls back, changeform_view removes it.
            request._photo_with_new_file = obj
        super().save_model(request, obj, form, change)
        if prepared:
            if replaced_name and replaced_name != obj.image.name:
                transaction.on_commit(partial(obj.image.storage.delete, replaced_name))
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
            # The row was rolled back; a file written for it must not outlive it. An image not yet
            # committed to storage was never written.
            photo = getattr(request, "_photo_with_new_file", None)
            if photo and photo.image.name and getattr(photo.image, "_committed", False):
                photo.image.storage.delete(photo.image.name)
            raise

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            # Name the articles (an inline use would otherwise read "photo in the body: <this photo>"). Nothing
            # is deleted along with a photo in use, so Django's request for delete rights on them is moot.
            protected = photo_admin.articles_using(objs) or protected
            perms_needed = set()
        return deleted, model_count, perms_needed, protected


class BylineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if self.instance.status != Article.Status.PUBLISHED:
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

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 - the admin lays the fields out in fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"] = forms.ModelMultipleChoiceField(
            queryset=Tag.objects.all(), required=False, label=_("tags"),
            widget=SafeAutocompleteSelectMultiple(
                Article._meta.get_field("tags"), admin.site
            ),
        )
        if self.instance.pk:
            self.initial["tags"] = list(self.instance.tags.all())
        photo = self.instance.lead_photo if self.instance.lead_photo_id else None
        if photo:
            self.initial.setdefault("lead_photo_credit", photo.credit_ar)
            self.initial.setdefault("lead_photo_alt_text", photo.alt_text_ar)

    def clean_new_tags(self):
        # Writers type the Arabic comma as often as the Latin one.
        names = [name.strip() for name in re.split("[,،]", self.cleaned_data["new_tags"])]
        names = [name for name in names if name]
        if any(len(name) > 100 for name in names):
            raise ValidationError(_("A tag may be at most 100 characters long."))
        return names

    def clean(self):
        cleaned = super().clean()
        # A published article stays publishable: its section and lead photo cannot be removed.
        if self.instance.status == Article.Status.PUBLISHED:
            if "section" in cleaned and not cleaned.get("section"):
                self.add_error("section", _("A published article needs a section."))
            if "lead_photo" in cleaned and not cleaned.get("lead_photo"):
                if settings.NEWSROOM_REQUIRE_LEAD_PHOTO:
                    self.add_error("lead_photo", _("A published article needs a lead photo."))
            if "published_at" in cleaned and not cleaned.get("published_at"):
                self.add_error("published_at", _("A published article needs a publication time."))
        return cleaned


@admin.register(Article)
class ArticleAdmin(
    # Each concern of the article screen lives in its own module: who may (roles), the trash, and the
    # history (revisions, conflicts, autosave). The rest is declared here.
    ArticlePermissionsMixin, TrashMixin, ArticleHistoryMixin, SafeAutocompleteMixin, TabbedTranslationAdmin,
):
    form = ArticleAdminForm
    inlines = [ArticleAuthorInline]
    list_display = [
        "lead_thumbnail", "headline", "status", "section", "bylines", "published_at", "is_top_story",
    ]
    list_display_links = ["lead_thumbnail", "headline"]
    list_filter = ["status", "section", ("authors", admin.RelatedOnlyFieldListFilter), "is_top_story"]
    list_select_related = ["section", "lead_photo"]
    search_fields = ["headline_ar", "headline_en", "summary_ar", "summary_en"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["section", "lead_photo", "related_articles"]
    readonly_fields = ["status", "lead_photo_preview", "created_at", "updated_at", "created_by", "updated_by"]
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
            {"fields": ["created_at", "created_by", "updated_at", "updated_by"], "classes": ["collapse"]},
        ),
    ]
    actions = ["publish_selected", "submit_selected", "unpublish_selected"]
    change_form_template = "admin/articles/article/change_form.html"

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).with_bylines()

    @admin.display(description=_("photo"))
    def lead_thumbnail(self, article):
        return thumbnail(article.lead_photo, size=60)

    @admin.display(description=_("lead photo"))
    def lead_photo_preview(self, article):
        return thumbnail(article.lead_photo, size=240)

    @admin.display(description=_("authors"))
    def bylines(self, article):
        return "، ".join(person.name for person in article.authors.all())

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        self._save_lead_photo_fields(obj.lead_photo, form)

    @staticmethod
    def _save_lead_photo_fields(photo, form):
        """Write the credit and alt text typed here onto the photo, and only what the editor changed.

        A blank field next to a newly chosen photo means "not typed", never "erase this photo's credit".
        """
        if not photo:
            return
        changed = []
        for form_field, photo_field in [
            ("lead_photo_credit", f"credit_{settings.LANGUAGE_CODE}"),
            ("lead_photo_alt_text", f"alt_text_{settings.LANGUAGE_CODE}"),
        ]:
            value = form.cleaned_data.get(form_field, "").strip()
            if form_field in form.changed_data and (value or "lead_photo" not in form.changed_data):
                setattr(photo, photo_field, value)
                changed.append(photo_field)
        if changed:
            photo.save(update_fields=changed)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        article.tags.set([*form.cleaned_data["tags"], *form.cleaned_data["new_tags"]])
        if "_publish" in request.POST:
            self._publish(request, article)
        elif "_submit_for_review" in request.POST and article.status == Article.Status.DRAFT:
            article.submit_for_review(by=request.user)
            self.message_user(request, _("Sent to the editors for review."), messages.SUCCESS)

    def _publish(self, request, article):
        try:
            # A savepoint, so a refused publication keeps the edits that were just saved.
            with transaction.atomic():
                article.publish(by=request.user)
        except ValidationError as refusal:
            self.message_user(
                request,
                _("Saved, but not published: %(reasons)s") % {"reasons": " ".join(refusal.messages)},
                messages.ERROR,
            )
        else:
            self.message_user(request, _("Published."), messages.SUCCESS)

    @admin.action(description=_("Publish the selected articles"))
    def publish_selected(self, request, queryset):
        published, refused = 0, []
        for article in queryset:
            try:
                article.publish(by=request.user)
                published += 1
            except ValidationError as refusal:
                refused.append(f"«{article.headline}»: {' '.join(refusal.messages)}")
        if published:
            self.message_user(
                request,
                ngettext("%d article published.", "%d articles published.", published) % published,
                messages.SUCCESS,
            )
        for line in refused:
            self.message_user(request, _("Not published: %(why)s") % {"why": line}, messages.ERROR)

    @admin.action(description=_("Send the selected articles for review"))
    def submit_selected(self, request, queryset):
        drafts = queryset.filter(status=Article.Status.DRAFT)
        for article in drafts:
            article.submit_for_review(by=request.user)
        self.message_user(request, _("Sent for review."), messages.SUCCESS)

    @admin.action(description=_("Unpublish the selected articles"))
    def unpublish_selected(self, request, queryset):
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            article.unpublish(by=request.user)
        self.message_user(request, _("Unpublished."), messages.SUCCESS)


@admin.register(Section)
class SectionAdmin(TabbedTranslationAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name_ar", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_ar"]}


@admin.register(Person)
class PersonAdmin(SafeAutocompleteMixin, TabbedTranslationAdmin):
    list_display = ["name", "role", "user", "is_active"]
    list_filter = ["role", "is_active"]
    list_select_related = ["user"]
    search_fields = ["name_ar", "name_en", "slug"]
    autocomplete_fields = ["photo", "user"]
    prepopulated_fields = {"slug": ["name_ar"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    readonly_fields = ["slug"]


@admin.register(SupportAppeal)
class SupportAppealAdmin(TabbedTranslationAdmin):
    list_display = ["heading", "url", "is_active"]
