"""A tag has a name per edition: English pages show a tag by its English name, and only once it has one."""

import importlib
import json
import re

import pytest
from django.db import connection
from django.utils.translation import override

from articles.audit import AuditEntry
from articles.models import Article, Tag
from tests.factories import make_article, make_editor
from tests.test_admin_hostile_input import ARTICLE_ADD, article_payload, form_errors
from tests.test_ninjs import get_feed
from tests.test_sitemaps import entries


def translate(article):
    article.headline_en = f"English {article.headline_ar}"
    article.summary_en = "English summary."
    article.body_en = "<p>English body.</p>"
    article.save()
    return article


@pytest.fixture
def story():
    """A story read in both editions, tagged «سوريا» (named «Syria» in English) and «الطاقة» (no English name)."""
    article = translate(make_article("خبر مترجم", published=True, tags=["سوريا", "الطاقة"]))
    Tag.objects.filter(name_ar="سوريا").update(name_en="Syria")
    return article


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor())
    return client


def tag_change_url(tag, prefix=""):
    return f"{prefix}/admin/articles/tag/{tag.pk}/change/"


def tag_chips(html):
    chips = html.split('<ul class="tags"')[1].split("</ul>")[0] if '<ul class="tags"' in html else ""
    return re.findall(r'<a href="([^"]+)" rel="tag"><bdi>([^<]+)</bdi>', chips)


def json_ld(html):
    return json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])


@pytest.mark.django_db
def test_english_article_shows_tags_by_their_english_name_and_leaves_out_unnamed_ones(client, story):
    arabic = client.get(story.get_absolute_url()).text
    english = client.get(f"/en/article/{story.pk}/", follow=True).text

    assert tag_chips(english) == [("/en/tag/%D8%B3%D9%88%D8%B1%D9%8A%D8%A7/", "Syria")]
    assert '<meta property="article:tag" content="Syria">' in english and "الطاقة" not in english
    assert json_ld(english)["keywords"] == ["Syria"]
    assert sorted(name for _url, name in tag_chips(arabic)) == sorted(["سوريا", "الطاقة"])
    assert sorted(json_ld(arabic)["keywords"]) == sorted(["سوريا", "الطاقة"])


@pytest.mark.django_db
def test_english_tag_page_and_feed_exist_only_for_a_tag_named_in_english(client, story):
    named = client.get("/en/tag/سوريا/")
    assert named.status_code == 200
    assert "<title>Syria" in named.text and "<bdi>Syria</bdi></h1>" in named.text
    assert "<title>Tag: Syria</title>" in client.get("/en/tag/سوريا/feed/").text

    # An English story carries it, but no editor has named it in English yet.
    assert client.get("/en/tag/الطاقة/").status_code == 404
    assert client.get("/en/tag/الطاقة/feed/").status_code == 404
    assert client.get("/tag/الطاقة/").status_code == 200


@pytest.mark.django_db
def test_arabic_tag_page_links_to_english_only_once_the_tag_is_named_there(client, story):
    def english_link(path):
        html = client.get(path).text
        return html.split('hreflang="en" lang="en">English</a>')[0].rsplit('href="', 1)[1].split('"')[0]

    assert english_link("/tag/سوريا/") == "/en/tag/%D8%B3%D9%88%D8%B1%D9%8A%D8%A7/"
    assert english_link("/tag/الطاقة/") == "/en/"


@pytest.mark.django_db
def test_english_feed_and_ninjs_name_only_the_tags_named_in_english(client, story):
    feed = client.get("/en/feed/").text
    assert "<category>Syria</category>" in feed and "الطاقة" not in feed and "سوريا" not in feed
    items = get_feed(client, "/en/api/ninjs/")[1]["items"]
    assert [subject["name"] for subject in items[0]["subjects"]] == ["Syria"]


