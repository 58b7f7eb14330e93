"""Archive-sized test data: ``manage.py generate_articles N`` writes N published stories with bulk inserts.

The stories read like news (Arabic sentences built from real words, a fifth of them translated into English), are
spread over ten years, and carry what a story saved through the admin carries: bylines, tags, a section, a lead
photo, both editions' search documents; a fifth place a photo in the body, a tenth have hand-picked related
stories. As in a newsroom, each lead photo is a photo of its own, taken by one of a few staff photographers, so a
photographer's page lists thousands; its picture is one of a small pool's, whose files (image and renditions) it
shares, and body photos are the pool's own archive pictures. Inserts go in batches (Article.objects.bulk_create
skips save() and the signals), so what save() and the signals would have done is done here by hand, once per
batch: slugs, version, text_changed_at, the body's photo rows, search documents; and one new page generation at the end.

Everything is drawn from one random.Random(seed), so a seed (with the same batch size: hand-picked related stories
are drawn as each batch is written) gives the same stories on any database.
"""

import io
import random
import time
from itertools import accumulate
from typing import NamedTuple

from django.core.files.base import ContentFile
from django.db import connections, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from PIL import Image, ImageDraw

from . import page_cache
from .intake import create_photo, prepare_upload
from .models import Article, ArticleAuthor, InlinePhoto, Person, Photo, Section, Tag, TaggedArticle
from .renditions import ensure_renditions
from .search import index_articles
from .text import unicode_slug

# Sections: (Arabic name, English name).
SECTIONS = [
    ("سياسة", "Politics"), ("اقتصاد", "Economy"), ("مجتمع", "Society"), ("ثقافة", "Culture"),
    ("رياضة", "Sport"), ("علوم وتكنولوجيا", "Science and technology"), ("صحة", "Health"), ("رأي", "Opinion"),
]

# People: every first name with every family name gives the byline pool. The staff photographers are apart.
FIRST_NAMES = [
    ("سامر", "Samer"), ("ليلى", "Layla"), ("عمر", "Omar"), ("رنا", "Rana"), ("خالد", "Khaled"), ("هند", "Hind"),
    ("يوسف", "Youssef"), ("مريم", "Maryam"), ("طارق", "Tarek"), ("نور", "Nour"),
]
FAMILY_NAMES = [
    ("العلي", "Al-Ali"), ("حداد", "Haddad"), ("الخطيب", "Al-Khatib"), ("منصور", "Mansour"), ("شهاب", "Shihab"),
    ("الحسن", "Al-Hassan"), ("عيسى", "Issa"), ("الأحمد", "Al-Ahmad"),
]

