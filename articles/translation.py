"""Which reader-facing fields exist per language (django-modeltranslation). Arabic is the source.

``empty_values = ""`` stores an untranslated field as an empty string rather than NULL, so "missing"
means one thing in every query.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Article, Person, Photo, Section, SupportAppeal, Tag


@register(Section)
class SectionTranslation(TranslationOptions):
    fields = ("name",)
    empty_values = ""


@register(Person)
class PersonTranslation(TranslationOptions):
    fields = ("name", "bio")
    empty_values = ""


# No fallback for stories and photos: an English page must never show Arabic text in their place.
@register(Article)
class ArticleTranslation(TranslationOptions):
    # text_changed_at: when each edition's text last changed (a translation older than the source is stale).
    # translated_from: the source text a translation matches (Article.translated_from); unused in the source's own.
    fields = ("headline", "slug", "summary", "body", "lead_photo_caption", "text_changed_at", "translated_from")
    empty_values = {
        "headline": "", "slug": "", "summary": "", "body": "", "lead_photo_caption": "", "text_changed_at": None,
        "translated_from": None,
    }
    fallback_languages = {"default": ()}
    required_languages = {"ar": ("headline",)}


@register(Photo)
class PhotoTranslation(TranslationOptions):
    fields = ("caption", "credit", "alt_text")
    empty_values = ""
    fallback_languages = {"default": ()}


# The appeal is shown only in the editions it was written for.
@register(SupportAppeal)
class SupportAppealTranslation(TranslationOptions):
    fields = ("heading", "text", "tagline", "button_label", "url")
    fallback_languages = {"default": ()}
    empty_values = ""


# A tag without a name in an edition is left out of its pages (Tag.is_named_in), so the fallback to the
# Arabic name shows only in the admin, where an editor working in English still sees which tag it is. An untranslated
# name is NULL, not "": the column is unique, as taggit's own is.
@register(Tag)
class TagTranslation(TranslationOptions):
    fields = ("name",)
    empty_values = None
    required_languages = ("ar",)
