"""Page weight: an article page with everything it loads (HTML, CSS, fonts, JavaScript) stays under 150 KiB on the
wire, every static file is fingerprinted and precompressed, and nothing in <head> makes the page wait for another
host. Static files are collected as production collects them (bench/page_weight.py writes the figure)."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from articles.models import SupportAppeal, Tag
from bench.page_weight import BUDGET, PRODUCTION_STORAGES, sent_size, static_file, weigh
from tests.factories import make_article, make_photo

FINGERPRINTED = re.compile(r"\.[0-9a-f]{12}\.(css|js|woff2)$")
# Formats that are compressed already: WhiteNoise writes no .gz beside them, and none is needed.
COMPRESSED_ALREADY = (".woff2",)


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """collectstatic into a folder of its own, with WhiteNoise's compressed manifest storage, as in production."""
    with override_settings(STATIC_ROOT=tmp_path_factory.mktemp("static"), STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield


@pytest.fixture
def weighed(collected_static, client):
    photo = make_photo()
    related = make_article("السدود تمتلئ للمرة الأولى منذ سنوات", published=True, tags=["طقس"], lead_photo=photo)
    story = make_article(
        "الأمطار تعود إلى دمشق بعد جفاف طويل", published=True, tags=["سوريا", "طقس", "دمشق"], lead_photo=photo,
        body_ar="".join(f"<h2>فقرة {n}</h2><p>{'قال السكان إن المياه عادت إلى الشوارع بعد أشهر. ' * 8}</p>"
                        for n in range(6)),
    )
    story.related_articles.set([related])
    SupportAppeal.objects.create(
        heading_ar="ادعموا الصحافة المستقلة", text_ar="نص النداء", tagline_ar="دولار واحد شهريًا يصنع الفرق",
        button_label_ar="اضغط هنا للمساهمة", url_ar="https://example.org/support",
    )
    weight = weigh(client, story.get_absolute_url())
    html = client.get(story.get_absolute_url()).text
    # The page is the one described: a lead photo, its tags, a related story and the support box.
    for part in ["figure--lead", Tag.objects.get(name="دمشق").get_absolute_url(), "السدود تمتلئ", "اضغط هنا للمساهمة"]:
        assert part in html
    return weight


@pytest.mark.django_db
def test_article_page_with_its_css_fonts_and_scripts_stays_under_150_kib(weighed):
    kinds = {kind for _url, kind, _size in weighed["files"]}
    assert kinds == {"stylesheet", "script", "font"}
    assert weighed["total"] < BUDGET, weighed


@pytest.mark.django_db
def test_every_static_file_the_article_page_loads_is_fingerprinted_and_precompressed(weighed):
    for url, _kind, size in weighed["files"]:
        path = static_file(url)
        assert FINGERPRINTED.search(urlsplit(url).path), url
        assert path.exists(), url
        if path.suffix in COMPRESSED_ALREADY:
            assert size == path.stat().st_size
        else:
            assert path.with_name(path.name + ".gz").exists() or path.with_name(path.name + ".br").exists(), url
            assert size == sent_size(path) < path.stat().st_size, url


@pytest.mark.django_db
def test_article_page_head_asks_nothing_of_another_host(weighed):
    page = weighed["page"]
    assert page.head_addresses, "the stylesheets and the script are in <head>"
    for address in [*page.head_addresses, *page.stylesheets, *page.scripts]:
        parts = urlsplit(address)
        assert not parts.scheme and not parts.netloc, address
