"""Plain functions that build newsroom objects for tests: small, explicit, real database rows."""

import io
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, ArticleAuthor, Person, Photo, Section, Tag
from articles.roles import assign_role

_counter = itertools.count(1)


def jpeg_bytes(width=64, height=48, color=(180, 40, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG")
    return buffer.getvalue()


def image_upload(name="photo.jpg", **kwargs):
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def make_section(name=None, **fields):
    number = next(_counter)
    name = name or f"قسم {number}"
    return Section.objects.create(
        name_ar=name, name_en=fields.pop("name_en", f"Section {number}"),
        slug=fields.pop("slug", f"قسم-{number}"), **fields,
    )


def make_person(name=None, **fields):
    number = next(_counter)
    return Person.objects.create(
        name_ar=name or f"كاتب {number}", name_en=fields.pop("name_en", f"Writer {number}"),
        slug=fields.pop("slug", f"كاتب-{number}"), **fields,
    )


def make_photo(caption="متظاهرون في ساحة المدينة", credit="عدسة سامر العلي", alt_text="حشد في ساحة", **fields):
    photo = Photo(caption_ar=caption, credit_ar=credit, alt_text_ar=alt_text, **fields)
    photo.image.save(f"test-{next(_counter)}.jpg", image_upload(), save=False)
    photo.save()
    return photo


def make_article(
    headline=None, *, published=False, section=None, authors=None, tags=(), lead_photo=True,
    published_at=None, **fields,
):
    """An article; with ``published=True`` it goes through ``publish()``, checklist and all."""
    number = next(_counter)
    article = Article.objects.create(
        headline_ar=headline or f"خبر عاجل رقم {number}",
        summary_ar=fields.pop("summary_ar", "ملخص قصير للخبر."),
        body_ar=fields.pop("body_ar", "<p>نص الخبر الكامل.</p>"),
        section=section if section is not None else make_section(),
        lead_photo=make_photo() if lead_photo is True else lead_photo or None,
        **fields,
    )
    for order, person in enumerate(authors if authors is not None else [make_person()]):
        ArticleAuthor.objects.create(article=article, person=person, order=order)
    if tags:
        # Names are found or made as the article form does (in any edition's language); tags are taken as they are.
        names = [tag for tag in tags if isinstance(tag, str)]
        article.tags.add(*Tag.objects.for_names(names), *(tag for tag in tags if not isinstance(tag, str)))
    if published:
        article.publish(by=None, at=published_at or timezone.now() - timezone.timedelta(hours=1))
    return article


def make_editor(username="editor", password="a-long-demo-password"):
    """A staff member with every newsroom permission (roles proper arrive with the workflow issue)."""
    user = get_user_model().objects.create_user(username=username, password=password, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="articles"))
    return user


def make_user(role=None, username=None, password="a-long-demo-password", **fields):
    """A user holding one of the newsroom's roles (articles.roles: writer, photographer, editor, administrator),
    given through the groups the roles migration creates, as a real account gets it."""
    user = get_user_model().objects.create_user(
        username=username or f"{role or 'user'}-{next(_counter)}", password=password, **fields
    )
    if role is not None:
        assign_role(user, role)
    return user


def sitemap_page(kind, pk, limit=1000):
    """The address of the sitemap page listing the row with this id (articles.sitemaps.IdBlocks: page n holds ids
    (n - 1) × limit + 1 to n × limit). Ids are not reset between tests on PostgreSQL, so a row may be past page 1."""
    return f"/sitemap-{kind}.xml?p={(pk - 1) // limit + 1}"
