"""The article change form's publication panel: when readers see the story, what still stops its publication,
and its preview links."""

from django import template

from articles.models import Article
from articles.preview import link_expiry, reviewer_link

register = template.Library()


@register.simple_tag(takes_context=True)
def publication_panel(context, article):
    """What the panel shows for ``article`` as saved: after a refused save the form's instance holds what was
    posted (another time, another photo), which is neither what readers see nor what would be published."""
    saved = Article.objects.select_related("lead_photo__credit_person").filter(pk=article.pk).first() or article
    could_publish = saved.status not in Article.TIMED and saved.deleted_at is None
    # The publish checklist, before anyone presses publish and is refused.
    blockers = saved.publish_blockers() if could_publish else []
    return {
        "saved": saved,
        # The readers' own query decides, so the admin never disagrees with the public site.
        "readers_see_it": Article.objects.published().filter(pk=saved.pk).exists(),
        "reviewer_link": reviewer_link(context["request"], saved),
        "link_expires": link_expiry(),
        "blockers": blockers,
        "ready": could_publish and not blockers,
    }
