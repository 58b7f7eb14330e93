"""Reader-facing pages. Each view fetches everything its template shows, so templates never query."""

import calendar
import datetime
from urllib.parse import quote

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, translate_url
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language, get_language_info, override

from .models import Article, Person, Photo, Section, SupportAppeal, Tag, address_slug, instant_before, newsroom_midnight
from .search import SearchForm, add_snippets
from .structured_data import article_metadata
from .templatetags.newsroom import newsroom_date, newsroom_hijri_date, newsroom_month, newsroom_number

PAGE_SIZE = 20
# How far past the requested page a listing is counted: far enough for its neighbours' links.
PAGES_AHEAD = 2
# A photographer's newest photos on their page.
PHOTOS_ON_PERSON_PAGE = 12


class ListingPaginator(Paginator):
    """Counts a listing only as far as ``reach`` stories; ``truncated`` says there are more.

    Counting every story of a popular tag or of the whole archive for the page links cost more than rendering the
    page (at 100,000 stories, README "Performance"). Readers step on with «Older», so a listing counts only up to
    a little past the page asked for, and the links end in a gap rather than the number of the last page.
    """

    truncated = False

    def __init__(self, object_list, per_page, reach=None):
        super().__init__(object_list, per_page)
        self.reach = reach

    @cached_property
    def count(self):
        if self.reach is None:
            return super().count
        # Unordered: any reach + 1 rows will do, so the database may take them from whichever index is nearest
        # (a tag's own rows) rather than walk the archive in date order.
        counted = self.object_list.order_by()[: self.reach + 1].count()
        self.truncated = counted > self.reach
        return min(counted, self.reach)


def render_page(request, template, context, translations=None, status=200):
    """Render a public page with the section navigation and the language switcher it needs.

    ``translations`` maps a language code to this page's address in that language, for pages (articles)
    that exist only in some languages; other pages translate their own address.
    """
    current = get_language()
    languages = []
    for code, _name in settings.LANGUAGES:
        if translations is None:
            url = translate_url(request.get_full_path(), code)
        else:
            url = translations.get(code) or translate_url("/", code)
        name = get_language_info(code)["name_local"]
        languages.append({"code": code, "name": name, "url": url, "current": code == current})
    context |= {"nav_sections": list(Section.objects.all()), "languages": languages}
    return render(request, template, context, status=status)


def page_not_found(request, exception):
    """A dead link still leads somewhere: the sections, the search box and the home page of its edition."""
    return render_page(request, "404.html", {}, translations={}, status=404)


def editions_where(request, shown):
    """render_page's ``translations`` for a page that exists only in some editions (a tag or a person, read with
    its ``in_<language>`` flags): its address there, and elsewhere that edition's home rather than a 404."""
    return {
        code: translate_url(request.path, code) for code, _name in settings.LANGUAGES
        if getattr(shown, f"in_{code}")
    }


def paginate(request, queryset, *, count_all=False):
    """The requested page, with ``page.links``: numbered links (first, neighbours, gaps) for the template.

    A list, or a queryset known to be short (``count_all``), is counted whole; any other queryset only up to
    PAGES_AHEAD pages past the one asked for (ListingPaginator).
    """
    number = request.GET.get("page")
    reach = None
    if not (count_all or isinstance(queryset, list)):
        wanted = int(number) if number and number.isascii() and number.isdigit() and len(number) < 10 else 1
        reach = (wanted + PAGES_AHEAD) * PAGE_SIZE
    page = ListingPaginator(queryset, PAGE_SIZE, reach=reach).get_page(number)
    ellipsis = page.paginator.ELLIPSIS
    page.links = [
        {"number": number, "current": number == page.number, "gap": number == ellipsis}
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=PAGES_AHEAD, on_ends=1)
    ]
    if page.paginator.truncated:
        page.links.append({"number": ellipsis, "current": False, "gap": True})
    return page


def home(request):
    articles = Article.objects.for_readers().for_listing()
    top_story = articles.with_bylines().filter(is_top_story=True).first()
    latest = [a for a in articles.with_bylines()[:13] if a != top_story][:12]
    if top_story is None and latest:
        top_story, latest = latest[0], latest[1:]
    blocks = {}
    for article in articles.latest_per_section(4):
        blocks.setdefault(article.section_id, []).append(article)
    return render_page(
        request, "articles/home.html",
        {"top_story": top_story, "latest": latest, "section_blocks": blocks},
    )


def article(request, pk, slug=None):
    story = get_object_or_404(Article.objects.for_readers().for_detail(), pk=pk)
    if slug != address_slug(story.slug):
        return redirect(story, permanent=True)
    return render_article(request, story)


def render_article(request, story, *, template="articles/article.html", extra=None, address=None):
    """The article page for a story fetched with for_detail(); the previews (articles/preview.py) render it too.

    ``address()`` gives this page's own address, called with each edition's language active (the public
    address by default); the language switcher links to it.
    """
    story.load_inline_photos()
    translations = {}
    for code in story.editions():
        with override(code):
            translations[code] = address() if address else story.get_absolute_url()
    return render_page(
        request, template,
        {
            "article": story,
            "metadata": article_metadata(request, story),
            "current_section_id": story.section_id,
            "related": story.related_for_readers(),
            # The form accepts only web addresses; one saved around it (a shell, an import) hides the box
            # rather than give readers a javascript: button.
            "support": SupportAppeal.objects.filter(is_active=True, url__iregex=r"^https?://").first(),
            "share_url": quote(request.build_absolute_uri(story.get_absolute_url()), safe=""),
            "share_text": quote(story.headline, safe=""),
        } | (extra or {}),
        translations=translations,
    )


