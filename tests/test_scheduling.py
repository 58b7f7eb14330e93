"""Scheduling: an editor picks a future time, readers see the story from that time on without any job, and
``publish_scheduled`` tidies the status once, however many servers run it."""

import io
import re
from datetime import datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.template.defaultfilters import date as date_filter
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from reversion.models import Version

from articles.audit import AuditEntry
from articles.models import Article
from articles.roles import ROLE_WRITER
from tests.concurrency import run_at_once
from tests.factories import make_article, make_editor, make_person, make_user
from tests.test_admin_flow import admin_form_data, change_url


def schedule(article, at):
    article.publish(by=None, at=at)
    assert article.status == Article.Status.SCHEDULED
    return article


def let_time_pass(article, to):
    """What the clock does to a scheduled article: its time comes while its status still says scheduled."""
    Article.objects.filter(pk=article.pk).update(published_at=to)
    article.refresh_from_db()
    assert article.status == Article.Status.SCHEDULED


def publication_time_fields(moment):
    local = timezone.localtime(moment)
    return {"published_at_0": local.strftime("%Y-%m-%d"), "published_at_1": local.strftime("%H:%M:%S")}


def publish_audit(pk):
    """The details of every "published" audit entry of one article."""
    return list(
        AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(Article), target_id=str(pk), action="published"
        ).values_list("detail", flat=True)
    )


# The editor schedules in the admin


