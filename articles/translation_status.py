"""Whether each article has its translations, and whether they are stale: list columns, list filters and the
panel on the article's page. The rules are the QuerySet's (needs_translation, stale_translation) and, for one
article already loaded, the same comparisons made in Python without a query."""

from functools import cache

from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

MISSING, STALE, CURRENT = "missing", "stale", "current"

STATUS_LABELS = {
    MISSING: _("needs translation"),
    STALE: _("translation stale"),
    CURRENT: _("up to date"),
}


def translated_languages():
    """(code, name) of every language an article may be translated into: all but the source."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def translation_status(article, language):
    """MISSING, STALE or CURRENT, by the same rules as in_edition() and stale_translation()."""
    if language not in article.editions():
        return MISSING
    matches = getattr(article, f"translated_from_{language}")
    source_at = getattr(article, f"text_changed_at_{settings.LANGUAGE_CODE}")
    if matches and source_at and matches < source_at:
        return STALE
    return CURRENT


def stale_languages(article):
    """The languages whose translation of ``article`` is stale."""
    return {code for code, _name in translated_languages() if translation_status(article, code) == STALE}


def status_badge(status, language_name=""):
    label = STATUS_LABELS[status]
    text = format_html("{}: {}", language_name, label) if language_name else label
    return format_html('<span class="translation-status translation-{}">{}</span>', status, text)


@cache
def status_column(language, name):
    """A list_display column for one language (made once, like a declared one)."""

    @admin.display(description=name)
    def column(article):
        return status_badge(translation_status(article, language))

    column.__name__ = f"translation_{language}"
    return column


class TranslationFilter(admin.SimpleListFilter):
    """«needs translation» / «translation stale» / up to date, for one language (see for_language)."""

    language = None

    @classmethod
    @cache
    def for_language(cls, language, name):
        return type(f"TranslationFilter_{language}", (cls,), {
            "language": language,
            "parameter_name": f"translation_{language}",
            "title": format_lazy("{}: {}", _("translation"), name),
        })

    def lookups(self, request, model_admin):
        return [(MISSING, STATUS_LABELS[MISSING]), (STALE, STATUS_LABELS[STALE]), (CURRENT, STATUS_LABELS[CURRENT])]

    def queryset(self, request, queryset):
        if self.value() == MISSING:
            return queryset.needs_translation(self.language)
        if self.value() == STALE:
            return queryset.stale_translation(self.language)
        if self.value() == CURRENT:
            return queryset.in_edition(self.language).exclude(
                pk__in=queryset.stale_translation(self.language).values("pk")
            )
        return queryset


def _when(moment):
    return date_format(localtime(moment), "DATETIME_FORMAT") if moment else "—"


def translation_panel(article):
    """Per language: the status, and when the source and the translation were last changed."""
    source_at = getattr(article, f"text_changed_at_{settings.LANGUAGE_CODE}")
    rows = []
    for code, name in translated_languages():
        status = translation_status(article, code)
        if status == MISSING:
            detail = ""
        else:
            detail = format_html(
                _("translation saved {translated}; source changed {source}"),
                translated=_when(getattr(article, f"text_changed_at_{code}")), source=_when(source_at),
            )
        rows.append((status_badge(status, name), detail))
    return format_html(
        '<ul class="translation-panel">{}</ul>',
        format_html_join("", "<li>{} <small>{}</small></li>", rows),
    )


class TranslationStatusMixin:
    """ArticleAdmin's translation status: a column and a filter per translated language, and a panel."""

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["css/desk.css"]})

    def get_list_display(self, request):
        columns = [status_column(code, name) for code, name in translated_languages()]
        return [*super().get_list_display(request), *columns]

    def get_list_filter(self, request):
        filters = [TranslationFilter.for_language(code, name) for code, name in translated_languages()]
        return [*super().get_list_filter(request), *filters]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "translations"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not translated_languages():
            return fieldsets
        # Right after the text and its language tabs, where the editor sees which edition lags behind; with a box
        # to say a stale one is brought up to date, for whoever may change the story.
        fields = ["translations"]
        if self.has_change_permission(request, obj) and stale_languages(obj):
            fields.append("translations_matching_source")
        panel = (_("Translations"), {"fields": fields, "classes": ["translation-status-panel"]})
        return [*fieldsets[:1], panel, *fieldsets[1:]]


    @admin.display(description=_("by language"))
    def translations(self, article):
        return translation_panel(article)
