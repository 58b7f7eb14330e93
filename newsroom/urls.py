"""Addresses: the admin and the public site, Arabic unprefixed and English under /en/."""

import errno

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import index as sitemap_index
from django.contrib.sitemaps.views import sitemap
from django.http import Http404
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils import translation
from django.utils.functional import lazy
from django.views import defaults
from django.views.generic import RedirectView
from django.views.i18n import set_language
from django.views.static import serve

from articles import accounts, ninjs, roles, sitemaps
from newsroom.outage import language_of_address


def switch_language(request):
    """Django's language switch, for this site's editions only: Django takes any language it has a translation
    for, and a request for French set a French cookie and sent the reader to /fr/, a 404. Another language is
    left out of the request, and Django then only returns the reader to the page."""
    if request.method == "POST" and request.POST.get("language") not in dict(settings.LANGUAGES):
        request.POST = request.POST.copy()
        request.POST.pop("language", None)
    return set_language(request)


urlpatterns = [
    path("i18n/setlang/", switch_language, name="set_language"),
    # Language-neutral: the sitemaps list every edition, with hreflang alternates. /sitemap.xml is their index.
    path(
        "sitemap.xml", sitemap_index, {"sitemaps": sitemaps.sitemaps, "sitemap_url_name": "sitemap_part"},
        name="sitemap",
    ),
    path(
        "sitemap-news.xml", sitemap, {"sitemaps": sitemaps.news_sitemaps, "template_name": "sitemaps/news.xml"},
        name="sitemap_news",
    ),
    path(
        "sitemap-<slug:section>.xml", sitemap,
        {"sitemaps": sitemaps.sitemaps, "template_name": "sitemaps/sitemap.xml"}, name="sitemap_part",
    ),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    # Browsers ask every site for /favicon.ico whatever its pages link to. The icon is a static file, looked up
    # per request (lazily), because its fingerprinted name exists only once collectstatic has run.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.ico")), name="favicon"),
]

urlpatterns += i18n_patterns(
    # Before the admin's own "view on site" redirect, which answers any staff member (see roles.view_on_site).
    path("admin/r/<path:content_type_id>/<path:object_id>/", admin.site.admin_view(roles.view_on_site)),
    path("admin/", admin.site.urls),
    # Accounts: the invitation link (choose a password) and two-factor setup for staff.
    path("accounts/set-password/done/", accounts.set_password_done, name="set_password_done"),
    path("accounts/set-password/<uidb64>/<token>/", accounts.SetPasswordView.as_view(), name="set_password"),
    path("accounts/two-factor/", accounts.two_factor_setup, name="two_factor_setup"),
    path("api/ninjs/", ninjs.feed, name="ninjs"),  # per edition, as the RSS feeds: /api/ninjs/ and /en/api/ninjs/
    path("", include("articles.urls")),
    prefix_default_language=False,
)


def media_file(request, path):
    """An upload from MEDIA_ROOT, by Django's serve, which answers a name no file can have with a 500: one longer
    than the file system allows (ENAMETOOLONG), and serves a file under its name with a folder's slash after it."""
    if path.endswith("/"):
        raise Http404
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError as error:
        if error.errno != errno.ENAMETOOLONG:
            raise
        raise Http404 from None


if settings.SERVE_MEDIA or (settings.DEBUG and not settings.MEDIA_BUCKET):
    # One small server keeps its uploads on local disk; object storage or the web server takes over later. With
    # MEDIA_BUCKET, even in development, photo addresses point at the bucket and MEDIA_ROOT holds nothing.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", media_file),
    ]


def _in_the_addresses_language(view):
    """One of Django's own error pages, in the edition of the address asked for. A bad Host header is refused
    before LocaleMiddleware chooses the language (by the page cache, building its key), and the page came out in
    whichever language the worker's last request had left active."""

    def answer(request, *args, **kwargs):
        with translation.override(language_of_address(request)):
            return view(request, *args, **kwargs)

    return answer


handler400 = _in_the_addresses_language(defaults.bad_request)
handler404 = "articles.views.page_not_found"
handler500 = _in_the_addresses_language(defaults.server_error)
