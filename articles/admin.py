"""The newsroom's admin screens: declarative, Arabic, with the rules left to the models."""

import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin
from taggit.models import Tag as TaggitTag

from .models import Article, ArticleAuthor, Person, Photo, Section, SupportAppeal, Tag

# We use our own Tag model (Arabic slugs); taggit's stock one would only confuse editors.
admin.site.unregister(TaggitTag)
admin.site.site_header = _("Newsroom")
admin.site.site_title = _("Newsroom")
admin.site.index_title = _("Editorial desk")


class NumericIdsOnly:
    """Django's autocomplete widget looks up whatever id was posted when it redisplays a form with errors;
    a forged, non-numeric id would make that a server error instead of a form error."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if str(v).isdigit()], attr)


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


def thumbnail(photo, size=80):
    if not photo or not photo.image:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" width="{}" class="admin-thumbnail" loading="lazy">',
        photo.image.url, photo.alt_text, size,
    )


class MissingCreditFilter(admin.SimpleListFilter):
    title = _("credit")
    parameter_name = "credit"

    def lookups(self, request, model_admin):
        return [("missing", _("Missing credit")), ("present", _("Credited"))]

    def queryset(self, request, queryset):
        credit = f"credit_{settings.LANGUAGE_CODE}"
        no_credit = (Q(**{credit: ""}) | Q(**{f"{credit}__isnull": True})) & Q(credit_person__isnull=True)
        if self.value() == "missing":
            return queryset.filter(no_credit)
        if self.value() == "present":
            return queryset.exclude(no_credit)
        return queryset


@admin.register(Photo)
class PhotoAdmin(SafeAutocompleteMixin, TabbedTranslationAdmin):
    list_display = ["preview", "caption", "credit_line", "width", "height", "uploaded_at"]
    list_display_links = ["preview", "caption"]
    list_filter = [MissingCreditFilter, "uploaded_at"]
    list_select_related = ["credit_person"]
    search_fields = ["caption_ar", "caption_en", "credit_ar", "credit_en", "alt_text_ar"]
    autocomplete_fields = ["credit_person"]
    readonly_fields = ["preview_large", "width", "height", "uploaded_by", "uploaded_at"]

    class Media:
        css = {"all": ["css/admin.css"]}

    fields = [
        "image", "preview_large", "caption", "credit", "credit_person", "alt_text",
        "width", "height", "uploaded_by", "uploaded_at",
    ]

    @admin.display(description=_("photo"))
    def preview(self, photo):
        return thumbnail(photo)

    @admin.display(description=_("preview"))
    def preview_large(self, photo):
        return thumbnail(photo, size=320)

    @admin.display(description=_("credit"))
    def credit_line(self, photo):
        return photo.credit_line or format_html('<strong class="missing">{}</strong>', _("missing"))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)


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


class ArticleAdminForm(forms.ModelForm):
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
class ArticleAdmin(SafeAutocompleteMixin, TabbedTranslationAdmin):
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
