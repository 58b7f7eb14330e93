"""Previews of any article, whatever its state: for logged-in staff, and through a signed link that expires for
a reviewer without an account. Both show the article page itself, marked as a preview and kept out of caches
and search engines."""

from datetime import UTC, datetime, timedelta
from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .audit import AuditEntry
from .models import Article
from .views import render_article, render_page

# Specific to previews, so no other signature made with the site's key can pass for a preview link.
SALT = "articles.preview"


def link_lifetime():
    return timedelta(hours=settings.NEWSROOM_PREVIEW_LINK_HOURS)


def preview_token(article):
    """A token naming the article, not a version of it: the reviewer always reads the latest text.

    The creation time goes in too, so that if an id is ever reused (a database restored from an older backup)
    the link cannot show another story. Trashing withdraws the link for good, a restore included (see
    signed_preview): an editor trashes a story to kill a link that leaked.
    """
    return signing.TimestampSigner(salt=SALT).sign_object([article.pk, int(article.created_at.timestamp())])


def reviewer_link(request, article):
    """The absolute address a reviewer without an account can open until it expires, or None: from the trash it
    would not work, and only someone who may edit the article may hand it to outsiders. Writers read their
    colleagues' drafts, but whether a draft leaves the newsroom is its author's or an editor's call."""
    if article.deleted_at is not None or not article.may_edit(request.user):
        return None
    return request.build_absolute_uri(reverse("article_preview_signed", args=[preview_token(article)]))


def private(view):
    """Previews are for the people they were shown to: never cached on the way, never indexed."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        # A link followed from the page must not carry the reviewer's token to another site in its Referer.
        response["Referrer-Policy"] = "no-referrer"
        return response

    return wrapper


def render_preview(request, story, address):
    return render_article(
        request, story, template="articles/preview.html", address=address,
        # The readers' own query decides, so the banner never disagrees with the public site.
        extra={
            "readers_see_it": Article.objects.for_readers().filter(pk=story.pk).exists(),
            "in_this_edition": get_language() in story.editions(),
        },
    )


@private
@admin.site.admin_view
def staff_preview(request, pk):
    # The admin's own gates: its login (with two-factor where the site asks for it), then whoever may open
    # this article in the admin may preview it.
    story = get_object_or_404(Article.objects.for_detail(), pk=pk)
    if not admin.site.get_model_admin(Article).has_view_permission(request, story):
        raise PermissionDenied
    return render_preview(request, story, address=lambda: reverse("article_preview", args=[pk]))


def article_from_token(token):
    """(The article a reviewer's token names, when the link was made), or (None, None) if the token is not one
    of ours; raises SignatureExpired."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        pk, created = signer.unsign_object(token, max_age=link_lifetime())
        pk, created = int(pk), int(created)
        made = datetime.fromtimestamp(signing.b62_decode(token.rsplit(signer.sep, 2)[1]), tz=UTC)
    except signing.SignatureExpired:
        raise
    except (signing.BadSignature, TypeError, ValueError):
        return None, None
    story = Article.objects.for_detail().filter(pk=pk).first()
    return (story, made) if story and int(story.created_at.timestamp()) == created else (None, None)


@private
def signed_preview(request, token):
    try:
        story, made = article_from_token(token)
    except signing.SignatureExpired:
        return refusal(request, 410, _("This preview link has expired. Ask the editor for a new one."))
    if story is None:
        return refusal(request, 404, _("This preview link is not valid. Check that it was copied in full."))
    if story.deleted_at is not None or AuditEntry.happened_to(story, AuditEntry.Action.TRASHED, since=made):
        return refusal(request, 410, _("This article has been withdrawn; its preview link no longer works."))
    return render_preview(request, story, address=lambda: reverse("article_preview_signed", args=[token]))


def refusal(request, status, message):
    response = render_page(request, "articles/preview_refused.html", {"message": message})
    response.status_code = status
    return response


def link_expiry():
    """When a link made now stops working, for the editor who copies it."""
    return timezone.now() + link_lifetime()