@pytest.mark.django_db
def test_tag_sitemap_names_an_english_address_only_for_a_tag_named_in_english(client, story):
    locations = entries(client)  # every sitemap page the index names: ids (and so pages) differ by database
    syria, energy = (Tag.objects.get(name_ar=name) for name in ("سوريا", "الطاقة"))
    assert locations["http://testserver/tag/سوريا/"] == {
        "ar": "http://testserver/tag/سوريا/", "en": "http://testserver/en/tag/سوريا/",
        "x-default": "http://testserver/tag/سوريا/",
    }
    assert set(locations["http://testserver/tag/الطاقة/"]) == {"ar", "x-default"}
    assert "http://testserver/en/tag/الطاقة/" not in locations
    assert (syria.slug, energy.slug) == ("سوريا", "الطاقة")


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_editor_names_a_tag_in_english_from_the_admin_in_either_language(editor_client, story, prefix):
    energy = Tag.objects.get(name_ar="الطاقة")

    response = editor_client.post(tag_change_url(energy, prefix), {"name_ar": "الطاقة", "name_en": "Energy"})

    assert response.status_code == 302
    assert ("/en/tag/%D8%A7%D9%84%D8%B7%D8%A7%D9%82%D8%A9/", "Energy") in tag_chips(
        editor_client.get(f"/en/article/{story.pk}/", follow=True).text
    )
    # taggit's own name column, which it looks tags up by and keeps unique, still holds the Arabic name.
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, slug FROM articles_tag WHERE id = %s", [energy.pk])
        assert cursor.fetchone() == ("الطاقة", "الطاقة")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name_ar", "name_en"),
    [
        ("الطاقة", "Syria"),  # another tag's English name
        ("الطاقة", "syria"),  # the same, in other letters' case: taggit matches names regardless of case
        ("سوريا", "Energy"),  # another tag's Arabic name
        ("", "Energy"),  # no Arabic name: the source edition's name is the tag
        ("الطاقة", "E" * 101),
        ("الطاقة", "Energy\x00"),
    ],
)
def test_a_tag_name_that_cannot_be_is_refused_with_an_arabic_reason(editor_client, story, name_ar, name_en):
    energy = Tag.objects.get(name_ar="الطاقة")

    response = editor_client.post(tag_change_url(energy), {"name_ar": name_ar, "name_en": name_en})

    assert response.status_code == 200
    errors = " ".join(form_errors(response))
    assert errors and re.search("[\u0600-\u06ff]", errors)
    energy.refresh_from_db()
    assert (energy.name_ar, energy.name_en) == ("الطاقة", None)


@pytest.mark.django_db
def test_many_tags_may_wait_for_an_english_name(editor_client, story):
    unnamed = Tag.objects.get(name_ar="الطاقة")
    other = Tag.objects.create(name_ar="الزراعة")

    response = editor_client.post(tag_change_url(other), {"name_ar": "الزراعة", "name_en": ""})

    assert response.status_code == 302
    assert list(Tag.objects.filter(name_en__isnull=True).order_by("pk")) == [unnamed, other]


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_a_new_tag_typed_by_its_english_name_finds_the_tag_and_a_new_name_makes_an_arabic_one(
    editor_client, story, prefix
):
    response = editor_client.post(f"{prefix}{ARTICLE_ADD}", article_payload(editor_client, new_tags="SYRIA, حلب"))

    assert response.status_code == 302
    article = Article.objects.exclude(pk=story.pk).get()
    assert sorted(tag.name_ar for tag in article.tags.all()) == sorted(["سوريا", "حلب"])
    aleppo = Tag.objects.get(name_ar="حلب")
    assert (aleppo.name_en, aleppo.slug) == (None, "حلب")
    assert Tag.objects.count() == 3


@pytest.mark.django_db
def test_new_tags_that_look_alike_are_one_tag_and_an_invisible_one_is_none(editor_client, story):
    # «ﻻ» is the lam-alef ligature as some keyboards type it; «é» a letter and its combining accent; then direction
    # and zero-width marks that show nothing at all.
    typed = "\ufefb نافذة, لا نافذة, cafe\u0301, café, \u200f, \u200b\u200c , حلب\u200f"

    response = editor_client.post(ARTICLE_ADD, article_payload(editor_client, new_tags=typed))

    assert response.status_code == 302
    article = Article.objects.exclude(pk=story.pk).get()
    assert sorted(tag.name_ar for tag in article.tags.all()) == sorted(["لا نافذة", "café", "حلب"])
    assert Tag.objects.count() == 5  # the story's two, and these three


@pytest.mark.django_db
def test_the_tag_list_shows_each_editions_name_and_searches_both(editor_client, story):
    changelist = editor_client.get("/admin/articles/tag/").text
    assert "Syria" in changelist and "الطاقة" in changelist

    found = editor_client.get("/admin/articles/tag/", {"q": "syria"}).text
    assert "سوريا" in found and "الطاقة" not in found.split('id="result_list"')[1]


@pytest.mark.django_db
def test_merging_keeps_an_english_name_the_kept_tag_lacked(editor_client):
    keep = Tag.objects.create(name_ar="سورية")
    other = Tag.objects.create(name_ar="سوريا", name_en="Syria")
    story = translate(make_article("خبر", published=True, tags=[keep, other]))

    action = {"action": "merge_selected", "_selected_action": [keep.pk, other.pk]}
    form = editor_client.post("/admin/articles/tag/", action)
    assert "سوريا / Syria" in form.text  # the choice shows which tag carries the English name
    editor_client.post("/admin/articles/tag/", {**action, "post": "yes", "keep": keep.pk}, follow=True)

    keep.refresh_from_db()
    assert (keep.name_ar, keep.name_en) == ("سورية", "Syria")
    assert [name for _url, name in tag_chips(editor_client.get(f"/en/article/{story.pk}/", follow=True).text)] == [
        "Syria"
    ]