@pytest.mark.django_db
def test_save_and_publish_with_a_future_time_schedules_the_article(client):
    editor = make_editor()
    client.force_login(editor)
    article = make_article("ميزانية العام المقبل")
    when = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)

    response = client.post(
        change_url(article),
        admin_form_data(client, change_url(article), **publication_time_fields(when), _publish="Save and publish"),
        follow=True,
    )

    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == Article.Status.SCHEDULED
    assert article.published_at == when
    entry = AuditEntry.objects.get(target_id=article.pk, action="scheduled")
    assert entry.actor == editor
    assert datetime.fromisoformat(entry.detail) == when
    assert publish_audit(article.pk) == []
    messages = [str(message) for message in response.context["messages"]]
    assert any(date_filter(timezone.localtime(when), "DATETIME_FORMAT") in text for text in messages)
    assert type(client)().get(article.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_save_and_publish_with_no_time_publishes_now(client):
    client.force_login(make_editor())
    article = make_article()
    before = timezone.now()

    client.post(change_url(article), admin_form_data(client, change_url(article), _publish="Save and publish"))

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert before <= article.published_at <= timezone.now()


@pytest.mark.django_db
def test_a_scheduled_article_moved_to_an_earlier_past_time_is_published_with_it(client):
    client.force_login(make_editor())
    article = schedule(make_article(), timezone.now() + timedelta(days=1))
    earlier = (timezone.now() - timedelta(hours=3)).replace(microsecond=0)

    client.post(
        change_url(article),
        admin_form_data(client, change_url(article), **publication_time_fields(earlier), _publish="Save and publish"),
    )

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == earlier


@pytest.mark.django_db
def test_a_draft_published_with_a_past_time_typed_keeps_that_time(client):
    client.force_login(make_editor())
    article = make_article()
    as_it_happened = (timezone.now() - timedelta(days=400)).replace(microsecond=0)

    client.post(change_url(article), admin_form_data(
        client, change_url(article), **publication_time_fields(as_it_happened), _publish="Save and publish",
    ))

    article.refresh_from_db()
    assert (article.status, article.published_at) == (Article.Status.PUBLISHED, as_it_happened)


@pytest.mark.django_db
def test_an_unpublished_story_published_again_untouched_comes_out_now_not_at_its_old_time(client):
    client.force_login(make_editor())
    article = make_article(published=True, published_at=timezone.now() - timedelta(days=30))
    article.unpublish(by=None)
    before = timezone.now()

    client.post(change_url(article), admin_form_data(client, change_url(article), _publish="Save and publish"))

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.published_at >= before


@pytest.mark.django_db
def test_save_and_publish_with_another_future_time_moves_the_schedule(client):
    client.force_login(make_editor())
    article = schedule(make_article(), timezone.now() + timedelta(days=1))
    later = (timezone.now() + timedelta(days=4)).replace(second=0, microsecond=0)

    client.post(
        change_url(article),
        admin_form_data(client, change_url(article), **publication_time_fields(later), _publish="Save and publish"),
    )

    article.refresh_from_db()
    assert (article.status, article.published_at) == (Article.Status.SCHEDULED, later)
    assert AuditEntry.objects.filter(target_id=article.pk, action="scheduled").count() == 2


@pytest.mark.django_db
def test_a_writer_cannot_schedule_even_with_a_forged_post(client):
    writer = make_user(ROLE_WRITER)
    client.force_login(writer)
    article = make_article(created_by=writer)
    form = admin_form_data(client, change_url(article))
    when = timezone.now() + timedelta(days=1)

    client.post(change_url(article), form | publication_time_fields(when) | {"_publish": "Save and publish"})

    article.refresh_from_db()
    assert (article.status, article.published_at) == (Article.Status.DRAFT, None)
    assert not AuditEntry.objects.filter(target_id=article.pk, action="scheduled").exists()


@pytest.mark.django_db
def test_change_form_says_when_readers_will_see_a_scheduled_article(client):
    client.force_login(make_editor())
    when = timezone.now() + timedelta(days=3)
    article = schedule(make_article(), when)

    html = client.get(change_url(article)).content.decode()

    assert 'class="module publication-panel"' in html
    assert date_filter(timezone.localtime(when), "DATETIME_FORMAT") in html
    assert gettext("To cancel the schedule, unpublish the article.") in html
    assert "that time has passed" not in html and gettext("Readers can see this article.") not in html


@pytest.mark.django_db
def test_change_form_says_an_overdue_scheduled_article_is_already_public(client):
    client.force_login(make_editor())
    article = schedule(make_article(), timezone.now() + timedelta(days=3))
    let_time_pass(article, timezone.now() - timedelta(minutes=2))

    html = client.get(change_url(article)).content.decode()

    panel = html[html.index('class="module publication-panel"'):]
    assert date_filter(timezone.localtime(article.published_at), "DATETIME_FORMAT") in panel
    assert "publish_scheduled" in panel


@pytest.mark.django_db
def test_change_form_of_a_draft_has_no_schedule_notice(client):
    client.force_login(make_editor())
    article = make_article()

    html = client.get(change_url(article)).content.decode()

    assert gettext("To cancel the schedule, unpublish the article.") not in html


@pytest.mark.django_db
def test_article_list_shows_which_articles_are_scheduled_and_for_when(client):
    client.force_login(make_editor())
    when = timezone.now() + timedelta(days=1)
    scheduled = schedule(make_article("جلسة البرلمان غداً"), when)
    make_article("مسودة لم تنشر")

    response = client.get(reverse("admin:articles_article_changelist"))

    html = response.content.decode()
    row = html[html.index("جلسة البرلمان غداً"):]
    row = row[:row.index("</tr>")]
    assert str(Article.Status.SCHEDULED.label) in row
    assert date_filter(timezone.localtime(when), "DATETIME_FORMAT") in row
    filtered = client.get(reverse("admin:articles_article_changelist"), {"status": "scheduled"})
    assert list(filtered.context["cl"].result_list) == [scheduled]


@pytest.mark.django_db
def test_editor_cancels_a_schedule_with_save_and_unpublish(client):
    editor = make_editor()
    client.force_login(editor)
    article = schedule(make_article(), timezone.now() + timedelta(minutes=5))

    cancelled = client.post(
        change_url(article), admin_form_data(client, change_url(article), _unpublish="Save and unpublish"), follow=True,
    )

    # Never seen, so not «unpublished»: a draft again, with no time, among the desk's drafts.
    article.refresh_from_db()
    assert (article.status, article.published_at) == (Article.Status.DRAFT, None)
    assert "مسودة" in str(list(cancelled.context["messages"])[0])
    assert AuditEntry.objects.get(target_id=article.pk, action="unscheduled").actor == editor
    assert type(client)().get(reverse("article", kwargs={"pk": article.pk, "slug": article.slug})).status_code == 404
    assert published_count(run_publish_scheduled()) == 0
    # «Publish» then publishes now, not at the old time.
    before = timezone.now()
    client.post(change_url(article), admin_form_data(client, change_url(article), _publish="Save and publish"))
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.published_at >= before


@pytest.mark.django_db
def test_bulk_unpublish_cancels_scheduled_articles_too(client):
    client.force_login(make_editor())
    scheduled = schedule(make_article(), timezone.now() + timedelta(hours=2))

    published = make_article(published=True)
    done = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish_selected", "_selected_action": [scheduled.pk, published.pk]}, follow=True,
    )

    scheduled.refresh_from_db()
    assert (scheduled.status, scheduled.published_at) == (Article.Status.DRAFT, None)
    said = [str(message) for message in done.context["messages"]]
    assert any("مسودة" in line for line in said) and any("أُلغي نشر مقال واحد" in line for line in said), said


