"""Editors merge tags: every article keeps its tagging under the kept tag, once, and the merge is recorded."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from articles.admin import tags_merge
from articles.audit import AuditEntry
from articles.models import Tag
from articles.roles import ROLE_EDITOR, ROLE_WRITER
from tests.factories import make_article, make_user

TAGS = reverse("admin:articles_tag_changelist")


def tags_of(article):
    return sorted(article.tags.values_list("name", flat=True))


@pytest.fixture
def tagged():
    """Two spellings of one subject, and the tag meant to hold both, spread over articles in every combination."""
    keep, first, second = (Tag.objects.create(name=name) for name in ("دمشق", "مدينة دمشق", "دمشق القديمة"))
    other = Tag.objects.create(name="اقتصاد")
    articles = {
        "first": make_article(tags=[first]),
        "second": make_article(tags=[second, other]),
        "both": make_article(tags=[first, second]),
        "already kept": make_article(tags=[keep, first]),
        "kept only": make_article(tags=[keep]),
        "untouched": make_article(tags=[other]),
    }
    return keep, [first, second], other, articles


def merge(client, tags, keep=None):
    data = {"action": "merge_selected", "_selected_action": [tag.pk for tag in tags]}
    if keep is not None:
        data |= {"post": "yes", "keep": keep.pk}
    return client.post(TAGS, data, follow=keep is not None)


@pytest.mark.django_db
def test_merging_tags_keeps_every_articles_tagging_under_the_kept_tag_once(client, tagged):
    keep, merged, other, articles = tagged
    editor = make_user(ROLE_EDITOR)
    client.force_login(editor)

    response = merge(client, [keep, *merged], keep=keep)

    assert response.status_code == 200
    assert {name: tags_of(article) for name, article in articles.items()} == {
        "first": ["دمشق"],
        "second": sorted(["دمشق", "اقتصاد"]),
        "both": ["دمشق"],
        "already kept": ["دمشق"],
        "kept only": ["دمشق"],
        "untouched": ["اقتصاد"],
    }
    assert sorted(Tag.objects.values_list("name", flat=True)) == sorted(["دمشق", "اقتصاد"])
    entry = AuditEntry.objects.get(action=AuditEntry.Action.TAGS_MERGED)
    assert (entry.actor, entry.target_id) == (editor, str(keep.pk))
    assert entry.detail == "، ".join(sorted(tag.name for tag in merged))


@pytest.mark.django_db
def test_merge_asks_which_tag_to_keep_before_changing_anything(client, tagged):
    keep, merged, _other, _articles = tagged
    client.force_login(make_user(ROLE_EDITOR))

    page = merge(client, [keep, *merged])

    assert page.status_code == 200
    keep_field = page.context["form"]["keep"]
    first, second = merged
    # The most used first, and preselected: usually the one to keep.
    assert [str(choice.data["value"]) for choice in keep_field] == [str(first.pk), str(keep.pk), str(second.pk)]
    assert keep_field.initial == first
    assert Tag.objects.count() == 4
    content = page.content.decode()
    for tag in [keep, *merged]:
        assert f'name="_selected_action" value="{tag.pk}"' in content


@pytest.mark.django_db
def test_merge_needs_at_least_two_tags(client, tagged):
    keep, _merged, _other, _articles = tagged
    client.force_login(make_user(ROLE_EDITOR))

    response = client.post(TAGS, {"action": "merge_selected", "_selected_action": [keep.pk]}, follow=True)

    assert response.status_code == 200
    assert Tag.objects.count() == 4
    assert [message.level_tag for message in response.context["messages"]] == ["warning"]


@pytest.mark.django_db
def test_keeping_a_tag_outside_the_selection_is_refused(client, tagged):
    keep, merged, other, articles = tagged
    client.force_login(make_user(ROLE_EDITOR))

    response = merge(client, merged, keep=other)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert Tag.objects.count() == 4
    assert tags_of(articles["both"]) == sorted(tag.name for tag in merged)


@pytest.mark.django_db
def test_writers_are_not_offered_the_merge_and_a_forged_one_changes_nothing(client, tagged):
    keep, merged, _other, _articles = tagged
    client.force_login(make_user(ROLE_WRITER))

    changelist = client.get(TAGS)
    response = merge(client, [keep, *merged], keep=keep)

    action_form = changelist.context["action_form"]  # None when no action at all is offered
    assert action_form is None or "merge_selected" not in dict(action_form.fields["action"].choices)
    assert response.status_code == 200
    assert Tag.objects.count() == 4
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.TAGS_MERGED).exists()


@pytest.mark.django_db
def test_tags_merge_refuses_someone_who_may_not_delete_tags(tagged):
    keep, merged, _other, _articles = tagged

    with pytest.raises(PermissionDenied):
        tags_merge(keep=keep, tags=[keep, *merged], by=make_user(ROLE_WRITER))

    assert Tag.objects.count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize("meanwhile", ["kept tag merged away", "every other tag merged away"])
def test_a_merge_crossing_another_editors_says_so_and_changes_nothing_more(client, tagged, monkeypatch, meanwhile):
    # Two editors merge the same tags, choosing different ones to keep: the second finds the rows changed.
    keep, (first, second), _other, articles = tagged
    client.force_login(make_user(ROLE_EDITOR))

    def the_other_editor_first(*, keep, tags, by):
        if meanwhile == "kept tag merged away":
            tags_merge(keep=first, tags=[keep, first, second], by=None)
        else:
            tags_merge(keep=keep, tags=[keep, first, second], by=None)
        return tags_merge(keep=keep, tags=tags, by=by)

    monkeypatch.setattr("articles.admin.tags_merge", the_other_editor_first)

    response = merge(client, [keep, first, second], keep=keep)

    assert response.status_code == 200
    assert "تغيّرت هذه الوسوم" in response.content.decode()
    assert Tag.objects.filter(name__in=["دمشق", "مدينة دمشق", "دمشق القديمة"]).count() == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.TAGS_MERGED).count() == 1  # the other editor's
    assert all(tags_of(article) for article in articles.values())


@pytest.mark.django_db
def test_a_merged_tags_page_answers_301_to_the_kept_tags(client):
    keep, merged = Tag.objects.create(name="الزراعة"), Tag.objects.create(name="زراعة")
    make_article(tags=[keep], published=True)
    make_article(tags=[merged], published=True)
    old_page = merged.get_absolute_url()
    assert client.get(old_page).status_code == 200

    tags_merge(keep=keep, tags=[keep, merged], by=make_user(ROLE_EDITOR))

    moved = client.get(old_page)
    assert moved.status_code == 301 and moved["Location"] == keep.get_absolute_url()



@pytest.mark.django_db
def test_merging_again_keeps_the_old_addresses_that_led_to_a_merged_tag(client):
    first, second, third = (Tag.objects.create(name=name) for name in ("ألف", "باء", "جيم"))
    make_article(tags=[third], published=True)
    editor = make_user(ROLE_EDITOR)
    old_first = first.get_absolute_url()

    tags_merge(keep=second, tags=[second, first], by=editor)
    tags_merge(keep=third, tags=[third, second], by=editor)

    assert client.get(old_first)["Location"] == third.get_absolute_url()
