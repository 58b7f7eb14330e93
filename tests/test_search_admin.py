"""The admin's search boxes (article list, photo library) and the autocompletes built on them find spelling variants."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.search import PhotoSearchDocument
from tests.factories import make_article, make_person, make_photo, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(make_user("editor"))
    return client


def change_url(obj):
    return reverse(f"admin:articles_{obj._meta.model_name}_change", args=[obj.pk])


def autocomplete(client, field_name, term):
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "article", "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return [int(result["id"]) for result in response.json()["results"]]


def test_article_list_search_finds_drafts_by_a_spelling_variant(editor_client):
    draft = make_article("الأسد يستقبل مبعوثاً أممياً")
    published = make_article("لقاء الاسد بالمبعوث", published=True)
    other = make_article("أخبار الطقس")
    response = editor_client.get(reverse("admin:articles_article_changelist"), {"q": "الأَسَد"})
    assert response.status_code == 200
    assert change_url(draft) in response.text and change_url(published) in response.text
    assert change_url(other) not in response.text


def test_article_list_search_looks_in_the_english_edition_and_the_body(editor_client):
    translated = make_article("خبر مترجم", headline_en="Talks in Geneva", body_en="<p>Delegates met.</p>")
    in_body = make_article("خبر آخر", body_ar="<p>عقدت الجلسة في جنيف.</p>")
    listing = reverse("admin:articles_article_changelist")
    assert change_url(translated) in editor_client.get(listing, {"q": "geneva"}).text
    assert change_url(in_body) in editor_client.get(listing, {"q": "جنيف"}).text


def test_related_articles_autocomplete_finds_a_hamza_variant(editor_client):
    wanted = make_article("مسؤول أممي في دمشق", published=True)
    make_article("أخبار الرياضة", published=True)
    assert autocomplete(editor_client, "related_articles", "مسئول") == [wanted.pk]


def test_related_articles_autocomplete_leaves_out_the_trash(editor_client):
    trashed = make_article("مسؤول أممي في دمشق", published=True)
    trashed.move_to_trash(by=None)
    assert autocomplete(editor_client, "related_articles", "مسئول") == []


def test_lead_photo_autocomplete_finds_a_caption_by_a_spelling_variant(editor_client):
    wanted = make_photo(caption="الأَسَد يزور حماة")
    make_photo(caption="سوق الحميدية")
    assert autocomplete(editor_client, "lead_photo", "الاسد حماه") == [wanted.pk]


def test_photo_library_search_finds_the_photographer_by_a_spelling_variant(editor_client):
    photographer = make_person("أسامة الحلبي")
    wanted = make_photo(caption="ساحة", credit="", credit_person=photographer)
    other = make_photo(caption="ساحة أخرى")
    response = editor_client.get(reverse("admin:articles_photo_changelist"), {"q": "اسامه"})
    assert response.status_code == 200
    assert change_url(wanted) in response.text and change_url(other) not in response.text


def test_renaming_a_photographer_updates_the_library_search(editor_client):
    photographer = make_person("سامر")
    photo = make_photo(credit="", credit_person=photographer)
    photographer.name_ar = "سامي العلي"
    photographer.save()
    assert autocomplete(editor_client, "lead_photo", "سامي") == [photo.pk]


def test_a_credit_saved_alone_reaches_the_library_search(editor_client):
    photo = make_photo(credit="")
    photo.credit_ar = "وكالة الأنباء السورية"
    photo.save(update_fields=["credit_ar"])
    assert autocomplete(editor_client, "lead_photo", "الانباء") == [photo.pk]


def test_rebuild_command_indexes_photos_stored_before_the_index(editor_client):
    photo = make_photo(caption="قلعة حلب")
    PhotoSearchDocument.objects.all().delete()
    assert autocomplete(editor_client, "lead_photo", "قلعه") == []
    call_command("rebuild_search_index", verbosity=0)
    assert autocomplete(editor_client, "lead_photo", "قلعه") == [photo.pk]


def test_a_search_of_many_words_in_the_article_list_is_searched_not_an_error(editor_client):
    # The reader's search refuses more than MAX_QUERY_WORDS; the admin's box searches for the first of them.
    words = [f"w{number}x" for number in range(150)]
    story = make_article("حلب تستعد للشتاء", body_ar=f"<p>{' '.join(words)}</p>")
    response = editor_client.get("/admin/articles/article/", {"q": " ".join(words)})
    assert response.status_code == 200
    assert change_url(story) in response.text
