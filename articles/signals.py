"""After-effects of changes, wherever they are made from (admin, shell, cascade, management commands): a deleted
photo's files go, and a change that can show on a public page empties the page cache (articles/page_cache.py)."""

import copy

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from . import page_cache
from .models import Article, ArticleAuthor, InlinePhoto, Person, Photo, Section, SupportAppeal, Tag, TaggedArticle
from .renditions import delete_photo_files


@receiver(post_delete, sender=Photo, dispatch_uid="photo_files_follow_row")
def delete_files_of_deleted_photo(sender, instance, **kwargs):
    # Only once the deletion commits: a rolled-back delete must find its files still there. A copy, because
    # Django clears the instance's pk after the signal, and the rendition folder is named after it.
    photo = copy.copy(instance)

    def delete_files():
        # A picture another photo still shows stays, renditions and all (generate_articles gives each story's
        # photo the files of a pool picture): `manage.py cleanup_media` takes them once no photo names them.
        if not (photo.image.name and Photo.objects.filter(image=photo.image.name).exists()):
            delete_photo_files(photo)

    transaction.on_commit(delete_files, robust=True)


# --- The page cache -----------------------------------------------------------------------------------------
# One generation for the whole site rather than working out which pages a change touches (home, section, tag and
# person pages, other stories' related lists, feeds, sitemaps): that bookkeeping is where stale pages come from.
# What is worked out is only whether a change can show on any public page at all: writers save drafts all day,
# photographers upload all day, and each of those re-rendering the whole site would make the cache useless in
# working hours.
#
# Always after the commit, because a page rendered between the new generation and the commit would show the old
# text under the new generation. Robust, so a cache that cannot be reached does not stop the other after-commit
# work (a deleted photo's files) nor fail a save that has already committed. Several changes in one transaction
# start several generations: each is one small query and one write, cheaper than keeping count.


def pages_changed(sender=None, **kwargs):
    transaction.on_commit(page_cache.new_generation, robust=True)


def pages_changed_if_shown(shown):
    """A new generation, once the transaction commits, if ``shown()`` then says readers see what changed: asked
    after the commit, so it sees what readers will see, and the save itself costs no query. Inside
    page_cache.one_generation() the generation to come will cover it anyway: no query then."""
    if page_cache.deferring():
        page_cache.new_generation()
        return

    def check():
        if shown():
            page_cache.new_generation()
    transaction.on_commit(check, robust=True)


# The sections (in every page's navigation) and the support box show on public pages whatever their state.
for _model in [Section, SupportAppeal]:
    _name = _model._meta.label_lower
    post_save.connect(pages_changed, sender=_model, dispatch_uid=f"pages_follow_save_{_name}")
    post_delete.connect(pages_changed, sender=_model, dispatch_uid=f"pages_follow_delete_{_name}")
# A person deleted may take their credit off photos readers see (on_delete=SET_NULL, which sends no signal).
post_delete.connect(pages_changed, sender=Person, dispatch_uid="pages_follow_delete_articles.person")


@receiver(post_save, sender=Person, dispatch_uid="pages_follow_save_articles.person")
def person_changed(sender, instance, **kwargs):
    # A contributor just invited, or one whose work is all still in drafts or scheduled for later, has no page and
    # no name on one: their biography or portrait written in the admin changes nothing readers see. The byline or
    # credit that puts them on a page starts its own generation. Nothing in a person's own row decides whether
    # readers see them, so asking after the commit cannot miss a person a save takes off the site.
    pages_changed_if_shown(copy.copy(instance).is_shown)


@receiver(post_save, sender=Tag, dispatch_uid="pages_follow_save_articles.tag")
def tag_changed(sender, instance, created, **kwargs):
    # Writers name new tags on their drafts all day. A tag shows only on a story readers can see, and putting it on
    # one starts its own generation (story_parts_changed); a tag renamed, or named in another edition, changes
    # pages only if it is on one already. A tag deleted (merged into another, say) takes its links along, and
    # each link's deletion is a change to its story (story_part_changed).
    if not created:
        pages_changed_if_shown(Article.objects.published().filter(tags=instance.pk).exists)


