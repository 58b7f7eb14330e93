"""The photo library's admin pieces: the upload forms and view, the list filters and the panels on a photo's page.

PhotoAdmin itself (in admin.py) stays a declaration; what it shows and accepts is built here.
"""

from collections import Counter

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.models import Version

from .editing import PHOTO_TAKEABLE, photo_edit_conflict, put_in_form
from .intake import ACCEPT, PhotoFileField, create_photo, fill_photo_from_file, store_photo_file
from .models import MISSING_ALT_TEXT, MISSING_CREDIT, Article, InlinePhoto, Person, Photo
from .renditions import picture, thumbnail_url

# Each photo is re-encoded and its renditions made inside the request (about 1 s for a 24-megapixel JPEG on
# the development machine): 20 large photos take about 20 s, inside gunicorn's default 30-second worker
# timeout (the README still recommends --timeout 60 for slower machines).
MAX_FILES_PER_UPLOAD = 20

# What intake reads from a file, in the order the "From the file" panel lists it.
FILE_METADATA_LABELS = {
    "caption": _("caption"),
    "credit": _("credit"),
    "creator": _("creator"),
    "copyright_notice": _("copyright notice"),
    "taken_at": _("date taken"),
    # Kept by the WordPress importer where the attachment had both a caption and a description (Photo has no
    # description field): shown here so an editor sees it.
    "wordpress_description": _("description (WordPress)"),
}


def thumbnail(photo, size=80):
    """The square admin thumbnail rendition (the original, cropped by CSS, until it exists); never a query."""
    if not photo or not photo.image:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" class="admin-thumbnail" loading="lazy">',
        thumbnail_url(photo), photo.alt_text, size, size,
    )


def field_label(name):
    """caption_ar -> "caption": the name an editor knows, without the language suffix."""
    field = Photo._meta.get_field(name)
    return getattr(field, "translated_field", field).verbose_name


def prefilled_labels(photo):
    return [str(field_label(name)) for name in photo.prefilled_fields or []]


# List filters


