"""The newsroom's domain: sections, people, photos with credits, tags, articles and their search index."""

import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.db.models import Exists, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, override, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import NaturalKeyManager, TagBase, TaggedItemBase

from .audit import WITHDRAWALS, AuditEntry
from .text import (
    BODY_EXTENSIONS,
    clean_body_html,
    inline_photo_ids,
    shows_something,
    tag_name,
    unicode_slug,
    without_direction_controls,
    words_or_nothing,
)

# The years a stored time may fall in. Year 1's first hours, moved to UTC from a zone ahead of it, fall before
# any date Python holds (and year 9999's last hours after it, from a zone behind), and SQLite's adapter fails there.
CALENDAR_YEARS = range(datetime.MINYEAR + 1, datetime.MAXYEAR)
_A_DAY = datetime.timedelta(days=1)


def within_the_calendar(moment):
    if isinstance(moment, datetime.date) and moment.year not in CALENDAR_YEARS:
        raise ValidationError(
            _("Enter a date from the year %(first)s to the year %(last)s."),
            code="out_of_calendar", params={"first": CALENDAR_YEARS[0], "last": CALENDAR_YEARS[-1]},
        )


def newsroom_midnight(day, *, after=0):
    """The instant the newsroom's ``day`` begins (or the day ``after`` days later), in its time zone.

    Pages that list days (the date archive, search's date range) filter on such instants, which the newest-first
    index serves; a date taken from each story's time would be computed for every story. The calendar's first and
    last days are taken as the second and the last but one: their midnights, moved to UTC from some time zones,
    fall outside what Python and the databases hold. No story lies there (within_the_calendar).
    """
    day = min(max(day, datetime.date.min + _A_DAY), datetime.date.max - _A_DAY) + datetime.timedelta(days=after)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def instant_before(moment):
    """The last instant before ``moment`` (a microsecond, the finest time both databases keep), for a range asked
    as one bound or one BETWEEN. Counted in UTC: on a night the clocks go back at midnight, the local "one
    microsecond before" is in the first pass through the last hour, and a story published in the second would
    belong to no day."""
    return moment.astimezone(datetime.UTC) - datetime.timedelta(microseconds=1)