@receiver(post_save, sender=Article, dispatch_uid="pages_follow_save_articles.article")
def story_changed(sender, instance, wrote_row=True, **kwargs):
    # A story readers can see, or could until this change (unpublished, trashed): drafts and stories in review
    # show nowhere. Nor does a story scheduled for later, until its time, when the generation ends anyway
    # (page_cache.current_generation()): the night desk polishing the morning's stories changes no page. A story
    # scheduled, or moved to another time, starts a generation at once, which learns when the story comes due.
    # A save writing the row back may take the story off the site (Article.save(), _shown_before_save).
    hidden_before = not (wrote_row and getattr(instance, "_shown_before_save", True))
    if instance.keeps_its_time() and hidden_before:
        pages_changed_if_shown(story_shown_or_due_unannounced(instance.pk))
    elif seen_or_due(instance):
        pages_changed(sender)


def seen_or_due(story):
    """Whether readers see the story, or will at its time, or did until this change (unpublished, trashed)."""
    return story.is_live_or_scheduled or getattr(story, "_loaded_live_or_scheduled", False)


def story_shown_or_due_unannounced(pk):
    """The check, for after a change to a story that kept its time as this process saw it: whether readers see the
    story now, or it is due at a time the current generation does not end by. Both are read from the database and
    the generation's record, not from what the saving copy remembers: a copy loaded before someone else
    unpublished the story (whose generation then expects nothing) writes the schedule back when it saves."""

    def check():
        due = Article.objects.live_or_scheduled().filter(pk=pk).values_list("published_at", flat=True).first()
        return due is not None and (due <= timezone.now() or not page_cache.ends_by(due))
    return check


@receiver(post_delete, sender=Article, dispatch_uid="pages_follow_delete_articles.article")
def story_deleted(sender, instance, **kwargs):
    if seen_or_due(instance):
        pages_changed(sender)


def story_shown(*pks):
    """The check, for after a change's commit, whether readers see any of these stories now."""
    return Article.objects.published().filter(pk__in=pks).exists


# The rows that hang a byline, a tag, a body photo or a related story on a story, and the field naming the story
# whose page shows them (a related story shows on the page of the story that picked it).
STORY_PARTS = {
    ArticleAuthor: "article_id",
    TaggedArticle: "content_object_id",
    InlinePhoto: "article_id",
    Article.related_articles.through: "from_article_id",
}


def story_part_changed(sender, instance, **kwargs):
    # A row deleted along with its published story needs nothing here: the story's own deletion counts.
    pages_changed_if_shown(story_shown(getattr(instance, STORY_PARTS[sender])))


def story_parts_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """The relations' managers (story.tags.add(), .set(), .remove(), .clear(), and the reverse ones such as
    photo.inline_in.add()) change the rows without a post_save, and send this instead."""
    if not action.startswith("post_"):
        return
    if not reverse:
        story_changed(Article, instance, wrote_row=False)
    elif pk_set is None:
        # photo.inline_in.clear() and the like: which stories lost it is no longer known.
        pages_changed(sender)
    else:
        pages_changed_if_shown(story_shown(*pk_set))


for _model in STORY_PARTS:
    _name = _model._meta.label_lower
    post_save.connect(story_part_changed, sender=_model, dispatch_uid=f"pages_follow_save_{_name}")
    post_delete.connect(story_part_changed, sender=_model, dispatch_uid=f"pages_follow_delete_{_name}")
    m2m_changed.connect(story_parts_changed, sender=_model, dispatch_uid=f"pages_follow_m2m_{_name}")


@receiver(post_save, sender=Photo, dispatch_uid="pages_follow_save_articles.photo")
def photo_changed(sender, instance, created, **kwargs):
    # Whether readers see a photo is up to the stories and people that use it, not to its own fields: so a photo
    # captioned or credited in the library (the photo desk's day), the lead of a draft or of a story scheduled for
    # later, or the portrait of someone readers do not meet yet, changes no public page, and any
    # change to one readers see does, new rendition files included (written after the edit that asked for them
    # committed, so a page rendered in between must not outlive them). The use that puts a photo on a page starts
    # a generation of its own, and a new photo has none yet. Nor does deleting one change a page: stories and
    # portraits protect the photos they use (on_delete=PROTECT), so only a photo readers do not see can go.
    if not created:
        # A copy: deleted later in the same transaction, the instance would have lost its pk by the commit.
        pages_changed_if_shown(copy.copy(instance).is_shown)
