"""sitemap.xml, the Google News sitemap and robots.txt: what search engines may find, in which languages.

/sitemap.xml is an index naming one sitemap per kind of page (/sitemap-articles.xml and so on), each in pages of a
thousand ids (?p=2 …, IdBlocks), so that no page lists more rows as the archive grows. Every sitemap lists only what
readers can see. An English alternate appears only where the English page has something to show (a translated
article; a section holding one; a tag named in English with one; a person with a byline on one or a credited photo
in one), so crawlers get neither a 404 nor an empty page.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Exists, Max, OuterRef, Subquery
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import MANY_STORIES, Article, ArticleAuthor, Person, Section, Tag, TaggedArticle, any_of, photos_shown_ways
from .text import xml_text

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
ALTERNATE_LINK = '<xhtml:link rel="alternate" hreflang="%s" href="%s"/>'


class _NewsroomSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def get_languages_for_item(self, item):
        # Each item carries the languages it can be read in (see _with_languages()); default: all of them.
        return getattr(item, "sitemap_languages", LANGUAGE_CODES)

    @cached_property
    def _locations(self):
        return {}

    def _location(self, item, force_lang_code=None):
        # Django reverses an address once as itself, again as an alternate of every edition's entry and again as
        # x-default: four reverse()s for each address of a tag in two editions, half of a page's time. A page
        # (one instance a request) reverses each address once.
        key = (item[0].pk, force_lang_code or item[1])
        if key not in self._locations:
            self._locations[key] = super()._location(item, force_lang_code)
        return self._locations[key]

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            # Joined here for templates/sitemaps/sitemap.xml: looped over in the template, the alternates took a
            # third of a tag page's time. The language codes are settings.LANGUAGES'; the addresses are escaped.
            url["alternate_links"] = mark_safe("".join(  # noqa: S308 - addresses escaped, codes from settings
                ALTERNATE_LINK % (alternate["lang_code"], escape(alternate["location"]))
                for alternate in url["alternates"]
            ))
        return urls


class IdBlocks(Paginator):
    """A sitemap's pages by blocks of ids: page n holds what the sitemap shows of the rows with ids from
    (n - 1) × limit + 1 to n × limit, at an address per language each exists in.

    Django's own paginator counts everything and reads each page at an offset, and its multilingual sitemaps pair
    every item with its languages before cutting a page: at 100,000 stories /sitemap.xml read every story, bodies
    and all (14.6 s, 585 MB and 52.5 MB of XML on SQLite). A block is read through the primary key whatever the
    archive's size, and an item keeps its page as the archive grows, so a crawler re-reads only the pages that
    changed. A block of drafts, trashed stories or unused tags is an empty page.
    """

    def __init__(self, sitemap):
        super().__init__([], sitemap.limit)
        self.sitemap = sitemap

    @cached_property
    def num_pages(self):
        # Up to the newest row's block, shown or not: the end of the primary key index. (The newest story readers
        # see had the databases sort every story by id: 20 ms at 100,000 on SQLite.)
        newest = self.sitemap.model.objects.aggregate(newest=Max("pk"))["newest"] or 0
        return max(1, -(-newest // self.per_page))

    def page(self, number):
        number = self.validate_number(number)
        last = number * self.per_page
        items = self.sitemap.items_between(last - self.per_page + 1, last)
        pairs = [(item, code) for item in items for code in self.sitemap.get_languages_for_item(item)]
        return self._get_page(pairs, number, self)


class _BlockSitemap(_NewsroomSitemap):
    """Paged by blocks of ids (IdBlocks): items_between(first, last) gives what is shown of those ids."""

    limit = 1000  # ids a page: at most 2,000 addresses (one per edition), far below a sitemap's 50,000
    model = None

    @property
    def paginator(self):
        return IdBlocks(self)

    def items_between(self, first, last):
        raise NotImplementedError


class _StorySitemap(_NewsroomSitemap):
    """Stories readers can see, each at an address per edition it exists in (Article.editions())."""

    changefreq = "daily"

    def articles(self):
        # Arabic is the source: every reader-visible article exists in Arabic, so this is the full set.
        # Only the columns the sitemap prints, and the bodies editions() reads to tell a full translation.
        text = [f"{name}_{code}" for code in LANGUAGE_CODES for name in ("headline", "slug", "body")]
        stamps = [f"text_changed_at_{code}" for code in LANGUAGE_CODES]
        return Article.objects.for_readers(settings.LANGUAGE_CODE).only(
            "pk", "published_at", "updated_at", *text, *stamps
        )

    def items(self):
        return self.articles()

    def get_languages_for_item(self, article):
        return article.editions()

    def _get(self, name, item, default=None):
        # Django hands lastmod the object without its language; each edition has its own text-change time.
        if name == "lastmod":
            article, code = item
            return getattr(article, f"text_changed_at_{code}", None) or article.updated_at
        return super()._get(name, item, default)

    def lastmod(self, article):  # declared so Django prints lastmod; _get() above gives the per-edition value
        return article.updated_at


class ArticleSitemap(_BlockSitemap, _StorySitemap):
    model = Article

    def items_between(self, first, last):
        return self.articles().filter(pk__range=(first, last)).order_by("pk")

    def get_latest_lastmod(self):
        # The index names no date for the article pages: one date for all of them would send a crawler back to
        # every page after any edit. Each address in a page carries its own.
        return None


class SectionSitemap(_NewsroomSitemap):
    changefreq = "hourly"

    def items(self):
        # As tags and people: a section is listed once readers see a story in it, in each edition that has one
        # (an empty section page is marked noindex). Sections are few: one EXISTS a section and edition, each
        # walking the section's own index as its page does.
        sections = Section.objects.annotate(**{
            f"in_{code}": Exists(Article.objects.for_readers(code).filter(section=OuterRef("pk")))
            for code in LANGUAGE_CODES
        })
        sections = list(sections.filter(**{f"in_{settings.LANGUAGE_CODE}": True}))
        for section in sections:
            section.sitemap_languages = [code for code in LANGUAGE_CODES if getattr(section, f"in_{code}")]
        return sections


def _with_languages(rows, links, row_field, story_field):
    """The rows, each marked with the languages that have a story readers see among its ``links`` (TaggedArticle
    or ArticleAuthor rows, which tie ``row_field``, the row, to ``story_field``, the story).

    Each translation is asked by its size, counted up to MANY_STORIES. A small one (a few translated stories, a
    new edition) names the rows its stories link to, in one query. A large one, and the source edition, are asked
    row by row: the row's links are walked from its newest story down, each story looked up by id, until the first
    its readers see (about five for a tag when a fifth of the stories are translated; more where translation
    stopped long ago). Asked as a join, PostgreSQL hashed each tag's links against the English edition's index
    instead (80 ms for the tags at 100,000 stories); as an EXISTS, it hashed the whole archive (117 ms).
    """
    probes, small = {}, {}
    for code in LANGUAGE_CODES:
        edition = Article.objects.for_readers(code).order_by()
        # The source edition is the archive: nearly every story of a row's is in it, the first link will do.
        if code != settings.LANGUAGE_CODE and edition[:MANY_STORIES].count() < MANY_STORIES:
            small[code] = edition
            continue
        seen = Subquery(edition.filter(pk=OuterRef(story_field)).values("pk")[:1])
        # Newest story first, down the (row, story) index: translations are mostly recent (a new edition, a
        # newsroom that began translating last year), and oldest first walked every older link before them.
        first = links.objects.filter(**{row_field: OuterRef("pk")}).order_by(f"-{story_field}_id").annotate(seen=seen)
        probes[f"in_{code}"] = Subquery(first.filter(seen__isnull=False).values("seen")[:1])
    items = list(rows.annotate(**probes))
    ids = [item.pk for item in items]
    linked = {
        code: set(links.objects.filter(**{f"{row_field}__in": ids, f"{story_field}__in": edition})
                  .values_list(row_field, flat=True))
        for code, edition in small.items()
    }
    for item in items:
        item.sitemap_languages = [
            code for code in LANGUAGE_CODES
            if (item.pk in linked[code] if code in linked else getattr(item, f"in_{code}") is not None)
        ]
    return items


class TagSitemap(_BlockSitemap):
    changefreq = "daily"
    model = Tag

    def items_between(self, first, last):
        # Arabic is the source, so a tag readers can see has an Arabic story. Each tag is asked through its own rows
        # (the same at any archive size); a filter on "tagged in any story readers see" made the database list
        # every such story first (+250 % from 1,000 to 100,000 stories, bench/pages.py).
        tags = Tag.objects.filter(pk__range=(first, last)).order_by("pk")
        tags = _with_languages(tags, TaggedArticle, "tag", "content_object")
        for tag in tags:  # and each edition only once the tag has a name in it (Tag.objects.shown_in)
            tag.sitemap_languages = [code for code in tag.sitemap_languages if tag.is_named_in(code)]
        return [tag for tag in tags if settings.LANGUAGE_CODE in tag.sitemap_languages]


class PersonSitemap(_BlockSitemap):
    changefreq = "weekly"
    model = Person

    def items_between(self, first, last):
        # The same rule as the person page (Person.objects.shown_in): their stories readers see, and their credited
        # photos once in such a story. A photographer has a page in each edition that shows a story with their
        # photo, bylines or not. Every edition's stories are in the source edition too, so it names everyone listed.
        photos = {f"photos_in_{code}": any_of(*photos_shown_ways(code)) for code in LANGUAGE_CODES}
        people = Person.objects.shown_in(settings.LANGUAGE_CODE).annotate(**photos).filter(
            pk__range=(first, last),
        ).order_by("pk")
        items = _with_languages(people, ArticleAuthor, "person", "article")
        for person in items:
            person.sitemap_languages = [
                code for code in LANGUAGE_CODES
                if code in person.sitemap_languages or getattr(person, f"photos_in_{code}")
            ]
        return items



class NewsSitemap(_StorySitemap):
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
                "title": xml_text(getattr(article, f"headline_{code}")),
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
    # Past 1,000 addresses in 48 hours the news sitemap has further pages (?p=2…), which nothing else names.
    news = request.build_absolute_uri(reverse("sitemap_news"))
    news_pages = [news, *(f"{news}?p={page}" for page in range(2, NewsSitemap().paginator.num_pages + 1))]
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
        *(f"Sitemap: {page}" for page in news_pages),
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
