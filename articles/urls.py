from django.urls import path, register_converter

from . import preview, views
from .feeds import PersonFeed, SectionFeed, SiteAtomFeed, SiteFeed, TagFeed


class UnicodeSlugConverter:
    """Like Django's <slug:…>, but keeps Arabic letters, so /tag/سوريا/ resolves."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UnicodeSlugConverter, "uslug")

urlpatterns = [
    path("", views.home, name="home"),
    path("article/<int:pk>/", views.article, name="article_by_id"),
    path("article/<int:pk>/<str:slug>/", views.article, name="article"),
    path("section/<uslug:slug>/", views.section, name="section"),
    path("tag/<uslug:slug>/", views.tag, name="tag"),
    path("person/<uslug:slug>/", views.person, name="person"),
    path("archive/<int:year>/", views.archive, name="archive_year"),
    path("archive/<int:year>/<int:month>/", views.archive, name="archive_month"),
    path("archive/<int:year>/<int:month>/<int:day>/", views.archive, name="archive_day"),
    path("search/", views.search, name="search"),
    path("feed/", SiteFeed(), name="feed"),
    path("feed/atom/", SiteAtomFeed(), name="feed_atom"),
    path("section/<uslug:slug>/feed/", SectionFeed(), name="section_feed"),
    path("tag/<uslug:slug>/feed/", TagFeed(), name="tag_feed"),
    path("person/<uslug:slug>/feed/", PersonFeed(), name="person_feed"),
    # Previews of articles readers cannot see (yet): for staff, and through a reviewer's signed link.
    path("preview/<int:pk>/", preview.staff_preview, name="article_preview"),
    path("preview/s/<str:token>/", preview.signed_preview, name="article_preview_signed"),
]
