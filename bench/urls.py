"""The site's addresses plus three bare reference views, served by the same gunicorn in bench/throughput.py.

/bench/fixed/ answers a short fixed string; /bench/static/ renders a template of the article page's size that
holds no variable and reads no database. /bench/static-after-query/<pk>/ renders the same template after one
query: the story's own row with its section and lead photo, as the article page's first query reads them. It
shows what a single trip through the ORM and the database costs next to the static template: the floor of any
page that reads the database, set by the framework rather than by the page. All three are marked private, so the
page cache (articles/page_cache.py, shareable()) never keeps them: every request is a real render, the yardsticks
the article page is measured by. The site's patterns are added as they are (not through include()), so
LocaleMiddleware still sees the i18n_patterns at the top of the URLconf and the Arabic edition stays unprefixed.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.cache import cache_control

from articles.models import Article
from newsroom.urls import urlpatterns as site_urlpatterns

STATIC_TEMPLATE = "bench/article-sized.html"


@cache_control(private=True)
def fixed(request):
    return HttpResponse("Hello from the newsroom\n", content_type="text/plain; charset=utf-8")


@cache_control(private=True)
def static_page(request):
    return render(request, STATIC_TEMPLATE)


@cache_control(private=True)
def static_page_after_query(request, pk):
    stories = Article.objects.for_readers().select_related("section", "lead_photo", "lead_photo__credit_person")
    get_object_or_404(stories, pk=pk)
    return render(request, STATIC_TEMPLATE)


urlpatterns = [
    path("bench/fixed/", fixed, name="bench_fixed"),
    path("bench/static/", static_page, name="bench_static"),
    path("bench/static-after-query/<int:pk>/", static_page_after_query, name="bench_static_after_query"),
    *site_urlpatterns,
]