@pytest.mark.django_db
def test_a_story_readers_saw_then_moved_ahead_is_unpublished_not_made_a_draft(client):
    client.force_login(make_editor())
    article = make_article(published=True)
    article.publish(by=None, at=timezone.now() + timedelta(days=1))  # its time moved ahead: off the site

    article.unpublish(by=None)

    article.refresh_from_db()
    assert article.status == Article.Status.UNPUBLISHED and article.published_at is not None


# A scheduled article goes public without another check, so it must stay publishable, like a published one.
@pytest.mark.django_db
@pytest.mark.parametrize("button", ["_save", "_publish"])
def test_clearing_the_time_of_a_scheduled_article_is_a_form_error_not_a_server_error(client, button):
    client.force_login(make_editor())
    when = timezone.now() + timedelta(days=1)
    article = schedule(make_article(), when)

    response = client.post(
        change_url(article),
        admin_form_data(client, change_url(article), published_at_0="", published_at_1="", **{button: "1"}),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["published_at"]
    article.refresh_from_db()
    assert (article.status, article.published_at) == (Article.Status.SCHEDULED, when)


@pytest.mark.django_db
def test_removing_the_section_of_a_scheduled_article_is_refused(client):
    client.force_login(make_editor())
    article = schedule(make_article(), timezone.now() + timedelta(days=1))

    response = client.post(change_url(article), admin_form_data(client, change_url(article), section="", _save="1"))

    assert response.status_code == 200
    article.refresh_from_db()
    assert article.section_id is not None


# Readers: the clock decides, not a job


def reader_pages(article, tag_slug):
    return {
        "article": reverse("article", kwargs={"pk": article.pk, "slug": article.slug}),
        "home": reverse("home"),
        "section": article.section.get_absolute_url(),
        "tag": reverse("tag", kwargs={"slug": tag_slug}),
    }


@pytest.mark.django_db
def test_readers_see_a_scheduled_story_on_every_page_once_its_time_has_passed_without_any_job(client):
    article = schedule(
        make_article("افتتاح معرض الكتاب", tags=("معرض الكتاب",)), timezone.now() + timedelta(hours=1)
    )
    let_time_pass(article, timezone.now() - timedelta(seconds=1))

    for name, url in reader_pages(article, "معرض-الكتاب").items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert "افتتاح معرض الكتاب" in response.content.decode(), name
    article.refresh_from_db()
    assert article.status == Article.Status.SCHEDULED  # no job ran: the reader query alone decided


@pytest.mark.django_db
def test_readers_see_nothing_of_a_story_scheduled_a_minute_ahead(client):
    article = schedule(
        make_article("افتتاح معرض الكتاب", tags=("معرض الكتاب",)), timezone.now() + timedelta(minutes=1)
    )
    # Another story on the same tag, so the tag page exists and we can see what it leaves out.
    make_article("معرض الكتاب يستعد", tags=("معرض الكتاب",), section=article.section, published=True)

    pages = reader_pages(article, "معرض-الكتاب")
    assert client.get(pages.pop("article")).status_code == 404
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        assert "معرض الكتاب يستعد" in html, name
        assert "افتتاح معرض الكتاب" not in html, name


@pytest.mark.django_db
def test_a_tag_only_a_future_scheduled_story_uses_has_no_page_yet(client):
    article = schedule(make_article(tags=("صفقة سرية",)), timezone.now() + timedelta(minutes=1))

    assert client.get(reverse("tag", kwargs={"slug": "صفقة-سرية"})).status_code == 404

    let_time_pass(article, timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("tag", kwargs={"slug": "صفقة-سرية"})).status_code == 200


# The publish_scheduled command


def run_publish_scheduled(**options):
    out = io.StringIO()
    call_command("publish_scheduled", stdout=out, **options)
    return out.getvalue()


def published_count(output):
    """The number the command printed, whatever language it printed it in."""
    return int(re.search(r"\d+", output).group())


@pytest.mark.django_db
def test_publish_scheduled_flips_only_the_due_articles_and_says_how_many():
    due = [schedule(make_article(), timezone.now() + timedelta(hours=1)) for _ in range(2)]
    for article in due:
        let_time_pass(article, timezone.now() - timedelta(minutes=1))
    later = schedule(make_article(), timezone.now() + timedelta(hours=1))
    trashed = schedule(make_article(), timezone.now() + timedelta(hours=1))
    let_time_pass(trashed, timezone.now() - timedelta(minutes=1))
    trashed.move_to_trash(by=None)

    output = run_publish_scheduled()

    assert output == ngettext(
        "%(count)d scheduled article published.", "%(count)d scheduled articles published.", 2
    ) % {"count": 2} + "\n"

    statuses = dict(Article.objects.values_list("pk", "status"))
    assert [statuses[article.pk] for article in due] == [Article.Status.PUBLISHED] * 2
    assert statuses[later.pk] == statuses[trashed.pk] == Article.Status.SCHEDULED
    for article in due:
        assert publish_audit(article.pk) == ["scheduled"]
        entry = AuditEntry.objects.get(target_id=article.pk, action="published")
        assert entry.actor is None  # the system, not a person


@pytest.mark.django_db
def test_publish_scheduled_keeps_the_publication_time_it_was_scheduled_for():
    article = schedule(make_article(), timezone.now() + timedelta(hours=1))
    due_at = timezone.now() - timedelta(minutes=7)
    let_time_pass(article, due_at)

    run_publish_scheduled()

    article.refresh_from_db()
    assert (article.status, article.published_at) == (Article.Status.PUBLISHED, due_at)
    # Its history says so in the newsroom's language, whatever language the command ran in.
    assert Version.objects.get_for_object(article).first().revision.comment == "نُشر في موعده المجدول."


@pytest.mark.django_db
def test_publish_scheduled_run_twice_publishes_each_article_once():
    article = schedule(make_article(), timezone.now() + timedelta(hours=1))
    let_time_pass(article, timezone.now() - timedelta(minutes=1))

    assert published_count(run_publish_scheduled()) == 1
    assert published_count(run_publish_scheduled()) == 0

    assert publish_audit(article.pk) == ["scheduled"]


@pytest.mark.django_db
def test_publish_scheduled_is_silent_at_verbosity_zero():
    assert run_publish_scheduled(verbosity=0) == ""


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_publish_scheduled_runs_publish_every_due_article_exactly_once(
    database_threads_can_wait_on,
):
    section, author = make_article().section, make_person()
    due = []
    for _ in range(30):
        article = schedule(make_article(section=section, authors=[author]), timezone.now() + timedelta(hours=1))
        due.append(article.pk)
    Article.objects.filter(pk__in=due).update(published_at=timezone.now() - timedelta(minutes=1))
    counts, errors = run_at_once(lambda: published_count(run_publish_scheduled()))

    assert errors == []
    assert sum(counts) == 30
    assert set(Article.objects.filter(pk__in=due).values_list("status", flat=True)) == {Article.Status.PUBLISHED}
    for pk in due:
        assert publish_audit(pk) == ["scheduled"], pk


@pytest.mark.django_db
def test_publish_scheduled_pays_the_same_few_queries_for_each_due_article():
    def flip_queries(stories):
        for article in [schedule(make_article(), timezone.now() + timedelta(hours=1)) for _ in range(stories)]:
            let_time_pass(article, timezone.now() - timedelta(minutes=1))
        with CaptureQueriesContext(connection) as flipping:
            assert Article.publish_due() == stories
        return len(flipping)

    one, six = flip_queries(1), flip_queries(6)

    # Its status written (in a savepoint) and the flip recorded. No edition can change on the way, so the
    # editions readers see are not read before and after.
    assert (six - one) / 5 <= 4
