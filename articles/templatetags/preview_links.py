"""The article change form's publication panel: when readers see the story, what still stops its publication,
and its preview links."""

from django import template

from articles.models import Article
from articles.preview import link_expiry, reviewer_link

register = template.Library()


@register.simple_tag(takes_context=True)
def publication_panel(context, article):
    """What the panel shows for ``article``; the reviewer link only where reviewer_link gives one."""
    return {
        # The readers' own query decides, so the admin never disagrees with the public site.
        "readers_see_it": Article.objects.published().filter(pk=article.pk).exists(),
        "reviewer_link": reviewer_link(context["request"], article),
        "link_expires": link_expiry(),
        # The publish checklist as the story was last saved, before anyone presses publish and is refused: for a
        # story that could be published now (not already published or scheduled, not in the trash).
        **_checklist(article),
    }


def _checklist(article):
    # As saved: after a refused save the form's instance holds what was posted, which is not what would publish.
    saved = Article.objects.filter(pk=article.pk).first()
    if saved is None or saved.status in Article.TIMED or saved.deleted_at is not None:
        return {"blockers": [], "ready": False}
    blockers = saved.publish_blockers()
    return {"blockers": blockers, "ready": not blockers}