class MissingCreditFilter(admin.SimpleListFilter):
    title = _("credit")
    parameter_name = "credit"

    def lookups(self, request, model_admin):
        return [("missing", _("Missing credit")), ("present", _("Credited"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(MISSING_CREDIT)
        if self.value() == "present":
            return queryset.exclude(MISSING_CREDIT)
        return queryset


class MissingAltTextFilter(admin.SimpleListFilter):
    title = _("alt text")
    parameter_name = "alt_text"

    def lookups(self, request, model_admin):
        return [("missing", _("Missing alt text")), ("present", _("With alt text"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(MISSING_ALT_TEXT)
        if self.value() == "present":
            return queryset.exclude(MISSING_ALT_TEXT)
        return queryset


class UsageFilter(admin.SimpleListFilter):
    """In use: a lead photo, a photo in an article's body, or someone's portrait."""

    title = _("use")
    parameter_name = "use"

    def lookups(self, request, model_admin):
        return [("unused", _("Unused")), ("used", _("In use"))]

    def queryset(self, request, queryset):
        in_use = (
            Q(Exists(Article.objects.filter(lead_photo=OuterRef("pk"))))
            | Q(Exists(InlinePhoto.objects.filter(photo=OuterRef("pk"))))
            | Q(Exists(Person.objects.filter(photo=OuterRef("pk"))))
        )
        if self.value() == "unused":
            return queryset.exclude(in_use)
        if self.value() == "used":
            return queryset.filter(in_use)
        return queryset


# Panels on a photo's change page


def focal_point_picker(photo):
    """The whole photo at a readable size; focal-point.js turns a click on it into focal_x/focal_y."""
    if not photo or not photo.image:
        return "—"
    # The "article" size is never cropped, so a point on it is a point on the original.
    shown = picture(photo, "article")
    return format_html(
        '<div class="focal-point" data-focal-point data-input-x="id_focal_x" data-input-y="id_focal_y">'
        '<img src="{}" alt="{}" width="{}" height="{}">'
        '<span class="focal-point-marker" hidden></span></div>'
        '<p class="help focal-point-help">{}</p>',
        shown.src, photo.alt_text, shown.width or "", shown.height or "",
        _("Click the main subject to set the focal point every crop keeps in view."),
    )


def file_metadata_panel(photo):
    """What the uploaded file said, where it said it, and which fields it filled in."""
    metadata = photo.embedded_metadata or {}
    filled = set(photo.prefilled_fields or [])
    rows = []
    for key, label in FILE_METADATA_LABELS.items():
        item = metadata.get(key)
        if not isinstance(item, dict) or not item.get("value"):
            continue
        was_filled = key in filled or any(f"{key}_{code}" in filled for code, _name in settings.LANGUAGES)
        rows.append((label, item["value"], item.get("source", ""), _("filled in") if was_filled else ""))
    if not rows:
        return _("The file carried no caption, credit, creator, copyright notice or date.")
    return format_html(
        '<table class="photo-file-metadata"><thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
        '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
        _("field"), _("value in the file"), _("source"), _("pre-filled"),
        format_html_join(
            "",
            '<tr><th scope="row">{}</th><td><bdi>{}</bdi></td><td>{}</td><td class="prefilled">{}</td></tr>',
            rows,
        ),
    )


def change_url(obj):
    return reverse(f"admin:articles_{obj._meta.model_name}_change", args=[obj.pk])


def _link_list(items):
    return format_html("<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a>{}</li>', items))


def _named_and_unseen(articles, readers_only):
    """The articles to name, each with its link and status note, and the ids of those left unnamed: for the photo
    desk (``readers_only``, who may not read the newsroom's articles) only the stories readers can read, linked on
    the site, since a draft's headline is not theirs to see; for everyone else all, with admin links."""
    articles = articles.order_by("-pk")
    if not readers_only:
        return [(change_url(a), a.headline, format_html(" ({})", a.get_status_display())) for a in articles], []
    on_site = Article.objects.published()
    named = [(article.get_absolute_url(), article.headline, "") for article in articles.filter(pk__in=on_site)]
    return named, list(articles.exclude(pk__in=on_site).values_list("pk", flat=True))


def _unseen_count(unseen):
    count = len(set(unseen))
    return ngettext("%(count)d article", "%(count)d articles", count) % {"count": count}


def usage_panel(photo, *, readers_only=False):
    """Every article that shows this photo, and every person whose portrait it is, with links (_named_and_unseen)."""
    if not photo or not photo.pk:
        return "—"
    lead, unseen_lead = _named_and_unseen(photo.lead_of.all(), readers_only)
    inline, unseen_inline = _named_and_unseen(photo.inline_in.all(), readers_only)
    groups = [
        (_("Lead photo of"), lead),
        (_("In the body of"), inline),
        (_("Portrait of"), [(change_url(person), person.name, "") for person in Person.objects.filter(photo=photo)]),
    ]
    groups = [(title, _link_list(items)) for title, items in groups if items]
    if unseen_lead or unseen_inline:
        groups.append((_("Not published yet"), format_html("<p>{}</p>", _unseen_count(unseen_lead + unseen_inline))))
    if not groups:
        return _("Not used in any article, nor as a portrait.")
    return format_html_join("", '<div class="photo-usage"><h4>{}</h4>{}</div>', groups)


def articles_using(photos, *, readers_only=False):
    """The refusal to delete photos in use: each article (lead or body) and each portrait, with its link; of several
    photos chosen at once, each line names the photo it is about."""
    photos = list(photos)
    if len(photos) > 1:
        return [
            format_html("«{}» — {}", photo, line)
            for photo in photos for line in articles_using([photo], readers_only=readers_only)
        ]
    ids = [photo.pk for photo in photos]
    using = Article.objects.filter(Q(lead_photo__in=ids) | Q(inline_photos__in=ids)).distinct()
    named, unseen = _named_and_unseen(using, readers_only)
    lines = [
        format_html('{}: <a href="{}">{}</a>', capfirst(Article._meta.verbose_name), url, headline)
        for url, headline, _note in named
    ]
    if unseen:
        lines.append(format_html("{}: {}", _("Not published yet"), _unseen_count(unseen)))
    return lines + [
        format_html('{}: <a href="{}">{}</a>', capfirst(_("portrait")), change_url(person), person.name)
        for person in Person.objects.filter(photo__in=ids)
    ]


# Forms


def last_revision(photo):
    """The id of the photo's newest revision (0 before its first): every save of its words makes one, wherever
    they were typed, the photo's own screen or a story's lead photo box."""
    return Version.objects.get_for_object(photo).values_list("revision_id", flat=True).first() or 0


class PhotoAdminForm(forms.ModelForm):
    """The photo screen's form. It carries the photo's last revision as it was opened: a save from a form opened
    before someone else's save is refused with the typed words kept, rather than silently undoing theirs."""

    image = PhotoFileField(
        label=_("image"),
        help_text=_("JPEG, PNG, WebP or GIF. Location and camera data are removed from every stored copy."),
    )
    opened_revision = forms.IntegerField(required=False, min_value=0, max_value=2**63 - 1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if self.instance.pk:
            self.initial["opened_revision"] = last_revision(self.instance)
            # Each word as it was shown goes back with the form, so a refused save knows what was left alone.
            for name in PHOTO_TAKEABLE:
                if name in self.fields:
                    self.fields[name].show_hidden_initial = True

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # Locked until this save's revision is written (the admin's transaction): of two saves sent at once from
            # the same version, the second waits, then finds the first's revision.
            Photo.objects.select_for_update().filter(pk=self.instance.pk).exists()
            latest = last_revision(self.instance)
            if cleaned.get("opened_revision") != latest:
                self.add_error(None, ValidationError(
                    _("Someone saved this photo after you opened it, so your changes were not saved. The form keeps "
                      "what you changed and shows their version of the rest: check it, then save again."),
                    code="edit_conflict",
                ))
                self.conflict = photo_edit_conflict(self.instance, cleaned.get("opened_revision"))
                self.data = self.data.copy()
                self.data[self.add_prefix("opened_revision")] = str(latest)
                # The form is drawn again showing the photo as saved now (self.instance, loaded for this save): in
                # what this person left alone, and as what the next save measures their own changes against.
                mine = [name for name in PHOTO_TAKEABLE if name in self.fields and name in self.changed_data]
                for name in PHOTO_TAKEABLE:
                    if name in self.fields:
                        saved = getattr(self.instance, Photo._meta.get_field(name).attname)
                        if name not in mine:
                            put_in_form(self, name, saved)
                        put_in_form(self, name, saved, as_shown=True)
                # The list of their changes says, for each, what the form now holds (reversion/diff_table.html).
                for row in self.conflict["changes"] or []:
                    taken = row["name"] in PHOTO_TAKEABLE and row["name"] in self.fields
                    row["in_form"] = ("yours" if row["name"] in mine else "theirs") if taken else ""
        return cleaned

    def _post_clean(self):
        # After the model's own validation (as Django's UserCreationForm checks passwords): a form otherwise
        # valid gets its new file filled in and written now, so a storage that refuses it is an error on the
        # image field like any refused file. PhotoAdmin.changeform_view removes the file if the save then fails.
        super()._post_clean()
        prepared = getattr(self.cleaned_data.get("image"), "prepared", None)
        if prepared is None or self.errors:
            return
        fill_photo_from_file(self.instance, prepared)
        try:
            store_photo_file(self.instance)
        except ValidationError as refusal:
            self.add_error("image", refusal)

    class Meta:
        model = Photo
        fields = "__all__"  # noqa: DJ007 - the admin lays the fields out in fieldsets
        # Without JavaScript these two are the focal point picker: keep the browser's own checks honest.
        widgets = {
            "focal_x": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
            "focal_y": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
        }


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files in one field; each is judged later, one by one, so a bad file never sinks the batch."""

    def __init__(self, *, max_files=MAX_FILES_PER_UPLOAD, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [upload for upload in (data if isinstance(data, (list, tuple)) else [data]) if upload]
        if not files:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(files) > self.max_files:
            raise ValidationError(
                ngettext(
                    "You can upload at most %(max)d photo at once; you chose %(count)d.",
                    "You can upload at most %(max)d photos at once; you chose %(count)d.",
                    self.max_files,
                ),
                code="too_many_files", params={"max": self.max_files, "count": len(files)},
            )
        return files


class PhotoUploadForm(forms.Form):
    images = MultipleImageField(label=_("photos"))
    credit = forms.CharField(
        label=_("credit"), required=False, max_length=Photo._meta.get_field("credit").max_length,
        help_text=_("Applied to every photo in this upload; leave empty to use the credit inside each file."),
    )
    is_sensitive = forms.BooleanField(
        label=_("sensitive image"), required=False,
        help_text=_("Graphic content: mark every photo in this upload as sensitive."),
    )

    def __init__(self, *args, credit_person_field, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["images"].help_text = _("Choose up to %(max)d JPEG, PNG, WebP or GIF files.") % {
            "max": self.fields["images"].max_files
        }
        # The same autocomplete field the photo form uses, so forged ids and permissions are handled once.
        self.fields["credit_person"] = credit_person_field
        self.order_fields(["images", "credit", "credit_person", "is_sensitive"])

    def shared_fields(self):
        """The values every photo of the batch gets."""
        return {
            f"credit_{settings.LANGUAGE_CODE}": self.cleaned_data["credit"],
            "credit_person": self.cleaned_data["credit_person"],
            "is_sensitive": self.cleaned_data["is_sensitive"],
        }


# Views


def store_uploads(files, *, uploaded_by, **fields):
    """Store each good file as a photo; a bad file leaves nothing behind and comes back with its reasons."""
    stored, refused = [], []
    for upload in files:
        try:
            stored.append(create_photo(file=upload, uploaded_by=uploaded_by, **fields))
        except ValidationError as error:
            refused.append((upload.name, error.messages))
    return stored, refused


def upload_photos_view(model_admin, request):
    """Several photos at once, sharing a credit, a photographer and the sensitive flag."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    credit_person = model_admin.formfield_for_foreignkey(Photo._meta.get_field("credit_person"), request)
    if request.method == "POST":
        form = PhotoUploadForm(request.POST, request.FILES, credit_person_field=credit_person)
    else:
        form = PhotoUploadForm(credit_person_field=credit_person)
    refused = []
    if form.is_valid():
        stored, refused = store_uploads(
            form.cleaned_data["images"], uploaded_by=request.user, **form.shared_fields()
        )
        if stored:
            report_upload(model_admin, request, stored, refused)
            ids = ",".join(str(photo.pk) for photo in stored)
            return redirect(f"{reverse('admin:articles_photo_changelist')}?id__in={ids}")
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Upload photos"),
        "opts": Photo._meta,
        "form": form,
        "refused": refused,
        "max_files": MAX_FILES_PER_UPLOAD,
        "media": forms.Media(css={"all": ["css/admin.css"]}) + form.media,
    }
    return TemplateResponse(request, "admin/articles/photo/upload.html", context)


def report_upload(model_admin, request, stored, refused):
    for photo in stored:
        model_admin.log_addition(request, photo, [{"added": {}}])
    model_admin.message_user(
        request,
        ngettext("%(count)d photo uploaded.", "%(count)d photos uploaded.", len(stored)) % {"count": len(stored)},
        messages.SUCCESS,
    )
    filled = Counter(label for photo in stored for label in prefilled_labels(photo))
    if filled:
        model_admin.message_user(
            request,
            _("Filled from the files: %(fields)s.")
            % {"fields": "، ".join(f"{label} ({count})" for label, count in filled.items())},
            messages.INFO,
        )
    for name, reasons in refused:
        # First-strong isolates keep a Latin file name from reordering the Arabic sentence around it.
        isolated = f"\u2068{name}\u2069"
        model_admin.message_user(
            request, _("Not uploaded: «%(name)s»: %(reasons)s") % {"name": isolated, "reasons": " ".join(reasons)},
            messages.ERROR,
        )


def thumbnail_redirect_view(model_admin, request, object_id):
    """The thumbnail rendition of a photo, by id: what the rich-text editor's photo button shows."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    return redirect(thumbnail_url(get_object_or_404(Photo, pk=object_id)))
