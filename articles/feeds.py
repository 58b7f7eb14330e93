"""RSS and Atom feeds, built on Django's syndication framework.

Every feed lists the newest stories readers can see in the active language (Arabic at /feed/, English under
/en/feed/, which lists only translated stories because for_readers() filters by language). One query fetches the
stories with their section and lead photo, two more their bylines and tags, whatever the number of items.
"""

import copy
import mimetypes

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Article, Person, Section, Tag
from .renditions import social_image
from .text import xml_text

FEED_SIZE = 20


class SiteFeed(Feed):
    title = _("Newsroom")
    description = _("The latest stories from the newsroom.")

    def __call__(self, request, *args, **kwargs):
        # item_enclosures needs the request (Feed makes item links absolute, not enclosure URLs); one instance
        # serves every request and thread, so the request goes on a copy made for this one.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def link(self, obj=None):
        return obj.get_absolute_url() if obj is not None else reverse("home")

    def get_feed(self, obj, request):
        # Django's writer refuses a whole feed over one control character in a headline, a summary, a byline, a
        # tag or a section's name: they are left out, as readers never see them anyway.
        feed = super().get_feed(obj, request)
        feed.feed = {key: xml_text(value) for key, value in feed.feed.items()}
        feed.items = [{key: xml_text(value) for key, value in item.items()} for item in feed.items]
        return feed

    def stories(self, obj):
        return Article.objects.for_readers()

    def items(self, obj=None):
        return self.stories(obj).for_listing().with_bylines().prefetch_related("tags")[:FEED_SIZE]

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        # RSS readers take a description as HTML and Atom's summary is declared type="html": the summary is
        # plain text, so it is escaped once more, or a «<img onerror=…>» typed in it would run in the reader.
        return escape(item.summary)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        # Atom requires each entry's <updated>: the last change readers were told of (the page's «Updated»), else
        # the publication, as the page's structured data says.
        return item.text_changed_at if item.was_updated else item.published_at

    def item_author_name(self, item):
        # The feed formats carry one author name; the byline joins them as the page does.
        return gettext(", ").join(person.name for person in item.authors.all()) or None

    def item_categories(self, item):
        return [tag.name for tag in item.tags_shown()]

    def item_enclosures(self, item):
        image = social_image(item.lead_photo) if item.lead_photo_id else None
        if image is None:  # no lead photo, or a sensitive one: never an enclosure, as never a share image
            return []
        url = image[0]
        # Length 0: renditions do not record their size, and asking the storage would cost a request per item
        # once media lives in object storage; RSS readers accept 0 for an unknown length.
        mime_type = mimetypes.guess_type(url)[0] or "image/jpeg"
        return [Enclosure(self.request.build_absolute_uri(url), "0", mime_type)]


class SiteAtomFeed(SiteFeed):
    feed_type = Atom1Feed
    subtitle = SiteFeed.description


class SectionFeed(SiteFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, obj):
        return obj.name

    def description(self, obj):
        return gettext("The latest stories in %(section)s.") % {"section": obj.name}

    def stories(self, obj):
        return Article.objects.for_readers().filter(section=obj)


class TagFeed(SiteFeed):
    def get_object(self, request, slug):
        # As the tag page: only in an edition that names the tag and shows a story with it.
        return get_object_or_404(Tag.objects.shown_in(), slug=slug)

    def title(self, obj):
        return gettext("Tag: %(tag)s") % {"tag": obj.name}

    def description(self, obj):
        return gettext("The latest stories tagged %(tag)s.") % {"tag": obj.name}

    def stories(self, obj):
        return Article.objects.for_readers().tagged(obj)


class PersonFeed(SiteFeed):
    def get_object(self, request, slug):
        # As the person page: none in an edition where readers see nothing of theirs yet.
        return get_object_or_404(Person.objects.shown_in(), slug=slug)

    def title(self, obj):
        return obj.name

    def description(self, obj):
        return gettext("The latest stories by %(person)s.") % {"person": obj.name}

    def stories(self, obj):
        return Article.objects.for_readers().by(obj)
