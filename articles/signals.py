"""After-effects of changes, wherever they are made from (admin, shell, cascade, management commands): a deleted
photo's files go, and a change that can show on a public page empties the page cache (articles/page_cache.py)."""

import copy

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from . import page_cache
from .models import Article, ArticleAuthor, InlinePhoto, Person, Photo, Section, SupportAppeal, Tag, TaggedArticle
from .renditions import delete_photo_files


@receiver(post_delete, sender=Photo, dispatch_uid="photo_files_follow_row")
def delete_files_of_deleted_photo(sender, instance, **kwargs):
    # Only once the deletion commits: a rolled-back delete must find its files still there. A copy, because
    # Django clears the instance's pk after the signal, and the rendition folder is named after it.
    photo = copy.copy(instance)
    transaction.on_commit(lambda: delete_photo_files(photo))


# Everything a public page shows comes from these rows: the stories and their bylines, tags, related stories and
# body photos, the sections (in every page's navigation), people, photos, and the support box.
PUBLIC_MODELS = [
    Article, ArticleAuthor, InlinePhoto, TaggedArticle, Article.related_articles.through,
    Section, Person, Photo, Tag, SupportAppeal,
]


def pages_changed(sender, **kwargs):
    # One generation for the whole site rather than working out which pages a change touches (home, section,
    # tag and person pages, other stories' related lists, feeds, sitemaps): edits are rare next to reads, and
    # that bookkeeping is where stale pages come from. After the commit, because a page rendered between the
    # new generation and the commit would show the old text under the new generation. Robust, so a cache that
    # cannot be reached does not stop the other after-commit work (a deleted photo's files) nor fail a save
    # that has already committed. Several changes in one transaction start several generations: each is one
    # small query and one write, cheaper than keeping count.
    transaction.on_commit(page_cache.new_generation, robust=True)


for _model in PUBLIC_MODELS:
    _name = _model._meta.label_lower
    post_save.connect(pages_changed, sender=_model, dispatch_uid=f"pages_follow_save_{_name}")
    post_delete.connect(pages_changed, sender=_model, dispatch_uid=f"pages_follow_delete_{_name}")
    # Bylines, tags, related stories and body photos also change through the relations' managers (add, set,
    # remove, clear), which send m2m_changed with the through model as sender.
    m2m_changed.connect(pages_changed, sender=_model, dispatch_uid=f"pages_follow_m2m_{_name}")