class Section(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        # The model's own name, apart from the story's «القسم» field: Django's admin builds «أضف %s» from it.
        # (The plural heads lists and the index, as the definite «الأقسام».)
        verbose_name = pgettext_lazy("model", "section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("section", kwargs={"slug": self.slug})


class PersonQuerySet(models.QuerySet):
    def shown_in(self, language=None):
        """People readers of an edition can see the work of: a byline on a story of it they may read, or a credited
        photo in one (Photo.objects.shown_in). Only they have a page, a feed and a place in the people sitemap
        there, so a contributor just invited stays unknown to readers until something of theirs is published."""
        return self.filter(work_shown_in(language))

    def with_editions(self):
        """Each person with ``in_<language>``: whether shown_in(language) holds, for every edition at once."""
        return self.annotate(**{f"in_{code}": any_of(*work_shown_ways(code)) for code, _name in settings.LANGUAGES})


def work_shown_in(language=None):
    """The condition of PersonQuerySet.shown_in, on the person in the outer query."""
    return Q(*work_shown_ways(language), _connector=Q.OR)


def work_shown_ways(language=None):
    """The ways readers of an edition see the work of the person in the outer query: a byline
    (bylines_shown_in), then a credited photo as a story's lead, then one in a story's body (photos_shown_ways),
    the likeliest first."""
    return [bylines_shown_in(language), *photos_shown_ways(language)]


def bylines_shown_in(language=None):
    """Whether the person in the outer query has a byline on a story readers of the edition may read: their
    bylines walked (byline_by_person_idx), each story asked as a value, stopping at the first readers see.
    Asked as one EXISTS joining stories to bylines, PostgreSQL walked every story of a translated edition instead
    to probe each for the byline, and found none for a photographer: 33 ms at 100,000 stories, on every page of
    theirs. A value (a scalar subquery) is never turned into a join, so the walk starts from the person."""
    story = Article.objects.for_readers(language).filter(pk=OuterRef("article_id")).order_by().values("pk")[:1]
    bylines = ArticleAuthor.objects.filter(person=OuterRef("pk"))
    return Exists(bylines.alias(seen=Subquery(story)).filter(seen__isnull=False))


def photos_shown_ways(language=None):
    """The two ways readers of an edition see a photo credited to the person in the outer query: as a story's
    lead, and in a story's body. Each is a half of Photo.objects.shown_ways(), asked apart, so neither hashes the
    whole archive first."""
    return [Exists(half.filter(credit_person=OuterRef("pk"))) for half in Photo.objects.shown_ways(language)]


def any_of(*conditions):
    """True where one of the conditions holds, each asked only while none before it has: a value for a SELECT
    list, where SQLite works out every side of an OR (README "At archive scale": the photographer's page)."""
    return models.Case(*[models.When(condition, then=True) for condition in conditions], default=False)


class Person(models.Model):
    class Role(models.TextChoices):
        # A role as a person page names it («مصوّر»), apart from a field's label (the photo's «المصوّر»).
        WRITER = "writer", pgettext_lazy("role", "writer")
        REPORTER = "reporter", pgettext_lazy("role", "reporter")
        PHOTOGRAPHER = "photographer", pgettext_lazy("role", "photographer")
        EDITOR = "editor", pgettext_lazy("role", "editor")
        TRANSLATOR = "translator", pgettext_lazy("role", "translator")

    # Arabic names a woman's role in the feminine («مراسلة», not «مراسل»); English has one word for both.
    FEMININE_ROLES = {
        Role.WRITER: pgettext_lazy("feminine role", "writer"),
        Role.REPORTER: pgettext_lazy("feminine role", "reporter"),
        Role.PHOTOGRAPHER: pgettext_lazy("feminine role", "photographer"),
        Role.EDITOR: pgettext_lazy("feminine role", "editor"),
        Role.TRANSLATOR: pgettext_lazy("feminine role", "translator"),
    }

    class Gender(models.TextChoices):
        MASCULINE = "masculine", pgettext_lazy("grammatical gender", "masculine (reporter)")
        FEMININE = "feminine", pgettext_lazy("grammatical gender", "feminine (reporter)")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True, allow_unicode=True)
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.WRITER)
    role_gender = models.CharField(
        _("grammatical gender of the role"), max_length=10, choices=Gender, default=Gender.MASCULINE,
        help_text=_("How the person page names the role in Arabic."),
    )
    bio = models.TextField(_("biography"), blank=True)
    # PROTECT: the library refuses to delete a photo in use, and a portrait is a use.
    photo = models.ForeignKey(
        "Photo", verbose_name=_("portrait"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="person",
    )
    # Deactivating keeps every byline; deleting would not.
    is_active = models.BooleanField(_("active"), default=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("person", kwargs={"slug": self.slug})

    def clean(self):
        # A byline is printed in every story and page of the person's: direction overrides and embeddings typed or
        # pasted into a name («سامي\u202eغريب») turn the rest of it around. Each is isolated where it is shown.
        super().clean()
        for code, _name in settings.LANGUAGES:
            field = f"name_{code}"
            if name := getattr(self, field):
                setattr(self, field, without_direction_controls(name))

    def edition_bio(self):
        """The biography written for the active edition, or none: a name may stand in another script (the
        translation falls back to the Arabic name), but a paragraph of Arabic on an English page may not."""
        return getattr(self, f"bio_{get_language()}", "") or ""

    def role_title(self):
        """The role as the person page names it, in the person's grammatical gender."""
        if self.role_gender == self.Gender.FEMININE and self.role in self.FEMININE_ROLES:
            return self.FEMININE_ROLES[self.role]
        return self.get_role_display()

    def is_shown(self):
        """Whether readers see this person now: a byline on a story they can read, or the credit of a photo one
        shows. Only then do their name, page and portrait reach a reader (PersonQuerySet.shown_in); a contributor
        just invited has none of them, and one whose first story is scheduled meets readers at its time, when the
        page generation ends anyway (page_cache.current_generation())."""
        # shown_in()'s ways, in any edition (every story readers see is in the source edition), asked apart: as one
        # OR of subqueries it cost 6 ms to plan, and SQLite worked out every side of it.
        person = Person.objects.filter(pk=self.pk)
        return any(person.filter(way).exists() for way in work_shown_ways(settings.LANGUAGE_CODE))


class PhotoQuerySet(models.QuerySet):
    def shown_in(self, language=None):
        """Photos readers of an edition can already see: in a story of it they may read, as the lead or in the
        body. The person page and the people sitemap show a photographer's work by this rule, so the library's
        drafts never leak."""
        as_lead, in_body = self.shown_ways(language)
        return as_lead | in_body

    def shown_ways(self, language=None):
        """shown_in as its two halves: photos readers see as a story's lead, and in a story's body. Each half is
        answered with one index probe a photo, stopping at the first it needs; joined by OR in one query,
        PostgreSQL reads every story readers see to hash them first (at 100,000 stories, on every photographer's
        page). Where only a few are wanted, ask the halves apart.

        The body half asks for a story as a value (a scalar subquery, which is never hashed): asked as EXISTS,
        PostgreSQL hashed every story with a photo in its body whenever it expected more than a few probes, as
        for a photographer's newest dozen or the people sitemap (70 ms at 100,000 stories, each time)."""
        edition = Article.objects.for_readers(language).order_by()
        in_a_body = Subquery(edition.filter(inline_photos=OuterRef("pk")).values("pk")[:1])
        return (
            self.filter(Exists(edition.filter(lead_photo=OuterRef("pk")))),
            self.alias(in_a_body=in_a_body).filter(in_a_body__isnull=False),
        )

    def credited_to(self, person, count):
        """The newest ``count`` photos of ``person`` that readers see (shown_in), each with ``story_pk``,
        ``story_slug`` and ``story_headline``: the newest story readers can read it in, for the person page."""
        newest = self.filter(credit_person=person).order_by("-uploaded_at", "-pk")
        # The newest of each half (shown_ways), then the newest of those. Each half walks the photographer's photos
        # in order (photo_by_photographer_idx) and stops once it has enough; asked as one query (pk IN one half OR
        # pk IN the other), PostgreSQL reads all the photos in the table to test each against both.
        as_lead, in_body = newest.shown_ways()
        leads = list(as_lead.values_list("pk", "uploaded_at")[:count])
        if leads and len(leads) == count:
            # Only a photo no older than the last of those leads can be among the newest. Unbounded, the body half
            # of a photographer none of whose photos is in a body asked each of them (at 25,000 photos, 17 ms).
            in_body = in_body.filter(uploaded_at__gte=leads[-1][1])
        candidates = [pk for pk, _uploaded_at in leads] + list(in_body.values_list("pk", flat=True)[:count])
        chosen = self.filter(pk__in=candidates).order_by("-uploaded_at", "-pk")[:count]
        # The stories are looked up for the chosen photos only: asked of each of a photographer's photos before
        # the limit, they cost a page with 2,000 photos eight seconds.
        shows_it = Q(lead_photo=OuterRef("pk")) | Q(inline_photos=OuterRef("pk"))
        story = Article.objects.for_readers().filter(shows_it, published_at=OuterRef("story_at")).order_by("-pk")
        return chosen.annotate(story_at=_last_shown_at()).annotate(**{
            f"story_{name}": Subquery(story.values(name)[:1]) for name in ("pk", "slug", "headline")
        })


def _last_shown_at():
    """When the newest story readers may read that shows the photo of the outer query came out. The lead and the
    body are asked apart, each as a MAX through its own index: asked as one condition (lead OR body), or as an
    ORDER BY … LIMIT 1, the database may walk the whole archive in date order looking for the photo."""
    readers_see = Article.objects.for_readers().order_by()
    as_lead = Subquery(
        readers_see.filter(lead_photo=OuterRef("pk")).values("lead_photo").annotate(at=Max("published_at")).values("at")
    )
    in_body = Subquery(
        readers_see.filter(inline_photos=OuterRef("pk")).values("inline_photos")
        .annotate(at=Max("published_at")).values("at")
    )
    # Greatest is NULL on SQLite when either is: a photo only one kind of story shows compares that one with itself.
    return Greatest(Coalesce(as_lead, in_body), Coalesce(in_body, as_lead))


def _blank(field):
    return Q(**{field: ""}) | Q(**{f"{field}__isnull": True})


# A photo the desk has still to credit, or to describe for readers who cannot see it: in the Arabic edition,
# which every photo has. The photo library's filters and its indexes name these very conditions.
MISSING_CREDIT = _blank(f"credit_{settings.LANGUAGE_CODE}") & Q(credit_person__isnull=True)
MISSING_ALT_TEXT = _blank(f"alt_text_{settings.LANGUAGE_CODE}")


class Photo(models.Model):
    image = models.ImageField(
        _("image"), upload_to="photos/%Y/%m/", width_field="width", height_field="height"
    )
    caption = models.TextField(_("caption"), blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    # No index of its own: photo_by_photographer_idx leads with it. Beside it PostgreSQL could take this one
    # and sort a photographer's photos, which that index gives in order.
    credit_person = models.ForeignKey(
        Person, verbose_name=_("photographer"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="credited_photos", db_index=False,
    )
    alt_text = models.CharField(
        _("alt text"), max_length=300, blank=True,
        help_text=_("What the photo shows, for readers who cannot see it."),
    )
    is_sensitive = models.BooleanField(
        _("sensitive image"), default=False,
        help_text=_("Graphic content: readers see it blurred behind a warning, and it is never a social card."),
    )
    # Where the crops centre, in percent of the width and height from the image's top-left corner.
    focal_x = models.PositiveSmallIntegerField(
        _("focal point across (%)"), default=50, validators=[MaxValueValidator(100)],
        help_text=_("Percent of the width, from the image's left edge."),
    )
    focal_y = models.PositiveSmallIntegerField(
        _("focal point down (%)"), default=50, validators=[MaxValueValidator(100)],
        help_text=_("Percent of the height, from the image's top edge."),
    )
    creator = models.CharField(_("creator"), max_length=200, blank=True)
    copyright_notice = models.CharField(_("copyright notice"), max_length=300, blank=True)
    taken_at = models.DateTimeField(_("date taken"), null=True, blank=True, validators=[within_the_calendar])
    # What the uploaded file itself said (caption, credit, creator, copyright, date taken, each with the
    # block it came from), kept so the editor can see it after the file's metadata has been stripped.
    embedded_metadata = models.JSONField(_("metadata in the file"), default=dict, blank=True, editable=False)
    prefilled_fields = models.JSONField(_("filled from the file"), default=list, blank=True, editable=False)
    # SHA-256 of the stored image: rendition names derive from it, so a new image means new names.
    source_digest = models.CharField(max_length=64, blank=True, editable=False)
    # The generated renditions, read by templates without a query: {"key": ..., "sizes": {name: [...]}}.
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    width = models.PositiveIntegerField(_("width"), editable=False, default=0)
    height = models.PositiveIntegerField(_("height"), editable=False, default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        indexes = [
            # The person page's photos (PhotoQuerySet.credited_to): a photographer's newest, read in order.
            models.Index(fields=["credit_person", "-uploaded_at", "-id"], name="photo_by_photographer_idx"),
            # The photo library, newest first: without it each page of the list sorted every photo (at 100,000
            # photos, 0.2 s a page on PostgreSQL).
            models.Index(fields=["-uploaded_at", "-id"], name="photo_newest_idx"),
            # The photo desk's worklists, in the library's order. Few photos are on them, so each index is small
            # and the list and its count read only it, not the whole library.
            models.Index(fields=["-uploaded_at", "-id"], name="photo_missing_credit_idx", condition=MISSING_CREDIT),
            models.Index(fields=["-uploaded_at", "-id"], name="photo_missing_alt_text_idx", condition=MISSING_ALT_TEXT),
            models.Index(fields=["-uploaded_at", "-id"], name="photo_sensitive_idx", condition=Q(is_sensitive=True)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__lte=100, focal_y__lte=100), name="photo_focal_point_in_image"
            )
        ]
        permissions = [("change_photo_on_site", _("Can change photos readers see"))]

    def __str__(self):
        # Never the file's name («photos/2026/12/7f3ac6….jpg»), which tells the desk nothing.
        words = next((words for words in (self.caption, self.alt_text) if shows_something(words)), "")
        if words:
            return words[:60]
        return str(_("Photo %(number)s") % {"number": self.pk} if self.pk else _("New photo"))

    # What a photo shows readers in words: each a published photo must carry (missing_for_publication()).
    WORDS = ("caption", "credit", "alt_text")

    def clean(self):
        super().clean()
        for field in (f"{name}_{code}" for name in self.WORDS for code, _name in settings.LANGUAGES):
            if getattr(self, field):  # only invisible marks are no words at all, as the desk's filters count them
                setattr(self, field, words_or_nothing(getattr(self, field)))
        stored = Photo.objects.select_related("credit_person").filter(pk=self.pk).first() if self.pk else None
        if stored is not None:
            stored.refuse_losing_words(self)

    def refuse_losing_words(self, changed):
        """Raise ValidationError if saving ``changed`` (this photo with new words) would take from a published or
        scheduled story showing it a caption, credit or alt text it has: a story's checklist is met once, at
        publication, and no later writer of the photo (its form, a story's lead photo box, a restored version)
        may undo it."""
        with override(settings.LANGUAGE_CODE):
            had = {str(field) for field in self.missing_for_publication()}
            lost = [str(field) for field in changed.missing_for_publication() if str(field) not in had]
        if lost and self._in_any_of(Article.objects.live_or_scheduled()):
            raise ValidationError(
                _("A published or scheduled story shows this photo, so it must keep its %(fields)s."),
                code="shown_on_site", params={"fields": "، ".join(lost)},
            )

    def is_on_site(self):
        """Whether readers see it, or will without anyone acting: the lead or in the body of a published or
        scheduled story, or a person's portrait."""
        return (
            self._in_any_of(Article.objects.live_or_scheduled())
            # Any portrait, shown or not yet: no editor looks at it again when its person's first story comes out,
            # so may_change() keeps it from writers all along.
            or Person.objects.filter(photo=self.pk).exists()
        )

    def is_shown(self):
        """Whether readers see it now: the lead or in the body of a story they can read, or the portrait of a person
        they see. The page cache asks this after a photo's save (articles/signals.py); a story scheduled for later
        shows it at its time, when the page generation ends anyway."""
        return self._in_any_of(Article.objects.published()) or any(
            person.is_shown() for person in Person.objects.filter(photo=self.pk).only("pk")
        )

    def _in_any_of(self, stories):
        """Whether the photo is the lead or in the body of one of ``stories``. Each use asked apart, from its own
        index: asked as one query, PostgreSQL hashed every live story first (13 ms at 10,000 stories, and more as
        the archive grows), after each save of a photo (articles/signals.py)."""
        return stories.filter(lead_photo=self.pk).exists() or stories.filter(inline_photos=self.pk).exists()

    def may_change(self, user):
        """Anyone who may change photos may change this one until readers see it; from then on only the photo desk
        and editors, since a writer's new image, caption or credit would reach a published story no editor saw."""
        return user.has_perm("articles.change_photo") and (
            user.has_perm("articles.change_photo_on_site") or not self.is_on_site()
        )

    @property
    def credit_line(self):
        """The credit as printed after a caption: the credit text, else the photographer's name.

        A credit is a legal duty, so an edition without its own credit text prints the source-language one.
        """
        credit = self.credit or getattr(self, f"credit_{settings.LANGUAGE_CODE}")
        if shows_something(credit):
            return credit
        return self.credit_person.name if self.credit_person_id else ""

    def missing_for_publication(self, caption_override=""):
        """Names of the fields a published photo must carry but this one lacks."""
        missing = []
        if not (shows_something(caption_override) or shows_something(self.caption)):
            missing.append(_("caption"))
        if not shows_something(self.credit_line):
            missing.append(_("credit"))
        if not shows_something(self.alt_text):
            missing.append(_("alt text"))
        return missing


# A tag's name in each edition (articles/translation.py), the source edition's first.
TAG_NAME_FIELDS = [f"name_{code}" for code, _name in settings.LANGUAGES]


class TagQuerySet(models.QuerySet):
    def shown_in(self, language=None):
        """Tags with a page, a feed and a place in the sitemap of an edition (the active language's by default):
        named in it (Tag.is_named_in), on a story its readers may see. Arabic is the source, so every tag has an
        Arabic name; the English edition shows a tag only once an editor has given it an English name. A tag only
        drafts use has no page anywhere: its name alone could reveal an unpublished story."""
        return self.filter(_tag_shown_in(language))

    def with_editions(self):
        """Each tag with ``in_<language>``: whether shown_in(language) holds, for every edition at once."""
        return self.annotate(**{
            f"in_{code}": models.ExpressionWrapper(_tag_shown_in(code), output_field=models.BooleanField())
            for code, _name in settings.LANGUAGES
        })

    def called(self, name):
        """Tags with this name in some edition, in any case (TAGGIT_CASE_INSENSITIVE): how writers find a tag."""
        return self.filter(Q(*[(f"{field}__iexact", name) for field in TAG_NAME_FIELDS], _connector=Q.OR))

    def for_names(self, names):
        """The tags a writer typed by name (called()), one per name (text.tag_name: names that look alike are one),
        each made with that name as its Arabic name where no tag has it."""
        tags = {}
        for name in filter(None, map(tag_name, names)):
            tag = self.called(name).order_by("pk").first() or self.get_or_create(name_ar=name)[0]
            tags[tag.pk] = tag
        return list(tags.values())


def _tag_shown_in(language=None):
    named = Q(**{f"name_{language or get_language()}__gt": ""})  # neither NULL nor empty
    return named & Exists(Article.objects.for_readers(language).filter(tags=OuterRef("pk")))


class Tag(TagBase):
    """A taggit tag whose slug keeps Arabic letters, so «سوريا» lives at /tag/سوريا/, with a name per edition
    (articles/translation.py)."""

    objects = NaturalKeyManager.from_queryset(TagQuerySet)()
    # taggit's key is "name", which django-modeltranslation reads in the active language: the Arabic one never moves.
    natural_key_fields = ["name_ar"]

    # TagBase's slug is 100 characters; Arabic letters take two bytes, not two characters, so this is ample.
    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def clean(self):
        # Writers find a tag by typing its name in any edition's language, in any case (TagQuerySet.called): one
        # name must lead to one tag. Only a name being changed is asked, so tags that shared a name before this
        # rule (an import, or "COVID" beside "covid") can still be saved, and merged.
        super().clean()
        self.normalise_names()
        if not self.name_ar:  # typed, but only marks that show nothing
            raise ValidationError({"name_ar": self._meta.get_field("name_ar").error_messages["blank"]})
        stored = (Tag.objects.filter(pk=self.pk).values(*TAG_NAME_FIELDS).first() if self.pk else None) or {}
        for field in TAG_NAME_FIELDS:
            name = getattr(self, field)
            if name and name != stored.get(field) and Tag.objects.exclude(pk=self.pk).called(name).exists():
                raise ValidationError({field: _("Another tag already has this name, in one edition or another.")})

    def save(self, *args, **kwargs):
        # Arabic is the source: a tag made by name while another language is active (Tag(name=…), which
        # django-modeltranslation gives that language) takes the name as its Arabic one too. (Writers' typed names
        # go through TagQuerySet.for_names, which finds a tag by any edition's name first.)
        self.normalise_names()
        if not self.name_ar:
            self.name_ar = next(iter(self.names()), "")
        # taggit's own name column is unique and the slug is made from it: both keep the Arabic name, whichever
        # edition's language the save runs in (django-modeltranslation would write the active language's).
        with override(settings.LANGUAGE_CODE):
            return super().save(*args, **kwargs)

    def normalise_names(self):
        """Each edition's name in one spelling (text.tag_name), however it was typed or imported: names that look
        alike are one name, which TagQuerySet.called then finds; a name of invisible marks alone is none."""
        for field in TAG_NAME_FIELDS:
            if name := getattr(self, field):
                setattr(self, field, tag_name(name) or None)

    def names(self):
        """The tag's names in the editions that have one, the source edition's first."""
        return [name for name in (getattr(self, field) for field in TAG_NAME_FIELDS) if name]

    def is_named_in(self, language):
        """Whether the tag has a name in this edition, as TagQuerySet.shown_in asks it."""
        return bool(getattr(self, f"name_{language}"))

    def slugify(self, tag, i=None):
        slug = unicode_slug(tag, max_length=90) or "tag"
        return f"{slug}-{i}" if i is not None else slug

    def get_absolute_url(self):
        return reverse("tag", kwargs={"slug": self.slug})


class TaggedArticle(TaggedItemBase):
    # A plain foreign key (not taggit's generic one) so tag pages join on an indexed integer.
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag")
        ]
        # The other way round, for a tag's page: its stories without reading the tagging table itself.
        indexes = [models.Index(fields=["tag", "content_object"], name="tagged_article_by_tag_idx")]


# Where walking the archive and sorting a tag's or writer's own stories cost the same (ArticleQuerySet._linked()):
# about 1,500 stories at 100,000 articles (measured on SQLite: sorting costs ~6 µs a story, 9 ms for 1,500; walking
# to the page and counting on costs ~0.13 ms × archive ÷ stories, also 9 ms for 1,500, with the status in the
# newest-first index). A smaller archive never reaches the walk.
MANY_STORIES = 1500


class ArticleQuerySet(models.QuerySet):
    def published(self, at=None):
        """What readers may see: published or scheduled, once the publication time has come.

        Comparing with the clock here means a scheduled story appears on time even if publish_scheduled
        has not run yet; the command only tidies the status afterwards.
        """
        return self.filter(
            status__in=[Article.Status.PUBLISHED, Article.Status.SCHEDULED],
            published_at__lte=at or timezone.now(),
            deleted_at__isnull=True,
        )

    def live_or_scheduled(self):
        """What readers see now or will see without anyone acting: published() with the future included."""
        return self.filter(status__in=Article.TIMED, deleted_at__isnull=True)

    def in_trash(self):
        return self.filter(deleted_at__isnull=False)

    def not_in_trash(self):
        return self.filter(deleted_at__isnull=True)

    def due(self, at=None):
        """Scheduled stories whose time has come but whose status still says scheduled."""
        return self.filter(
            status=Article.Status.SCHEDULED, published_at__lte=at or timezone.now(), deleted_at__isnull=True
        )

    def editable_by(self, user):
        """The articles a user may change: all of them for editors, their own drafts for writers."""
        if user.has_perm("articles.edit_any_article"):
            return self
        if not user.has_perm("articles.change_article"):
            return self.none()
        return self.filter(created_by=user, status__in=Article.WRITER_EDITABLE, deleted_at__isnull=True)

    def stale_translation(self, language):
        """Translated articles whose source text changed after the translation was last brought in line with it
        (Article.translated_from)."""
        return self.in_edition(language).filter(
            **{f"translated_from_{language}__lt": F(f"text_changed_at_{settings.LANGUAGE_CODE}")}
        )

    def needs_translation(self, language):
        return self.exclude(pk__in=self.in_edition(language).values("pk"))

    def in_edition(self, language=None):
        """Articles that exist in a language: Arabic always, others only when translated."""
        language = language or get_language()
        if language == settings.LANGUAGE_CODE:
            return self
        return self.filter(translated_into(language))

    def for_readers(self, language=None, at=None):
        """What readers of an edition see, newest first; as they saw it at ``at`` (default: now)."""
        return self.published(at).in_edition(language).order_by("-published_at", "-pk")

    def tagged(self, tag):
        """The stories with this tag, read the way that stays fast for its number of stories (_linked())."""
        return self._linked(TaggedArticle.objects.filter(tag=tag), "content_object", tags=tag)

    def by(self, person):
        """The stories with this person in the byline, as tagged()."""
        return self._linked(ArticleAuthor.objects.filter(person=person), "article", authors=person)

    def _linked(self, links, story_field, **joined):
        """These stories narrowed to those ``links`` (TaggedArticle or ArticleAuthor rows) tie to them.

        A tag or a writer with many stories has its newest ones found fastest by walking the archive newest first
        and checking each story (it stops after a page); one with few, by reading all of its stories and sorting
        them. The databases choose between the two well only with fresh statistics (SQLite sorted 12,000 stories
        of a common tag: 100 ms at 100,000 articles), so one short count of the tag's or writer's rows chooses.
        """
        if links.order_by()[:MANY_STORIES].count() < MANY_STORIES:
            return self.filter(**joined)
        return self.filter(Exists(links.filter(**{story_field: OuterRef("pk")})))

    def published_on_days(self, first, last):
        """Stories published from the start of day ``first`` to the end of day ``last``, on the newsroom's clock."""
        # One BETWEEN rather than ">= and <": beside published()'s "up to now", SQLite took "now" as the end of its
        # index walk and read every story since the period (an archive year of five years ago: 15 ms a query at
        # 100,000 stories, 0.1 ms now).
        end = instant_before(newsroom_midnight(last, after=1))
        return self.filter(published_at__range=(newsroom_midnight(first), end))

    def for_listing(self):
        """Everything an article card shows, in one query; the heavy body stays behind."""
        return self.select_related("section", "lead_photo", "lead_photo__credit_person").defer(
            "body", *(f"body_{code}" for code, _name in settings.LANGUAGES),
            "lead_photo__embedded_metadata", "lead_photo__prefilled_fields",
        )

    def with_bylines(self):
        """Authors in byline order, fetched in one extra query for the whole list."""
        return self.prefetch_related(
            models.Prefetch("authors", queryset=Person.objects.order_by("articleauthor__order"))
        )

    def in_full(self):
        """Each story whole, with its section, lead photo and its credit, bylines and tags, in three queries."""
        return self.select_related(
            "section", "lead_photo", "lead_photo__credit_person"
        ).with_bylines().prefetch_related("tags")

    def for_detail(self):
        """Everything the article page shows but the photos in its body (Article.load_inline_photos()), in a fixed
        number of queries; ``has_hand_picked`` says whether related_for_readers() must look for hand-picked stories.

        For one story only: asked for a page of stories, PostgreSQL answers has_hand_picked by hashing every
        hand-picked link of the archive (the ninjs feed reads in_full()).
        """
        hand_picked = Article.related_articles.through.objects.filter(from_article=OuterRef("pk"))
        return self.in_full().annotate(has_hand_picked=Exists(hand_picked))

    def with_inline_photos(self):
        """The photos in each body, for a list of stories (the news feed) in one extra query."""
        return self.prefetch_related(INLINE_PHOTOS)

    def latest_per_section(self, per_section):
        """The newest few articles of every section, in two queries whatever the size of the archive.

        The first asks each section for the ids of its newest stories (a short walk down the section's index,
        repeated per place); the second loads them. A window over the whole archive would read every article.
        """
        newest = self.filter(section=OuterRef("pk")).order_by("-published_at", "-pk").values("pk")
        places = [f"place_{n}" for n in range(per_section)]
        picks = Section.objects.annotate(
            **{place: Subquery(newest[n:n + 1]) for n, place in enumerate(places)}
        ).values_list(*places)
        return self.filter(pk__in=[pk for row in picks for pk in row if pk is not None])


INLINE_PHOTOS = models.Prefetch("inline_photos", queryset=Photo.objects.select_related("credit_person"))

# The condition of the article indexes: every query but the trash's says it, so SQLite and PostgreSQL both use them.
NOT_IN_TRASH = Q(deleted_at__isnull=True)


def translated_into(language):
    """The stories with a full translation into ``language``: a headline and a body (neither empty nor NULL).

    In these very words both in in_edition() and in the condition of that edition's index, so both databases
    see the query holds the index's condition.
    """
    return Q(**{f"headline_{language}__gt": "", f"body_{language}__gt": ""})


def address_slug(slug):
    """The slug in a story's address: «article» for one stored without (a row written around save())."""
    return slug or "article"


class Article(models.Model):
    """A story. Writes go through save(): it cleans every edition's body and keeps the inline-photo rows in
    step with it, so a queryset .update() of a body would bypass both (and a photo's deletion protection)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_REVIEW = "review", _("in review")
        SCHEDULED = "scheduled", _("scheduled")
        PUBLISHED = "published", _("published")
        UNPUBLISHED = "unpublished", _("unpublished")

    # A writer may change their own article only while it is still on its way to an editor.
    WRITER_EDITABLE = (Status.DRAFT, Status.IN_REVIEW)
    # States with a publication time: live, or live from that time on.
    TIMED = (Status.SCHEDULED, Status.PUBLISHED)

    headline = models.CharField(_("headline"), max_length=250)
    slug = models.SlugField(
        _("slug"), max_length=250, allow_unicode=True, blank=True,
        help_text=_("Filled from the headline when left empty. The address stays valid if it changes."),
    )
    summary = models.TextField(_("summary"), blank=True)
    body = ProseEditorField(
        _("body"), blank=True, extensions=BODY_EXTENSIONS, sanitize=clean_body_html
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="articles",
    )
    tags = TaggableManager(verbose_name=_("tags"), through=TaggedArticle, blank=True)
    authors = models.ManyToManyField(
        Person, verbose_name=_("authors"), through="ArticleAuthor", blank=True,
        related_name="articles",
    )
    lead_photo = models.ForeignKey(
        Photo, verbose_name=_("lead photo"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="lead_of",
    )
    lead_photo_caption = models.TextField(
        _("lead photo caption for this article"), blank=True,
        help_text=_("Leave empty to use the photo's own caption."),
    )
    # Photos placed inside the body; kept in step with the body on every save so a photo in use
    # cannot be deleted and the library knows where each photo appears.
    inline_photos = models.ManyToManyField(
        Photo, verbose_name=_("photos in the body"), through="InlinePhoto", blank=True,
        related_name="inline_in",
    )
    related_articles = models.ManyToManyField(
        "self", verbose_name=_("related articles"), symmetrical=False, blank=True
    )
    is_top_story = models.BooleanField(
        _("top story"), default=False,
        help_text=_("Leads the home page. Ticked on a published story, it is the only top story; on a draft, it "
                    "leads once published, as the newest."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication time"), null=True, blank=True, validators=[within_the_calendar]
    )
    # Bumped by every save: a form saved from an older version is an edit conflict, never a silent overwrite.
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    # When each edition's text (headline, summary, body) last changed: a translation older than the
    # source is stale. Translated by modeltranslation, so there is one column per language.
    text_changed_at = models.DateTimeField(_("text changed at"), null=True, blank=True, editable=False)
    # For a translation: the source text's change time it was last brought in line with (its creation, or a
    # translator saying so). The translation is stale while the source changed after it. Not its own save time:
    # a comma mended in the English left the Arabic's new paragraph untranslated, yet called it up to date.
    translated_from = models.DateTimeField(
        _("translation matches the source of"), null=True, blank=True, editable=False
    )
    deleted_at = models.DateTimeField(_("moved to the trash at"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("moved to the trash by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            # No index leads with the status: five values, two of them nearly every row, so one is never worth
            # reading, and SQLite without statistics (no ANALYZE yet) took it over the one below and sorted the
            # whole archive for each listing. The scheduled stories are few: publish_scheduled finds them here.
            models.Index(
                fields=["published_at"], name="article_scheduled_idx",
                condition=Q(status="scheduled", deleted_at__isnull=True),
            ),
            # The stories still in the newsroom's hands, for the admin's status filter: few beside the archive.
            models.Index(
                fields=["status", "-published_at", "-id"], name="article_workflow_idx",
                condition=Q(status__in=["draft", "review", "unpublished"], deleted_at__isnull=True),
            ),
            # Every listing is "newest first, a page at a time": home, feeds, the archive, the admin list walk
            # this index backwards and stop after a page, so the cost of a page does not grow with the archive.
            # The status comes last, never first: the few drafts are skipped in passing, and the walks of tag,
            # writer and search pages (which test thousands of stories for the few they show) and the admin's
            # count by status read the index alone, never a story they do not keep.
            models.Index(
                fields=["-published_at", "-id", "status"], name="article_newest_idx", condition=NOT_IN_TRASH
            ),
            models.Index(
                fields=["section", "-published_at", "-id"], name="article_section_newest_idx", condition=NOT_IN_TRASH
            ),
            # The same two for each translated edition, holding only its translated stories: a thin edition (a
            # few stories in English, a Turkish one just begun) made its every listing walk the Arabic archive past
            # all the stories it lacks (README "Performance": the English pages at 100,000 stories).
            *(
                models.Index(fields=fields, name=name.format(code), condition=NOT_IN_TRASH & translated_into(code))
                for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
                for fields, name in (
                    (["-published_at", "-id", "status"], "article_newest_{}_idx"),
                    (["section", "-published_at", "-id"], "article_section_{}_idx"),
                )
            ),
            # The admin's count of the stories not in the trash (every page of its list, unfiltered) and the
            # trash itself. Without it SQLite read the whole table to count (80 ms at 100,000 stories; 3 ms here).
            models.Index(fields=["deleted_at"], name="article_trash_idx"),
            # The syndication feed's "changed since" (articles/ninjs.py): a story changes when saved or, if it
            # was scheduled, when its time comes, whichever is later.
            models.Index(
                Greatest("updated_at", "published_at"), "id", name="article_changed_idx", condition=NOT_IN_TRASH
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["published", "scheduled"]) | Q(published_at__isnull=False),
                name="published_article_has_time",
            )
        ]
        permissions = [
            ("edit_any_article", _("Can edit every article, whoever wrote it")),
            ("publish_article", _("Can publish, schedule and unpublish articles")),
            ("empty_trash", _("Can delete articles in the trash for good")),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        # The sanitiser also runs here, so importers and shell scripts cannot store raw HTML.
        for code, _name in settings.LANGUAGES:
            body_field = f"body_{code}"
            setattr(self, body_field, clean_body_html(getattr(self, body_field, "") or ""))
            slug_field, headline = f"slug_{code}", getattr(self, f"headline_{code}", "")
            if not getattr(self, slug_field, "") and headline:
                setattr(self, slug_field, unicode_slug(headline, max_length=200) or "article")
        update_fields = kwargs.get("update_fields")
        self.version += 1
        now = timezone.now()
        loaded = getattr(self, "_loaded_text", {})
        current = self._text_by_language()
        for code, text in current.items():
            if text != loaded.get(code, (None,) * len(self.TEXT_FIELDS)) and any(text):
                setattr(self, f"text_changed_at_{code}", now)
        source_at = getattr(self, f"text_changed_at_{settings.LANGUAGE_CODE}")
        for code in current.keys() - {settings.LANGUAGE_CODE}:
            new_translation = any(current[code]) and not any(loaded.get(code) or ())
            if new_translation or code in getattr(self, "_translations_matching_source", ()):
                setattr(self, f"translated_from_{code}", source_at)
        self._translations_matching_source = set()
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields, "version", *(f"text_changed_at_{c}" for c in current),
                *(f"translated_from_{c}" for c in current),
            }
        # Only a story published or scheduled, now or as loaded, can leave an edition: a draft's save asks nothing.
        # Nor does a save of the status alone that keeps it published or scheduled (publish_due's flip):
        # published() treats the two alike, so such a save changes no edition.
        was_shown = getattr(self, "_loaded_live_or_scheduled", True)
        stays_timed = update_fields is not None and {*update_fields} <= {"status"} and self.status in self.TIMED
        may_leave = self.pk is not None and (self.is_live_or_scheduled or was_shown) and not stays_timed
        with transaction.atomic():
            # Locked: a translation saved by someone else between this read and this write would otherwise be
            # overwritten with no withdrawal recorded, though its readers saw it.
            on_site = self.editions_on_site(lock=True) if may_leave else set()
            # Whether readers saw it just before this write, as the database held it: a copy that kept its time may
            # still take it off the site, writing back a schedule someone replaced by publishing (signals.py).
            self._shown_before_save = bool(on_site)
            super().save(*args, **kwargs)
            if update_fields is None or any(field.startswith("body") for field in update_fields):
                # The rows follow the body, so a photo in use cannot be deleted and the library knows where
                # each photo appears. An id with no photo behind it is left out (it renders as nothing).
                ids = self.inline_photo_ids()
                self.inline_photos.set(Photo.objects.filter(pk__in=ids).values_list("pk", flat=True) if ids else [])
            if on_site:
                self._record_editions_left(on_site)
        self._loaded_text = current
        self._remember_timing()

    def get_absolute_url(self):
        return reverse("article", kwargs={"pk": self.pk, "slug": address_slug(self.slug)})

    TEXT_FIELDS = ("headline", "summary", "body")

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        article = super().from_db(db, field_names, values, **kwargs)
        article._loaded_text = article._text_by_language()
        # Whether readers could see it as loaded, so the page cache (articles/signals.py) knows that a save
        # taking it off the site changes pages too. Loaded without these fields, it is taken to have been.
        loaded = article.__dict__
        article._loaded_live_or_scheduled = (
            not {"status", "deleted_at"} <= loaded.keys() or article.is_live_or_scheduled
        )
        article._loaded_published_at = loaded.get("published_at")
        return article

    def _remember_timing(self):
        """What a later save of this copy is compared with (keeps_its_time(), the page cache): the state it just
        wrote or read, which another save, or a rollback, may have changed since."""
        self._loaded_live_or_scheduled = self.is_live_or_scheduled
        self._loaded_published_at = self.published_at

    @property
    def is_live_or_scheduled(self):
        """On the site, or due to appear there at its publication time (Article.objects.live_or_scheduled())."""
        return self.status in self.TIMED and self.deleted_at is None

    def keeps_its_time(self):
        """Whether this copy of the story was published or scheduled as loaded and still is, for the same time. Then
        a change to it shows on public pages only once that time has come, if it has not yet; the page cache checks
        against the database after the commit (articles/signals.py)."""
        return (
            self.is_live_or_scheduled
            and getattr(self, "_loaded_live_or_scheduled", False)
            and self.published_at is not None
            and self.published_at == getattr(self, "_loaded_published_at", None)
        )

    def editions_on_site(self, *, lock=False):
        """The editions readers can read this story in now, as the database holds it (for_readers() of each).
        With ``lock``, the row stays locked until the transaction ends, so no other save changes them meanwhile."""
        readers_see = Article.objects.published().filter(pk=self.pk)
        if lock:
            readers_see = readers_see.select_for_update()
        translations = {
            code: models.ExpressionWrapper(translated_into(code), output_field=models.BooleanField())
            for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
        }
        row = readers_see.values("pk", **translations).first()
        if row is None:
            return set()
        return {settings.LANGUAGE_CODE} | {code for code in translations if row[code]}

    def _record_editions_left(self, before):
        """A save that takes a story off an edition its readers saw, whichever screen or script made it (unpublished,
        trashed, its time moved into the future, its translation removed, a revision restored without it), is
        recorded for each edition, so the ninjs feed tells exactly that edition's partners to take it down
        (articles/ninjs.py), whatever happens to the story afterwards (a translation removed once it is off)."""
        # Whoever made this save: the trash records who moved it there, every other change who saved it.
        by = self.deleted_by if self.deleted_at is not None else self.updated_by
        for code in sorted(before - self.editions_on_site()):
            self._record(AuditEntry.Action.WITHDRAWN, by, detail=code)

    def _text_by_language(self):
        # From __dict__, not getattr: a deferred field (cards defer the body) must not be fetched just to be
        # compared, and one never loaded cannot have been changed.
        return {
            code: tuple(self.__dict__.get(f"{name}_{code}") for name in self.TEXT_FIELDS)
            for code, _name in settings.LANGUAGES
        }

    def is_published(self):
        """Whether readers see the story now (Article.objects.published())."""
        return Article.objects.published().filter(pk=self.pk).exists()

    def lead_the_home_page(self):
        """Make this published top story the only one. The home page leads with the newest ticked, so an older
        story ticked by an editor led nothing while a newer one stayed ticked. Returns the stories unticked."""
        # Only stories readers see: one scheduled or drafted as a top story leads once it comes out, as the newest.
        others = list(Article.objects.published().filter(is_top_story=True).exclude(pk=self.pk))
        for other in others:
            other.is_top_story = False
            other.save(update_fields=["is_top_story"])
        return others

    def translation_matches_source(self, language):
        """A translator's word that this edition's text now says what the source says: at the next save it is no
        longer stale (translation_status), whatever the source's last change was, that save's own included."""
        self._translations_matching_source = {*getattr(self, "_translations_matching_source", ()), language}

    def editions(self):
        """The languages this article can be read in: the source language, and every full translation."""
        return [
            code for code, _name in settings.LANGUAGES
            if code == settings.LANGUAGE_CODE
            or (getattr(self, f"headline_{code}", "") and getattr(self, f"body_{code}", ""))
        ]

    def tags_shown(self):
        """The tags readers of the active language's edition see on this story: those named in it
        (Tag.is_named_in), read from the tags in_full() prefetched."""
        language = get_language()
        return [tag for tag in self.tags.all() if tag.is_named_in(language)]

    def inline_photo_ids(self):
        """Ids of the photos placed in the body, in every language, in order of appearance."""
        ids = []
        for code, _name in settings.LANGUAGES:
            ids += inline_photo_ids(getattr(self, f"body_{code}", "") or "")
        return list(dict.fromkeys(ids))

    def load_inline_photos(self):
        """Fetch the photos the body places, for the article page; a body that places none (most do not) costs
        no query. The rows follow the body on every save, so the body says whether there are any."""
        body = self.body or ""
        if "data-photo-id" in body and inline_photo_ids(body):  # the sanitiser's pass only when it may find one
            models.prefetch_related_objects([self], INLINE_PHOTOS)
        return self

    @property
    def display_lead_caption(self):
        return self.lead_photo_caption or (self.lead_photo.caption if self.lead_photo else "")

    @property
    def was_updated(self):
        """This edition's text changed noticeably (more than a few minutes) after publication.

        Read from text_changed_at, not updated_at: publishing, trashing or retagging is not a revision readers
        need to be told about.
        """
        revised = self.text_changed_at
        return bool(self.published_at and revised and revised - self.published_at > timezone.timedelta(minutes=5))

    def publish_blockers(self):
        """Everything that stops publication, as sentences an editor can act on."""
        # The checklist is about the source (Arabic) text, whatever language the editor's admin is in.
        with override(settings.LANGUAGE_CODE):
            return self._publish_blockers()

    def _publish_blockers(self):
        blockers = []
        if not getattr(self, f"headline_{settings.LANGUAGE_CODE}"):
            blockers.append(_("The article has no headline."))
        if not self.section_id:
            blockers.append(_("Choose a section."))
        # Asked of the table, not self.authors: the admin may hold a copy prefetched before the bylines
        # saved alongside this very publication.
        if not self.pk or not ArticleAuthor.objects.filter(article_id=self.pk).exists():
            blockers.append(_("Add at least one author."))
        if self.lead_photo_id:
            missing = self.lead_photo.missing_for_publication(self.lead_photo_caption or "")
            if missing:
                blockers.append(
                    _("The lead photo lacks: %(fields)s.")
                    % {"fields": "، ".join(str(item) for item in missing)}
                )
        elif settings.NEWSROOM_REQUIRE_LEAD_PHOTO:
            blockers.append(_("Choose a lead photo."))
        # Read from the body as it stands, saved or not, so the checklist matches what would be published.
        ids = self.inline_photo_ids()
        photos = Photo.objects.select_related("credit_person").in_bulk(ids) if ids else {}
        for position, photo in enumerate((photos[pk] for pk in ids if pk in photos), start=1):
            if missing := photo.missing_for_publication():
                blockers.append(
                    _("Photo %(position)s in the body (%(photo)s) lacks: %(fields)s.")
                    % {"position": position, "photo": photo, "fields": "، ".join(str(item) for item in missing)}
                )
        return blockers

    # Who may do what. ``by=None`` is the system itself (publish_scheduled, importers, the demo loader).

    def may_edit(self, user):
        if user is None or user.has_perm("articles.edit_any_article"):
            return True
        if not self.pk:
            return user.has_perm("articles.add_article")
        return (
            user.has_perm("articles.change_article") and self.created_by_id == user.pk
            and self.status in self.WRITER_EDITABLE and self.deleted_at is None
        )

    @staticmethod
    def may_publish(user):
        return user is None or user.has_perm("articles.publish_article")

    def _require(self, allowed):
        if not allowed:
            raise PermissionDenied(_("You may not do this to this article."))

    def _record(self, action, by, detail=""):
        AuditEntry.record(action, self, actor=by, detail=detail)

    # Transitions: each locks the row and reads its state afresh, checks who may do it, then acts, then records who
    # and when. Two sent at once (two editors' list actions, a double click) run one after the other, and the
    # second sees what the first did: no second audit entry, no version bumped once for two saves.

    WORKFLOW_STATE = ["status", "published_at", "deleted_at", "deleted_by", "created_by", "version"]

    def _lock(self):
        """Within a transaction: lock this article's row until it ends, and read its workflow state as saved."""
        if self.pk is None:
            return
        try:
            self.refresh_from_db(fields=self.WORKFLOW_STATE, from_queryset=Article._base_manager.select_for_update())
        except Article.DoesNotExist:  # deleted for good meanwhile, from the trash: nothing left to act on
            raise PermissionDenied(_("You may not do this to this article.")) from None
        # Whether this save takes the story off the site is measured from the state just read (save(), signals).
        self._remember_timing()

    @transaction.atomic
    def publish(self, *, by, at=None):
        """Publish now, or schedule for ``at`` if that is in the future; the checklist must be complete. Returns
        whether anything changed: a story already live at that time is left alone."""
        self._lock()
        self._require(self.may_publish(by) and self.deleted_at is None)
        now = timezone.now()
        live = self.status == self.Status.PUBLISHED and self.published_at and self.published_at <= now
        if live and (at is None or at == self.published_at):
            # No new version (it would look like an edit conflict to whoever has the article open) and no second
            # audit entry. (A scheduled story is scheduled again, and audited: the form may just have moved its time.)
            return False
        blockers = self.publish_blockers()
        if blockers:
            raise ValidationError(blockers)
        when = at or (self.published_at if self.status in self.TIMED else None) or now
        self.status = self.Status.SCHEDULED if when > now else self.Status.PUBLISHED
        self.published_at, self.updated_by = when, by
        self.save()
        if self.status == self.Status.SCHEDULED:
            self._record("scheduled", by, detail=when.isoformat())
        else:
            self._record("published", by)
        return True

    @transaction.atomic
    def submit_for_review(self, *, by):
        self._lock()
        self._require(self.may_edit(by) and self.status in (self.Status.DRAFT, self.Status.UNPUBLISHED))
        self.status = self.Status.IN_REVIEW
        self.updated_by = by
        self.save(update_fields=["status", "updated_by", "updated_at"])
        self._record("submitted", by)

    @transaction.atomic
    def unpublish(self, *, by):
        """Take the story off the site. One scheduled for a time still to come was never seen: its schedule is
        cancelled and it is a draft again, with no time, so that «publish» next means now (it kept its old time,
        and was scheduled again for it) and the desk finds it among the drafts."""
        self._lock()
        self._require(self.may_publish(by) and self.status in self.TIMED)
        self.updated_by = by
        if (
            self.status == self.Status.SCHEDULED and self.published_at and self.published_at > timezone.now()
            # Not a story readers saw whose time was then moved ahead: that one is unpublished, as ninjs says.
            and not AuditEntry.happened_to(self, AuditEntry.Action.PUBLISHED, *WITHDRAWALS)
        ):
            self.status, self.published_at = self.Status.DRAFT, None
            self.save(update_fields=["status", "published_at", "updated_by", "updated_at"])
            self._record(AuditEntry.Action.UNSCHEDULED, by)
            return
        self.status = self.Status.UNPUBLISHED
        self.save(update_fields=["status", "updated_by", "updated_at"])
        self._record("unpublished", by)

    @transaction.atomic
    def move_to_trash(self, *, by):
        """Deleting an article only moves it to the trash; an editor can restore it."""
        self._lock()
        self._require((by is None or by.has_perm("articles.delete_article")) and self.deleted_at is None)
        self.deleted_at, self.deleted_by = timezone.now(), by
        self.save(update_fields=["deleted_at", "deleted_by"])
        self._record("trashed", by)

    @transaction.atomic
    def restore_from_trash(self, *, by):
        self._lock()
        self._require((by is None or by.has_perm("articles.delete_article")) and self.deleted_at is not None)
        self.deleted_at, self.deleted_by, self.updated_by = None, None, by
        # updated_at too: the story is back before readers, and a partner reading the ninjs feed since it was
        # withdrawn must get it again.
        self.save(update_fields=["deleted_at", "deleted_by", "updated_at", "updated_by"])
        self._record("restored", by)

    @transaction.atomic
    def delete_for_good(self, *, by):
        """Only from the trash, and only for those who may empty it (administrators)."""
        self._lock()
        self._require((by is None or by.has_perm("articles.empty_trash")) and self.deleted_at is not None)
        self._record("purged", by)
        self.delete()

    @classmethod
    def publish_due(cls, at=None):
        """Flip scheduled stories whose time has come to published; returns how many.

        Rows another process is already flipping are skipped (SKIP LOCKED on PostgreSQL; SQLite's
        IMMEDIATE transactions serialise the runs), so several servers may run this at once.
        """
        flipped = 0
        while True:
            with transaction.atomic():
                batch = list(
                    cls.objects.due(at).select_for_update(skip_locked=True).order_by("published_at", "pk")[:100]
                )
                for article in batch:
                    article.status = cls.Status.PUBLISHED
                    article.save(update_fields=["status"])
                    article._record("published", None, detail="scheduled")
                flipped += len(batch)
            if len(batch) < 100:
                return flipped

    def related_for_readers(self, limit=4):
        """Hand-picked related articles first, then the newest sharing a tag: at most two short queries, none when
        there is nothing to look for.

        One query ordering "hand-picked first" fits no index, so it read every story sharing a tag (tens of
        thousands in a large archive) to keep four; each of these two walks an index and stops. For a story
        fetched with for_detail(), its tags are already loaded: naming them spares the database a subquery to plan
        (a quarter of this method's time on the uncached article page, bench/pages.py).
        """
        readers_see = Article.objects.for_readers().for_listing().exclude(pk=self.pk)
        hand_picked = Article.related_articles.through.objects.filter(from_article_id=self.pk).values("to_article_id")
        # for_detail() says whether there are any: editors pick them for few stories, and asking costs a query.
        any_picked = getattr(self, "has_hand_picked", True)
        related = list(readers_see.filter(pk__in=hand_picked)[:limit]) if any_picked else []
        its_tags = [tag.pk for tag in self.tags.all()]
        if len(related) >= limit or not its_tags:
            return related
        sharing_a_tag = TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag_id__in=its_tags)
        more = readers_see.filter(Exists(sharing_a_tag))
        if related:
            more = more.exclude(pk__in=[story.pk for story in related])
        return related + list(more[: limit - len(related)])


class ArticleAutosave(models.Model):
    """Work in progress on an article, saved in the background so a closed tab loses nothing.

    Never a published change: the article itself changes only when its author saves the form.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, null=True, blank=True, related_name="autosaves")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    # The article's version the form was opened at, so restoring can tell if someone saved since.
    base_version = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField(auto_now=True)
    # Which add form a new article's draft came from, so two tabs of new articles keep two drafts; "" when the
    # article exists already (one draft per article and person).
    draft_key = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        verbose_name = _("autosaved draft")
        verbose_name_plural = _("autosaved drafts")
        constraints = [
            models.UniqueConstraint(fields=["article", "user", "draft_key"], name="one_autosave_per_form_and_user"),
            # The constraint above holds nothing for a new article: NULLs are all distinct to a unique index. Two
            # autosaves of one new form at once (a tick and the beacon sent as the tab hides) made two rows, and
            # every later autosave of that form failed on get().
            models.UniqueConstraint(
                fields=["user", "draft_key"], condition=Q(article__isnull=True), name="one_autosave_per_new_form"
            ),
        ]

    def __str__(self):
        return f"{self.article or '—'} ({self.user})"


class ArticleAuthor(models.Model):
    """A byline: who wrote the article, in the order the bylines are printed."""

    # No index of their own: unique_byline leads with the article and byline_by_person_idx with the person. With a
    # separate article_id index PostgreSQL probed a writer's bylines through it and read each byline row, twice
    # as slow as the index-only probe of unique_byline (the walk of a writer's page at 100,000 articles).
    article = models.ForeignKey(Article, on_delete=models.CASCADE, db_index=False)
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, db_index=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        constraints = [
            models.UniqueConstraint(fields=["article", "person"], name="unique_byline")
        ]
        # The other way round, for a writer's page.
        indexes = [models.Index(fields=["person", "article"], name="byline_by_person_idx")]

    def __str__(self):
        return str(self.person)


class InlinePhoto(models.Model):
    """A library photo placed in an article's body."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE)
    photo = models.ForeignKey(Photo, verbose_name=_("photo"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("photo in the body")
        verbose_name_plural = _("photos in the body")
        constraints = [
            models.UniqueConstraint(fields=["article", "photo"], name="unique_inline_photo")
        ]

    def __str__(self):
        return str(self.photo)


class SupportAppeal(models.Model):
    """The support box under every article: its words and link are the newsroom's to change."""

    heading = models.CharField(_("heading"), max_length=200)
    text = models.TextField(_("text"))
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    button_label = models.CharField(_("button label"), max_length=100)
    url = models.URLField(_("donation page address"))
    is_active = models.BooleanField(_("shown to readers"), default=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "support box")  # «أضف صندوق دعم», not «أضف صندوق الدعم»
        verbose_name_plural = _("support boxes")
        constraints = [
            # Article pages show one box: a second one ticked «shown» would silently never appear.
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_support_box_shown",
                violation_error_message=_(
                    "Another support box is already shown to readers: hide it first, then show this one."
                ),
            ),
        ]

    def __str__(self):
        return self.heading

    def clean(self):
        # Two administrators showing a box at the same moment: the second waits for the first's rows, then sees its
        # box and is refused by the constraint's message (else a server error when both insert).
        if self.is_active and transaction.get_connection().in_atomic_block:
            list(SupportAppeal.objects.select_for_update().values_list("pk", flat=True))


# The search index: each article's and photo's text folded to one spelling (articles/search.py folds it,
# writes these rows and searches them).


class SearchDocument(models.Model):
    """One article in one edition, its text normalised: what public and admin searches look in.

    Written by ``articles.search.index_articles()`` whenever an article's text is saved (the receivers there);
    rebuilt for the whole archive by ``manage.py rebuild_search_index``.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="search_documents")
    language = models.CharField(max_length=10)
    # The text-search configuration the vector was built with, kept per row so one UPDATE builds them all.
    config = models.CharField(max_length=20)
    headline = models.TextField()
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # PostgreSQL only: headline weighted A, summary B, body C, under a GIN index (migration 0009). A plain
    # column left empty on SQLite.
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        # Written by code alone, never through the admin: no permissions to hand out to roles.
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["article", "language"], name="one_search_document_per_edition")
        ]

    def __str__(self):
        return f"{self.headline} ({self.language})"


class PhotoSearchDocument(models.Model):
    """A photo's caption, credit, creator, alt text and photographer, normalised, for the library's search."""

    photo = models.OneToOneField(Photo, on_delete=models.CASCADE, primary_key=True, related_name="search_document")
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("photo search document")
        verbose_name_plural = _("photo search documents")
        default_permissions = ()

    def __str__(self):
        return self.text[:60]


# Moving a newsroom in from another system (articles/wordpress.py): what each imported item became, and the
# addresses its stories had there.


class ImportedItem(models.Model):
    """One item of an imported site (a post, an attachment, an author, a category, a tag) and what it became here.

    Importing the same export again finds each item here and updates it instead of making a duplicate; the
    fingerprint (a hash of the item as exported) tells an unchanged item from an edited one, so an unchanged
    item is not saved at all. Exactly one of the object columns is set, as ``kind`` says.
    """

    class Kind(models.TextChoices):
        POST = "post", _("post")
        ATTACHMENT = "attachment", _("attachment")
        AUTHOR = "author", _("author")
        CATEGORY = "category", _("category")
        TAG = "tag", _("tag")

    # The exported site's own address (WXR's <wp:base_site_url>), so two sites' post 12 stay apart.
    source = models.CharField(_("source site"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    original_id = models.CharField(_("original id"), max_length=300)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True)
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    photo = models.ForeignKey(Photo, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("imported item")
        verbose_name_plural = _("imported items")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "original_id"], name="one_record_per_imported_item"),
        ]

    def __str__(self):
        return f"{self.kind} {self.original_id} ({self.source})"


class OldAddress(models.Model):
    """An address a story, a section, a tag or a writer had on the site it was moved from (a story's permalink,
    /?p=ID, /archives/ID, its old slug; /category/…, /tag/…, /author/…): a request for it answers 301 to the page
    here, so no old link, bookmark or search result breaks.

    ``path`` is kept decoded (Arabic letters, not %D8%…), without the host, with the query only for /?p=ID
    (stored as ``/?p=ID``); articles/old_addresses.py normalises both sides the same way.
    """

    path = models.CharField(_("old address"), max_length=1000, unique=True)
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="old_addresses",
        null=True, blank=True,
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="+", null=True, blank=True,
    )
    tag = models.ForeignKey(
        Tag, verbose_name=_("tag"), on_delete=models.CASCADE, related_name="+", null=True, blank=True,
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+", null=True, blank=True,
    )

    TARGETS = ("article", "section", "tag", "person")

    class Meta:
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")
        # Written by importers, never through the admin: no permissions to hand out to roles.
        default_permissions = ()
        constraints = [
            # Each old address leads to exactly one page.
            models.CheckConstraint(
                condition=Q(*[
                    Q(**{f"{target}__isnull": target != chosen for target in ("article", "section", "tag", "person")})
                    for chosen in ("article", "section", "tag", "person")
                ], _connector=Q.OR),
                name="old_address_has_one_target",
            ),
        ]

    def __str__(self):
        return self.path


class AuthenticatorApp(TOTPDevice):
    """A contributor's two-factor device (django-otp's TOTPDevice) under the newsroom's own names, for the screen
    where administrators see who has set one up and remove a lost phone's (articles/admin_accounts.py)."""

    class Meta:
        proxy = True
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")
        # Only its owner sets one up (accounts.two_factor_setup): an administrator may look, and remove.
        default_permissions = ("view", "delete")
