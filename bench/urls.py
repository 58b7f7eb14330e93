"""The site's addresses plus two bare reference views, served by the same gunicorn in bench/throughput.py.

/bench/fixed/ answers a short fixed string; /bench/static/ renders a template of the article page's size that
holds no variable and reads no database. Both are marked private, so the page cache (articles/page_cache.py,
shareable()) never keeps them: every request is a real render, the yardstick the article page is measured by.
The site's patterns are added as they are (not through include()), so LocaleMiddleware still sees the
i18n_patterns at the top of the URLconf and the Arabic edition stays unprefixed.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import cache_control

from newsroom.urls import urlpatterns as site_urlpatterns

STATIC_TEMPLATE = "bench/article-sized.html"


@cache_control(private=True)
def fixed(request):
    return HttpResponse("Hello from the newsroom\n", content_type="text/plain; charset=utf-8")


@cache_control(private=True)
def static_page(request):
    return render(request, STATIC_TEMPLATE)


urlpatterns = [
    path("bench/fixed/", fixed, name="bench_fixed"),
    path("bench/static/", static_page, name="bench_static"),
    *site_urlpatterns,
]