# Who does what to what, where: the words of headlines and sentences, each with its English.
SUBJECTS = [  # (Arabic, English, feminine?)
    ("الحكومة", "the government", True), ("البلدية", "the municipality", True),
    ("وزارة الصحة", "the health ministry", True), ("وزارة التربية", "the education ministry", True),
    ("النقابة", "the union", True), ("المحافظ", "the governor", False), ("البرلمان", "parliament", False),
    ("المصرف المركزي", "the central bank", False), ("الجامعة", "the university", True),
    ("المجلس المحلي", "the local council", False), ("الأمم المتحدة", "the United Nations", True),
    ("منظمات المجتمع المدني", "civil society groups", True), ("اتحاد الكرة", "the football federation", False),
    ("المستشفى الوطني", "the national hospital", False), ("غرفة التجارة", "the chamber of commerce", True),
]
VERBS = [  # (masculine, feminine, English)
    ("يعلن", "تعلن", "announces"), ("يطلق", "تطلق", "launches"), ("يرفض", "ترفض", "rejects"),
    ("يناقش", "تناقش", "discusses"), ("يؤجل", "تؤجل", "postpones"), ("يدعم", "تدعم", "backs"),
    ("يراجع", "تراجع", "reviews"), ("يوقّع", "توقّع", "signs"), ("ينتقد", "تنتقد", "criticises"),
    ("يموّل", "تموّل", "funds"),
]
OBJECTS = [
    ("خطة جديدة للطاقة", "a new energy plan"), ("مشروع قانون الإيجارات", "the rent bill"),
    ("ميزانية العام المقبل", "next year's budget"), ("برنامج دعم المزارعين", "a programme for farmers"),
    ("اتفاقية لإعادة الإعمار", "a reconstruction agreement"), ("حملة تطعيم واسعة", "a wide vaccination campaign"),
    ("إصلاح شبكة المياه", "the repair of the water network"), ("رفع أسعار الخبز", "a rise in bread prices"),
    ("مهرجان الكتاب السنوي", "the annual book fair"), ("قرار إغلاق المعابر", "the decision to close the crossings"),
    ("خطة النقل العام", "the public transport plan"), ("مناهج المدارس الجديدة", "the new school curriculum"),
    ("تعويضات المتضررين من الزلزال", "compensation for earthquake victims"),
    ("مشروع الطاقة الشمسية", "the solar power project"), ("انتخابات المجالس المحلية", "the local council elections"),
    ("تنظيم أسواق الصرف", "the regulation of currency markets"),
    ("ترميم المدينة القديمة", "the restoration of the old city"), ("دوري كرة القدم", "the football league"),
    ("منح الطلاب", "student grants"), ("عودة اللاجئين", "the return of refugees"),
]
PLACES = [
    ("دمشق", "Damascus"), ("حلب", "Aleppo"), ("حمص", "Homs"), ("حماة", "Hama"), ("اللاذقية", "Latakia"),
    ("طرطوس", "Tartus"), ("إدلب", "Idlib"), ("دير الزور", "Deir ez-Zor"), ("الرقة", "Raqqa"), ("درعا", "Daraa"),
    ("السويداء", "Suwayda"), ("القامشلي", "Qamishli"), ("بيروت", "Beirut"), ("عمّان", "Amman"),
    ("إسطنبول", "Istanbul"), ("برلين", "Berlin"), ("القاهرة", "Cairo"), ("بغداد", "Baghdad"), ("تونس", "Tunis"),
    ("جنيف", "Geneva"),
]
SPEAKERS = [
    ("مسؤول في الوزارة", "an official at the ministry"), ("أحد السكان", "a resident"),
    ("خبير اقتصادي", "an economist"), ("المتحدث باسم المجلس", "the council's spokesman"),
    ("ناشط محلي", "a local activist"), ("مصدر مطلع", "an informed source"),
    ("طبيبة في المدينة", "a doctor in the city"),
]
PREDICATES = [
    ("على رأس أولويات المرحلة المقبلة", "tops the agenda for the coming period"),
    ("محل نقاش واسع بين السكان", "is widely debated among residents"),
    ("بحاجة إلى تمويل إضافي", "needs more funding"), ("تأخر أكثر من المتوقع", "is later than expected"),
    ("خطوة أولى في الاتجاه الصحيح", "is a first step in the right direction"),
    ("لا يلبي مطالب الناس", "does not meet people's demands"),
    ("سيبدأ تنفيذه خلال أسابيع", "will start within weeks"),
]
CONTEXT = [
    ("وتعاني المدينة منذ سنوات من نقص في الخدمات الأساسية.",
     "The city has lacked basic services for years."),
    ("ويأتي ذلك بعد أشهر من المفاوضات بين الأطراف المعنية.",
     "This comes after months of talks between the parties involved."),
    ("ولم يصدر حتى الآن أي تعليق رسمي على هذه التصريحات.",
     "There has been no official comment on these remarks so far."),
    ("ويقول السكان إن الأسعار ارتفعت بشكل كبير خلال الشتاء.",
     "Residents say prices rose sharply over the winter."),
    ("وتشير الأرقام إلى تحسن طفيف مقارنة بالعام الماضي.",
     "The figures point to a slight improvement on last year."),
    ("وينتظر الأهالي نتائج ملموسة على الأرض.",
     "Families are waiting for results they can see on the ground."),
]
# Tag words beyond places and sections: topics, each also paired with places to make the long tail.
TOPICS = [
    ("الانتخابات", "elections"), ("الطاقة", "energy"), ("المياه", "water"), ("التعليم", "education"),
    ("الصحة", "health"), ("اللاجئون", "refugees"), ("الزراعة", "farming"), ("الإعمار", "reconstruction"),
    ("الاقتصاد", "economy"), ("العملة", "currency"), ("النقل", "transport"), ("الثقافة", "culture"),
    ("كرة القدم", "football"), ("الزلزال", "earthquake"), ("الخبز", "bread"), ("الإيجارات", "rents"),
    ("الجامعات", "universities"), ("الطقس", "weather"), ("حقوق الإنسان", "human rights"), ("الصحافة", "press"),
    ("البيئة", "environment"), ("السياحة", "tourism"), ("الآثار", "antiquities"), ("الكهرباء", "electricity"),
    ("الاتصالات", "telecoms"),
]
PHOTOGRAPHERS = [("جود الصالح", "Joud Al-Saleh"), ("باسل قاسم", "Basel Qassem"), ("دانة يونس", "Dana Younes"),
                 ("كريم فارس", "Karim Fares")]