@pytest.mark.django_db
def test_tags_that_shared_a_name_before_the_rule_can_still_be_saved(editor_client):
    # Made side by side by an import, or before migration 0027: the database told them apart by case.
    Tag.objects.create(name_ar="COVID-19", name_en="COVID-19")
    second = Tag.objects.create(name_ar="Covid-19")

    response = editor_client.post(tag_change_url(second), {"name_ar": "Covid-19", "name_en": "Coronavirus"})

    assert response.status_code == 302
    second.refresh_from_db()
    assert second.name_en == "Coronavirus"


@pytest.mark.django_db
def test_a_tag_made_by_name_in_english_takes_that_name_as_its_arabic_one_too():
    with override("en"):
        made = Tag.objects.create(name="Beirut")
        also = make_article(tags=["Tripoli"]).tags.get()

    for tag in (made, also):
        tag.refresh_from_db()
    assert (made.name_ar, made.name_en, made.slug) == ("Beirut", "Beirut", "beirut")
    assert (also.name_ar, also.slug) == ("Tripoli", "tripoli")
    with override("en"):
        assert Tag.objects.get_by_natural_key("Beirut") == made
        assert made.natural_key() == ["Beirut"]


@pytest.mark.django_db
def test_a_merge_in_the_english_admin_records_the_arabic_names_and_takes_the_busiest_tags_english_name(client):
    client.force_login(make_editor())
    keep = Tag.objects.create(name_ar="كورونا")
    older = Tag.objects.create(name_ar="كوفيد", name_en="Covid")
    busier = Tag.objects.create(name_ar="كوفيد-19", name_en="COVID-19")
    make_article(tags=[older])
    for _number in range(3):
        make_article(tags=[busier])
    action = {"action": "merge_selected", "_selected_action": [keep.pk, older.pk, busier.pk]}

    client.post("/en/admin/articles/tag/", {**action, "post": "yes", "keep": keep.pk}, follow=True)

    keep.refresh_from_db()
    assert keep.name_en == "COVID-19"  # the merge form lists the tag with most stories first
    entry = AuditEntry.objects.get(action=AuditEntry.Action.TAGS_MERGED)
    assert (entry.target_repr, entry.detail) == ("كورونا", "، ".join(sorted(["كوفيد", "كوفيد-19"])))


@pytest.mark.django_db
def test_the_tag_screen_keeps_one_spelling_of_each_name(editor_client):
    Tag.objects.create(name_ar="لا نافذة")
    add = "/admin/articles/tag/add/"

    look_alike = editor_client.post(add, {"name_ar": "\ufefb نافذة", "name_en": ""})
    invisible = editor_client.post(add, {"name_ar": "\u200f\u200b", "name_en": ""})
    marked = editor_client.post(add, {"name_ar": "حلب\u200f", "name_en": " Aleppo\u200e "})

    assert "وسم آخر يحمل هذا الاسم" in look_alike.text and invisible.status_code == 200
    assert marked.status_code == 302
    assert sorted(Tag.objects.values_list("name_ar", "name_en")) == [("حلب", "Aleppo"), ("لا نافذة", None)]


@pytest.mark.django_db
def test_migration_0028_spells_old_names_once_unless_another_tag_has_that_name():
    from django.apps import apps

    migration = importlib.import_module("articles.migrations.0028_tag_names_in_one_spelling")
    marked, kept, twin = (Tag.objects.create(name_ar=name) for name in ("حلب", "لا نافذة", "نافذة ثانية"))
    # As an import or a form saved them before names were kept in one spelling.
    Tag.objects.filter(pk=marked.pk).update(name="حلب\u200f", name_ar="حلب\u200f", name_en="Aleppo\u200e")
    Tag.objects.filter(pk=twin.pk).update(name="\ufefb نافذة", name_ar="\ufefb نافذة")

    migration.names_in_one_spelling(apps, None)

    for tag in (marked, kept, twin):
        tag.refresh_from_db()
    assert (marked.name, marked.name_ar, marked.name_en, marked.slug) == ("حلب", "حلب", "Aleppo", "حلب")
    assert twin.name_ar == "\ufefb نافذة"  # «لا نافذة» is another tag's: left for an editor to merge
    assert kept.name_ar == "لا نافذة"
