"""What an article page tells search engines and social networks about itself: its canonical address and
editions, the Open Graph and Twitter share card, and the schema.org ``NewsArticle`` printed as JSON-LD."""

from dataclasses import dataclass

from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, override

from .renditions import share_images, social_image
from .templatetags.newsroom import site_name

# Open Graph wants language_TERRITORY; Facebook's own list spells Arabic ar_AR.
OG_LOCALES = {"ar": "ar_AR", "en": "en_US"}

# The publisher's logo (scripts/draw_logo.py draws it): Google asks for a wordmark within 600×60.
LOGO = ("img/logo.png", 202, 60)


@dataclass(frozen=True)
class ArticleMetadata:
    canonical: str
    editions: dict  # language code -> absolute public address, the current one included
    locale: str
    alternate_locales: list
    published: str  # ISO 8601 in the newsroom's time zone; empty for a story never published
    modified: str
    section: str
    tags: list
    image: dict | None  # url, width, height, alt: the 1200×630 social rendition, never a sensitive photo
    site_name: str
    structured_data: dict


def article_metadata(request, story):
    """Everything the article page's <head> says about ``story`` (fetched with for_detail(): no query here).

    Every address is absolute and public: a share card or a search engine has no use for a relative one,
    and a preview must never announce its signed address as the article's.
    """
    absolute = request.build_absolute_uri
    current = get_language()
    editions = {}
    for code in story.editions():
        with override(code):
            editions[code] = absolute(story.get_absolute_url())
    canonical = editions.get(current) or absolute(story.get_absolute_url())
    published = _iso(story.published_at)
    # This edition's last change of text when readers are told of it (the page's «Updated» line), else the
    # publication: the text a story was published with is not a modification.
    modified = _iso(story.text_changed_at if story.was_updated else story.published_at)
    section = story.section.name if story.section else ""
    tags = [tag.name for tag in story.tags_shown()]
    image = _image(absolute, story)
    name = site_name()
    structured = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.headline,
        "description": story.summary,
        # Google asks for several shapes (wide, 16:9, square); the share card keeps the wide one alone.
        "image": [absolute(url) for url in share_images(story.lead_photo)],
        "datePublished": published,
        "dateModified": modified,
        "inLanguage": current,
        "url": canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "author": [
            {"@type": "Person", "name": person.name, "url": absolute(person.get_absolute_url())}
            for person in story.authors.all()
        ],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": name,
            "url": absolute(reverse("home")),
            "logo": {"@type": "ImageObject", "url": absolute(static(LOGO[0])), "width": LOGO[1], "height": LOGO[2]},
        },
        "articleSection": section,
        "keywords": tags,
    }
    return ArticleMetadata(
        canonical=canonical,
        editions=editions,
        locale=OG_LOCALES.get(current, current),
        alternate_locales=[OG_LOCALES.get(code, code) for code in editions if code != current],
        published=published,
        modified=modified,
        section=section,
        tags=tags,
        image=image,
        site_name=name,
        # Empty values (no summary, no photo, a story never published) are left out rather than printed blank.
        structured_data={key: value for key, value in structured.items() if value},
    )


def _iso(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def _image(absolute, story):
    social = social_image(story.lead_photo)
    if social is None:
        return None
    url, width, height = social
    photo = story.lead_photo
    return {"url": absolute(url), "width": width, "height": height, "alt": photo.alt_text or photo.caption}
