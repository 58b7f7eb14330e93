"""The editor's desk on the admin index: what is waiting for the person logged in, a few items per panel.

Built in a fixed number of queries whatever the size of the newsroom: one for all the article counts, one per
article panel, and two for the photos. Each panel links to the list it summarises, filtered the same way.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .models import Article, Photo
from .photo_admin import MissingCreditFilter
from .translation_status import translated_languages

PER_PANEL = 8


@dataclass
class Item:
    title: str
    url: str
    when: object = None
    overdue: bool = False
    note: str = ""


@dataclass
class Panel:
    key: str
    title: str
    count: int
    see_all_url: str
    empty: str
    items: list = field(default_factory=list)
    overdue: int = 0


def _changelist(model_name, **filters):
    url = reverse(f"admin:articles_{model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def _article_items(queryset, when="updated_at", overdue_before=None):
    """The first few articles of a panel, without their heavy text; linked to their admin page."""
    headline = f"headline_{settings.LANGUAGE_CODE}"
    rows = queryset.only("pk", headline, "status", "published_at", "updated_at")[:PER_PANEL]
    return [
        Item(
            title=getattr(article, headline) or "—",
            url=reverse("admin:articles_article_change", args=[article.pk]),
            when=getattr(article, when),
            overdue=bool(overdue_before and article.published_at and article.published_at <= overdue_before),
        )
        for article in rows
    ]


def photos_missing_credit(request):
    # The photo list's own filter, so the panel and its "see all" agree on what "missing" means.
    missing = MissingCreditFilter(request, {"credit": ["missing"]}, Photo, None)
    return missing.queryset(request, Photo.objects.all())


def desk_panels(request):
    """The panels this person may see, in the order of a working day."""
    user = request.user
    now = timezone.now()
    panels = []
    Status = Article.Status

    may_see_articles = user.has_perm("articles.view_article") or user.has_perm("articles.change_article")
    if may_see_articles:
        articles = Article.objects.not_in_trash()
        # Editors see the whole desk; a writer sees their own stories on it.
        everyone = user.has_perm("articles.edit_any_article")
        scope = Q() if everyone else Q(created_by=user)
        mine = {} if everyone else {"created_by__id__exact": user.pk}
        # Translation is an editor's task: the panel is theirs. Stale in any of the translated languages.
        stale = Q(pk__in=[])
        for code, _name in translated_languages():
            stale |= Q(pk__in=Article.objects.stale_translation(code).values("pk"))
        # Every panel's count in one query.
        counts = articles.aggregate(
            drafts=Count("pk", filter=Q(status=Status.DRAFT, created_by=user)),
            review=Count("pk", filter=Q(status=Status.IN_REVIEW) & scope),
            scheduled=Count("pk", filter=Q(status=Status.SCHEDULED) & scope),
            overdue=Count("pk", filter=Q(status=Status.SCHEDULED, published_at__lte=now) & scope),
            published=Count("pk", filter=Q(status=Status.PUBLISHED)),
            stale=Count("pk", filter=stale),
        )

        if user.has_perm("articles.add_article"):
            panels.append(Panel(
                "drafts", _("My drafts"), counts["drafts"],
                _changelist("article", status__exact=Status.DRAFT, created_by__id__exact=user.pk),
                _("No drafts of yours."),
                _article_items(articles.filter(status=Status.DRAFT, created_by=user).order_by("-updated_at")),
            ))
        panels.append(Panel(
            "review", _("Awaiting review"), counts["review"],
            _changelist("article", status__exact=Status.IN_REVIEW, **mine),
            _("Nothing is waiting for review."),
            _article_items(articles.filter(scope, status=Status.IN_REVIEW).order_by("updated_at")),
        ))
        panels.append(Panel(
            "scheduled", _("Scheduled"), counts["scheduled"],
            _changelist("article", status__exact=Status.SCHEDULED, **mine),
            _("Nothing is scheduled."),
            # Overdue first: due but not yet flipped by publish_scheduled (readers already see them).
            _article_items(
                articles.filter(scope, status=Status.SCHEDULED).order_by("published_at"),
                when="published_at", overdue_before=now,
            ),
            overdue=counts["overdue"],
        ))
        panels.append(Panel(
            "published", _("Recently published"), counts["published"],
            _changelist("article", status__exact=Status.PUBLISHED),
            _("Nothing published yet."),
            _article_items(articles.filter(status=Status.PUBLISHED).order_by("-published_at"), when="published_at"),
        ))
        if everyone and translated_languages():
            # "See all" filters by the first translated language (English, in this newsroom).
            code, _name = translated_languages()[0]
            panels.append(Panel(
                "stale", _("Stale translations"), counts["stale"],
                _changelist("article", **{f"translation_{code}": "stale"}),
                _("Every translation is up to date."),
                _article_items(articles.filter(stale).order_by(f"-text_changed_at_{settings.LANGUAGE_CODE}")),
            ))

    if user.has_perm("articles.view_photo") or user.has_perm("articles.change_photo"):
        missing = photos_missing_credit(request)
        panels.append(Panel(
            "credits", _("Photos missing credits"), missing.count(),
            _changelist("photo", credit="missing"),
            _("Every photo is credited."),
            [
                Item(title=str(photo), url=reverse("admin:articles_photo_change", args=[photo.pk]),
                     when=photo.uploaded_at)
                for photo in missing.defer("embedded_metadata", "renditions").order_by("-uploaded_at")[:PER_PANEL]
            ],
        ))
    return panels
