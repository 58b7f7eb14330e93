"""sitemap.xml, the Google News sitemap and robots.txt: what search engines may find, in which languages.

Every sitemap lists only what readers can see. An English alternate appears only where an English page
exists (a translated article; a tag or person with a translated article), so crawlers never get a 404.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation

from .models import Article, Person, Photo, Section, Tag, TaggedArticle

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class _NewsroomSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def get_languages_for_item(self, item):
        # Each item carries the languages it can be read in (see items()); default: all of them.
        return getattr(item, "sitemap_languages", LANGUAGE_CODES)


class ArticleSitemap(_NewsroomSitemap):
    changefreq = "daily"

    def articles(self):
        # Arabic is the source: every reader-visible article exists in Arabic, so this is the full set.
        # Only the columns the sitemap prints; the bodies stay in the database.
        text = [f"{name}_{code}" for code in LANGUAGE_CODES for name in ("headline", "slug", "body")]
        stamps = [f"text_changed_at_{code}" for code in LANGUAGE_CODES]
        return Article.objects.for_readers(settings.LANGUAGE_CODE).only(
            "pk", "published_at", "updated_at", *text, *stamps
        )

    def items(self):
        items = list(self.articles())
        for article in items:
            article.sitemap_languages = article.editions()
        return items

    def _get(self, name, item, default=None):
        # Django hands lastmod the object without its language; each edition has its own text-change time.
        if name == "lastmod":
            article, code = item
            return getattr(article, f"text_changed_at_{code}", None) or article.updated_at
        return super()._get(name, item, default)

    def lastmod(self, article):  # for get_latest_lastmod(); _get() above gives the per-edition value
        return article.updated_at


class SectionSitemap(_NewsroomSitemap):
    changefreq = "hourly"

    def items(self):
        return Section.objects.all()


def _with_languages(queryset, outer_filter):
    """Mark each row with the languages that have a reader-visible article matching outer_filter."""
    flags = {
        f"in_{code}": Exists(Article.objects.for_readers(code).order_by().filter(**outer_filter))
        for code in LANGUAGE_CODES
    }
    items = list(queryset.annotate(**flags))
    for item in items:
        item.sitemap_languages = [code for code in LANGUAGE_CODES if getattr(item, f"in_{code}")]
    return items


class TagSitemap(_NewsroomSitemap):
    changefreq = "daily"

    def items(self):
        used = TaggedArticle.objects.filter(content_object__in=Article.objects.for_readers(settings.LANGUAGE_CODE))
        return _with_languages(
            Tag.objects.filter(Exists(used.filter(tag=OuterRef("pk")))).order_by("name", "pk"),
            {"tags": OuterRef("pk")},
        )


class PersonSitemap(_NewsroomSitemap):
    changefreq = "weekly"

    def items(self):
        visible = Article.objects.for_readers(settings.LANGUAGE_CODE)
        # The same rule as the person page: a credited photo counts once it is in a story readers can see.
        shown_photos = Photo.objects.filter(Q(lead_of__in=visible) | Q(inline_in__in=visible))
        people = Person.objects.filter(
            Exists(visible.order_by().filter(authors=OuterRef("pk")))
            | Exists(shown_photos.filter(credit_person=OuterRef("pk")))
        ).order_by("name", "pk")
        items = _with_languages(people, {"authors": OuterRef("pk")})
        for person in items:
            # A photographer without bylines still has a page in every language.
            person.sitemap_languages = person.sitemap_languages or LANGUAGE_CODES
        return items


class NewsSitemap(ArticleSitemap):
    """Google News: each edition of the articles published in the last 48 hours, as its own entry."""

    alternates = False
    x_default = False
    limit = 1000  # Google News reads at most 1,000 URLs per sitemap.

    def articles(self):
        return super().articles().filter(published_at__gte=timezone.now() - timezone.timedelta(hours=48))

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        names = {}
        for url in urls:
            article, code = url["item"]
            if code not in names:
                with translation.override(code):
                    names[code] = str(admin.site.site_header)
            url["news"] = {
                "name": names[code],
                "language": code,
                "publication_date": article.published_at,
                "title": getattr(article, f"headline_{code}"),
            }
        return urls


sitemaps = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "people": PersonSitemap,
}
news_sitemaps = {"news": NewsSitemap}


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        # Search results: endless, costly to compute, and marked noindex anyway.
        "Disallow: /search/",
        # The English site lives under /en/, so its admin, previews and search need their own lines.
        *(f"Disallow: /{code}/{part}/" for code in LANGUAGE_CODES if code != settings.LANGUAGE_CODE
          for part in ("admin", "preview", "search")),
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap_news'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