TAG_POOL_SIZE = 500
BATCH_SIZE = 1000
YEARS = 10
TRANSLATED_SHARE = 0.2
# Shares of stories with a photo placed in the body, and with related stories the editor picked by hand (1–3).
PHOTO_IN_BODY_SHARE = 0.2
HAND_PICKED_SHARE = 0.1


def tag_names():
    """The ~500 tag names (Arabic, English), most general first: the draw favours the front of the list (a Zipf
    skew). Every one has its English name, as a newsroom names the tags its English stories carry."""
    names = PLACES + TOPICS
    names += [(f"{topic} في {place}", f"{topic_en} in {place_en}") for place, place_en in PLACES
              for topic, topic_en in TOPICS]
    return list(dict(names).items())[:TAG_POOL_SIZE]


def generated_jpeg(number, size=(1200, 675)):
    """A landscape picture in colours of its own, so the pool's photos differ from one another."""
    rng = random.Random(number)
    top = tuple(rng.randint(40, 200) for _ in range(3))
    bottom = tuple(rng.randint(40, 200) for _ in range(3))
    mask = Image.linear_gradient("L").resize(size)
    image = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)
    draw = ImageDraw.Draw(image)
    x = 0
    while x < size[0]:
        width = rng.randint(50, 160)
        draw.rectangle((x, size[1] - rng.randint(100, 380), x + width, size[1]), fill=tuple(c // 3 for c in bottom))
        x += width + rng.randint(0, 20)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


class Generated(NamedTuple):
    """One story before it is written: the unsaved row and what goes in the tables beside it."""

    article: Article
    authors: list
    tags: set
    photo_in_body: Photo | None
    lead_photo: Photo
    hand_picked: int  # how many related stories the editor picked


class Generator:
    def __init__(self, seed=0, photos=12, batch_size=BATCH_SIZE, progress=None):
        self.rng = random.Random(seed)
        self.photo_count = photos
        self.batch_size = batch_size
        self.progress = progress or (lambda done, total, seconds: None)

    # -- the pools: created once, found again on the next run ----------------------------------------

    def pools(self):
        self.sections = [
            Section.objects.get_or_create(
                slug=unicode_slug(ar, max_length=100), defaults={"name_ar": ar, "name_en": en, "order": order}
            )[0]
            for order, (ar, en) in enumerate(SECTIONS)
        ]
        self.people = [
            Person.objects.get_or_create(
                slug=unicode_slug(f"{first} {family}", max_length=150),
                defaults={"name_ar": f"{first} {family}", "name_en": f"{first_en} {family_en}"},
            )[0]
            for first, first_en in FIRST_NAMES for family, family_en in FAMILY_NAMES
        ]
        self.photographers = [
            Person.objects.get_or_create(
                slug=unicode_slug(name, max_length=150),
                defaults={"name_ar": name, "name_en": name_en, "role": Person.Role.PHOTOGRAPHER},
            )[0]
            for name, name_en in PHOTOGRAPHERS
        ]
        names = tag_names()
        # Bulk, so its slug is set here (Tag.save() would have): a name already there is kept as it is.
        Tag.objects.bulk_create(
            [Tag(name=name, name_ar=name, name_en=name_en, slug=unicode_slug(name, max_length=90))
             for name, name_en in names],
            ignore_conflicts=True,
        )
        by_name = Tag.objects.in_bulk([name for name, _en in names], field_name="name_ar")
        self.tags = [by_name[name] for name, _en in names if name in by_name]
        self.tag_weights = list(accumulate(1 / (rank + 1) ** 1.1 for rank in range(len(self.tags))))
        self.photos = self.photo_pool()

    def photo_pool(self):
        """The pool's pictures, each stored once through the editors' own intake (so renditions exist): a picture
        an earlier run stored is found again by its digest."""
        pool = []
        for number in range(1, self.photo_count + 1):
            prepared = prepare_upload(ContentFile(generated_jpeg(number), name=f"generated-{number:03d}.jpg"))
            photo = Photo.objects.filter(source_digest=prepared.digest).order_by("pk").first()
            if photo is None:
                place, place_en = PLACES[number % len(PLACES)]
                prepared.content.prepared = prepared
                photo = create_photo(
                    file=prepared.content,
                    caption_ar=f"منظر عام لمدينة {place}", caption_en=f"A view of {place_en}",
                    credit_ar="أرشيف الجريدة", credit_en="Newspaper archive",
                    alt_text_ar=f"أبنية {place} تحت السماء", alt_text_en=f"Buildings of {place_en} under the sky",
                )
            # Now rather than after the commit (inside a transaction, as in tests): the stories' photos copy them.
            ensure_renditions(photo)
            pool.append(photo)
        return pool

    # -- one story -------------------------------------------------------------------------------------

    def clause(self):
        """(Arabic, English) of «the government announces a new energy plan in Aleppo»."""
        subject, subject_en, feminine = self.rng.choice(SUBJECTS)
        masculine_verb, feminine_verb, verb_en = self.rng.choice(VERBS)
        obj, obj_en = self.rng.choice(OBJECTS)
        place, place_en = self.rng.choice(PLACES)
        verb = feminine_verb if feminine else masculine_verb
        return f"{subject} {verb} {obj} في {place}", f"{subject_en} {verb_en} {obj_en} in {place_en}"

    def sentence(self):
        speaker, speaker_en = self.rng.choice(SPEAKERS)
        predicate, predicate_en = self.rng.choice(PREDICATES)
        obj, obj_en = self.rng.choice(OBJECTS)
        if self.rng.random() < 0.5:
            return (f"وقال {speaker} إن {obj} {predicate}.", f"{capital(speaker_en)} said {obj_en} {predicate_en}.")
        return self.rng.choice(CONTEXT)

    def story(self, photo=None):
        headline, headline_en = self.clause()
        summary, summary_en = self.clause()
        paragraphs = [[self.sentence() for _ in range(self.rng.randint(2, 3))] for _ in range(self.rng.randint(4, 7))]
        body = [f"<p>{' '.join(ar for ar, _en in sentences)}</p>" for sentences in paragraphs]
        body_en = [f"<p>{' '.join(en for _ar, en in sentences)}</p>" for sentences in paragraphs]
        if photo:  # after the second paragraph, as the editor's inline-photo button writes it
            body.insert(2, f'<figure data-photo-id="{photo.pk}"></figure>')
            body_en.insert(2, body[2])
        body, body_en = "".join(body), "".join(body_en)
        return {
            "headline": headline, "headline_en": capital(headline_en),
            "summary": f"{summary}، بحسب ما أفاد مراسلنا.",
            "summary_en": f"{capital(summary_en)}, our correspondent reports.",
            "body": body, "body_en": body_en,
        }

    def article(self, number, now):
        photo = self.rng.choice(self.photos) if self.rng.random() < PHOTO_IN_BODY_SHARE else None
        story = self.story(photo)
        translated = self.rng.random() < TRANSLATED_SHARE
        published_at = now - timezone.timedelta(seconds=self.rng.randint(3600, YEARS * 365 * 86400))
        # The number keeps slugs unique however often the same headline comes up, and across runs.
        slug = f"{unicode_slug(story['headline'], max_length=190)}-{number}"
        fields = {
            "headline_ar": story["headline"], "slug_ar": slug, "summary_ar": story["summary"],
            "body_ar": story["body"], "text_changed_at_ar": published_at,
        }
        if translated:
            fields |= {
                "headline_en": story["headline_en"],
                "slug_en": f"{unicode_slug(story['headline_en'], max_length=190)}-{number}",
                "summary_en": story["summary_en"], "body_en": story["body_en"], "text_changed_at_en": published_at,
                "translated_from_en": published_at,
            }
        lead_photo = self.story_photo(self.rng.choice(self.photos), self.rng.choice(self.photographers), number)
        article = Article(
            section=self.rng.choice(self.sections),
            status=Article.Status.PUBLISHED, published_at=published_at, is_top_story=self.rng.random() < 0.02,
            version=1, **fields,
        )
        authors = self.rng.sample(self.people, self.rng.choices((1, 2, 3), weights=(70, 22, 8))[0])
        tags = {self.tags[i] for i in self.rng.choices(
            range(len(self.tags)), cum_weights=self.tag_weights, k=self.rng.randint(1, 5))}
        picks = self.rng.randint(1, 3) if self.rng.random() < HAND_PICKED_SHARE else 0
        return Generated(article, authors, tags, photo, lead_photo, picks)

    def story_photo(self, picture, photographer, number):
        """A photo row of the story's own, showing a pool ``picture`` (its files, not copies of them)."""
        place, place_en = self.rng.choice(PLACES)
        return Photo(
            image=picture.image.name, width=picture.width, height=picture.height, renditions=picture.renditions,
            source_digest=picture.source_digest, credit_person=photographer,
            caption_ar=f"من موقع الحدث في {place} ({number})", caption_en=f"At the scene in {place_en} ({number})",
            alt_text_ar=f"أبنية {place} تحت السماء", alt_text_en=f"Buildings of {place_en} under the sky",
        )

    # -- the run ---------------------------------------------------------------------------------------

    def run(self, count):
        """Create ``count`` published stories; returns them as the list of their ids."""
        started = time.monotonic()
        self.pools()
        now = timezone.now()
        # Slug numbers follow the highest id so far: a second run never repeats a first run's slugs.
        first_number = (Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        ids = []
        for start in range(0, count, self.batch_size):
            batch = [self.article(first_number + n, now) for n in range(start, min(count, start + self.batch_size))]
            ids += self.insert(batch, earlier=ids)
            self.progress(len(ids), count, time.monotonic() - started)
        # The one thing the signals would have done for each save, done once for all of them.
        transaction.on_commit(page_cache.new_generation, robust=True)
        # Fresh statistics for the query planner: after a bulk load the old ones describe a different archive
        # (SQLite without any chose full scans for the home page at 100,000 stories: 340 ms instead of 8). On
        # PostgreSQL, VACUUM too, where it may run (not inside a transaction): it marks the new rows visible, so
        # counts read the indexes alone, as they will once autovacuum has passed in production.
        connection = connections[Article.objects.db]
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")
        return ids

    @transaction.atomic
    def insert(self, batch, earlier):
        """Write a batch; a story's hand-picked related stories come from those generated before it (``earlier``:
        the ids of earlier batches), as an editor links a new story to ones already out."""
        Photo.objects.bulk_create([story.lead_photo for story in batch])
        for story in batch:
            story.article.lead_photo = story.lead_photo
        articles = Article.objects.bulk_create([story.article for story in batch])
        # uploaded_at is auto_now_add, which bulk_create fills with the present: a photo was taken for its story.
        Photo.objects.filter(pk__in=[story.lead_photo.pk for story in batch]).update(
            uploaded_at=Subquery(Article.objects.filter(lead_photo=OuterRef("pk")).values("published_at")[:1])
        )
        ArticleAuthor.objects.bulk_create(
            ArticleAuthor(article=story.article, person=person, order=order)
            for story in batch for order, person in enumerate(story.authors)
        )
        TaggedArticle.objects.bulk_create(
            TaggedArticle(content_object=story.article, tag=tag) for story in batch for tag in story.tags
        )
        # What save() keeps in step with the body.
        InlinePhoto.objects.bulk_create(
            InlinePhoto(article=story.article, photo=story.photo_in_body) for story in batch if story.photo_in_body
        )
        Related = Article.related_articles.through
        out_before, picked = list(earlier), []
        for story in batch:
            picks = self.rng.sample(out_before, min(story.hand_picked, len(out_before)))
            picked += [Related(from_article=story.article, to_article_id=pk) for pk in picks]
            out_before.append(story.article.pk)
        Related.objects.bulk_create(picked)
        index_articles(articles)
        return [article.pk for article in articles]


def capital(text):
    return text[:1].upper() + text[1:]
