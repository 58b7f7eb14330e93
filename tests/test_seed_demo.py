import pytest
from django.core.management import call_command

from articles.models import Article, Person, Photo, Section, Tag


def counts():
    return [model.objects.count() for model in (Section, Person, Photo, Tag, Article)]


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_everything_published_is_publishable(capsys, media_in_tmp):
    call_command("seed_demo")
    first, files = counts(), sorted(media_in_tmp.rglob("*"))
    call_command("seed_demo")
    assert counts() == first
    assert sorted(media_in_tmp.rglob("*")) == files  # nothing stored twice, no rendition redone
    assert first[-1] >= 25
    published = Article.objects.published()
    assert published.count() >= 20
    assert all(article.publish_blockers() == [] for article in published)
    assert Article.objects.in_edition("en").published().exists()
    assert len(list((media_in_tmp / "photos").rglob("*.jpg"))) == Photo.objects.count()
    assert all(photo.renditions for photo in Photo.objects.all())
    assert Article.objects.filter(inline_photos__isnull=False).published().exists()
    assert "editor" in capsys.readouterr().out


@pytest.mark.django_db
def test_demo_editor_can_log_in_to_the_admin(client):
    call_command("seed_demo")
    response = client.post("/admin/login/", {"username": "editor", "password": "newsroom-demo", "next": "/admin/"})
    assert response.status_code == 302
    assert client.get("/admin/articles/article/").status_code == 200


@pytest.mark.django_db
def test_seed_demo_names_its_tags_in_english_unless_another_tag_has_the_name(django_capture_on_commit_callbacks):
    taken = Tag.objects.create(name_ar="سورية", name_en="Syria")
    earlier = Tag.objects.create(name_ar="حلب")  # from a demo seeded before tags had English names

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)

    assert Tag.objects.get(name_ar="سوريا").name_en is None
    assert Tag.objects.get(pk=taken.pk).name_en == "Syria"
    assert Tag.objects.get(pk=earlier.pk).name_en == "Aleppo"
    assert Tag.objects.filter(name_en="Damascus").exists()