def section(request, slug):
    desk = get_object_or_404(Section, slug=slug)
    page = paginate(request, Article.objects.for_readers().for_listing().filter(section=desk))
    return render_page(
        request, "articles/section.html", {"section": desk, "page": page, "current_section_id": desk.pk}
    )


def tag(request, slug):
    topic = get_object_or_404(Tag.objects.with_editions().filter(**{f"in_{get_language()}": True}), slug=slug)
    page = paginate(request, Article.objects.for_readers().for_listing().tagged(topic))
    return render_page(request, "articles/tag.html", {"tag": topic, "page": page}, editions_where(request, topic))


def person(request, slug):
    # No page where readers see nothing of theirs: an invited contributor's name stays unknown until their first
    # story or photo is published.
    contributor = get_object_or_404(
        Person.objects.select_related("photo").with_editions().filter(**{f"in_{get_language()}": True}), slug=slug
    )
    page = paginate(request, Article.objects.for_readers().for_listing().by(contributor))
    # Each photo with the newest story readers can read it in, so the page leads from the photo to its story.
    photos = list(Photo.objects.credited_to(contributor, PHOTOS_ON_PERSON_PAGE).select_related("credit_person"))
    for photo in photos:
        photo.story_url = reverse("article", kwargs={"pk": photo.story_pk, "slug": address_slug(photo.story_slug)})
    return render_page(
        request, "articles/person.html", {"person": contributor, "page": page, "photos": photos},
        editions_where(request, contributor),
    )


def archive(request, year, month=None, day=None):
    """Stories published in a year, month or day, as the newsroom's clock (settings.TIME_ZONE) counts them."""
    try:
        # Naive on purpose: a calendar day to validate and print, not an instant.
        start = datetime.datetime(year, 1 if month is None else month, 1 if day is None else day)
    except (ValueError, OverflowError):  # OverflowError: a number past what a C int holds (/archive/2020/1/2147483648/)
        raise Http404("No such date") from None
    if day is not None:
        last, label = start.date(), newsroom_date(start)
    elif month is not None:
        last, label = datetime.date(year, month, calendar.monthrange(year, month)[1]), newsroom_month(start)
    else:
        last, label = datetime.date(year, 12, 31), newsroom_number(year)
    page = paginate(request, Article.objects.for_readers().for_listing().published_on_days(start.date(), last))
    hijri = newsroom_hijri_date(start) if day is not None else ""
    context = {
        "period": label, "period_hijri": hijri, "page": page, **_neighbouring_periods(start.date(), last, month, day),
    }
    return render_page(request, "articles/archive.html", context)


def _neighbouring_periods(first, last, month, day):
    """{"previous"/"next": (address, label)}: the nearest period of the same length before and after this one that
    holds a story, so the links step over empty stretches and end where the archive does (a link to every
    calendar day would lead crawlers through centuries of empty pages)."""
    # The story just before the period is the newest readers saw the instant before it, asked as one bound: beside
    # for_readers()' "up to now" SQLite walked its index down from now to the period (8 ms for a year five years
    # back at 100,000 stories), as published_on_days() says.
    before = instant_before(newsroom_midnight(first))
    nearest = {
        "previous": Article.objects.for_readers(at=min(before, timezone.now())).order_by("-published_at"),
        "next": Article.objects.for_readers().filter(published_at__gte=newsroom_midnight(last, after=1))
                .order_by("published_at"),
    }
    periods = {}
    for key, stories in nearest.items():
        moment = stories.values_list("published_at", flat=True).first()
        if moment is None:
            continue
        date = timezone.localdate(moment)
        if day is not None:
            periods[key] = (reverse("archive_day", args=(date.year, date.month, date.day)), newsroom_date(date))
        elif month is not None:
            periods[key] = (reverse("archive_month", args=(date.year, date.month)), newsroom_month(date))
        else:
            periods[key] = (reverse("archive_year", args=(date.year,)), newsroom_number(date.year))
    return periods


def search(request):
    """/search/?q=…&section=…&from=…&to=…: the reader's edition searched with Arabic-aware folding (articles/search.py).

    A bad date or an overlong query is shown as a message on the page, never an error.
    """
    form = SearchForm(request.GET or None)
    page = None
    if form.has_query():
        # At most search.RANKED_MATCHES results: counted whole, so the page says how many.
        page = paginate(request, form.results(Article.objects.for_readers().for_listing()), count_all=True)
        add_snippets(page.object_list, form.cleaned_data["q"])
        page.older_search = form.older_search()
        # The page links keep the words and the filters.
        params = request.GET.copy()
        params.pop("page", None)
        page.query = f"{params.urlencode()}&"
    return render_page(request, "articles/search.html", {"form": form, "page": page})
