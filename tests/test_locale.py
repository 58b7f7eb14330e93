"""Every string readers and editors see has an Arabic translation, and the compiled catalogue is current."""

import html
import json
import re
from pathlib import Path

import pytest
from django.utils import translation

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "ar" / "LC_MESSAGES" / "django.po"
SCRIPTS_CATALOGUE = CATALOGUE.with_name("djangojs.po")


def entries(catalogue=CATALOGUE):
    text = catalogue.read_text(encoding="utf-8")
    for block in text.split("\n\n")[1:]:
        if "msgid" not in block or block.lstrip().startswith("#~"):
            continue
        yield block


@pytest.mark.parametrize("catalogue", [CATALOGUE, SCRIPTS_CATALOGUE], ids=["django", "djangojs"])
def test_arabic_catalogue_has_no_untranslated_or_fuzzy_entries(catalogue):
    missing = [block for block in entries(catalogue)
               if re.search(r'msgstr(\[\d\])? ""\n?$', block.strip() + "\n") or "#, fuzzy" in block]
    assert missing == []


def test_the_scripts_words_ours_translates_are_still_their_libraries_words():
    import django
    import django_prose_editor

    listed = (Path(__file__).resolve().parent.parent / "newsroom" / "admin_js_strings.js").read_text(encoding="utf-8")
    words = re.findall(r'(?:gettext|ngettext)\(\s*"([^"]+)"', listed)
    admin = Path(django.__file__).parent / "contrib" / "admin"
    djangos = (admin / "locale" / "en" / "LC_MESSAGES" / "djangojs.po").read_text(encoding="utf-8")
    djangos = "".join(line.strip().strip('"') for line in djangos.splitlines())
    editor = (Path(django_prose_editor.__file__).parent / "static" / "django_prose_editor" / "editor.js").read_text()
    # The toolbar names its headings from a template: `heading ${level}`, `Heading ${level}`.
    headings = {f"{word} {level}" for word in ("heading", "Heading") for level in range(1, 7)
                if f"`{word} ${{" in editor}
    assert len(words) > 60
    assert [word for word in words if word not in djangos and f'"{word}"' not in editor and word not in headings] == []


@pytest.mark.django_db
def test_the_admins_script_catalogue_is_arabic_with_ours(client):
    from tests.factories import make_editor

    client.force_login(make_editor())
    catalogue = client.get("/admin/jsi18n/").text

    # As the catalogue writes it: JSON with every character past ASCII escaped.
    assert f'"Edit Link": {json.dumps("تعديل الرابط")}' in catalogue
    # The time zone note Django's Arabic catalogue lacks, in Arabic's six forms (the hours counted for two: «بساعتين»).
    assert json.dumps("ملاحظة: أدخل الأوقات بتوقيت %(timezone)s. (أنت متأخّر عنه بساعتين.)") in catalogue


def test_compiled_catalogue_is_used_for_checklist_messages():
    with translation.override("ar"):
        assert translation.gettext("Choose a section.") == "اختر القسم."
        assert translation.gettext("Related articles") == "مقالات متعلقة"


def test_djangos_words_its_arabic_catalogue_lacks_are_arabic_from_ours():
    import ast

    source = Path(__file__).resolve().parent.parent / "newsroom" / "django_strings.py"
    marked = [
        call.args[0].value for call in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
        if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "gettext_noop"
    ]
    with translation.override("ar"):
        untranslated = [msgid for msgid in marked if translation.gettext(msgid) == msgid]
        plural = translation.ngettext("…and %(count)d more object.", "…and %(count)d more objects.", 3)
    assert len(marked) > 10 and untranslated == []
    assert plural != "…and %(count)d more objects."
    # Still Django's own words: a msgid Django renamed would leave the admin in English with ours unused.
    assert [msgid for msgid in marked if msgid not in djangos_msgids()] == []


def djangos_msgids():
    import django

    msgids = set()
    for catalogue in Path(django.__file__).parent.glob("**/locale/en/LC_MESSAGES/django.po"):
        for block in catalogue.read_text(encoding="utf-8").split("\n\n"):
            found = re.search(r'^msgid ((?:"[^\n]*"\n?)+)', block, re.MULTILINE)
            if found:
                msgids.add("".join(re.findall(r'"(.*)"', found.group(1))).replace('\\"', '"'))
    # django-axes ships no English catalogue: its words as its code marks them.
    import axes

    for source in Path(axes.__file__).parent.glob("*.py"):
        msgids |= set(re.findall(r'\b_\("([^"]+)"\)', source.read_text(encoding="utf-8")))
    return msgids


@pytest.mark.django_db
def test_the_admin_says_run_and_saved_in_arabic(client):
    from tests.factories import make_article, make_editor
    from tests.test_admin_flow import admin_form_data

    client.force_login(make_editor())
    story = make_article("خبر")
    listing = client.get("/admin/articles/article/").text
    url = f"/admin/articles/article/{story.pk}/change/"
    saved = client.post(url, admin_form_data(client, url, summary_ar="ملخص"), follow=True).text

    assert ">نفّذ<" in listing and ">Run<" not in listing
    assert "حُفظت التغييرات" in saved and "نجحت إضافة" not in saved


@pytest.mark.django_db
def test_every_app_on_the_arabic_admin_index_is_named_in_arabic(client):
    from tests.factories import make_user

    client.force_login(make_user("administrator"))
    index = client.get("/admin/").text
    apps = [re.sub(r"<[^>]+>", "", caption).strip() for caption in re.findall(r"<caption>(.*?)</caption>", index, re.S)]

    assert "حماية الدخول" in apps  # django-axes, which names itself «Axes»
    assert apps and not [name for name in apps if re.search("[A-Za-z]", name)], apps


@pytest.mark.django_db
def test_a_tags_slug_is_named_as_every_other_slug_in_the_arabic_admin(client):
    from articles.models import Tag
    from tests.factories import make_editor

    client.force_login(make_editor())
    tag = Tag.objects.create(name="سوريا")
    page = client.get(f"/admin/articles/tag/{tag.pk}/change/").text
    listing = client.get("/admin/articles/tag/").text

    # django-taggit's own Arabic calls it «سبيكة الوسم» (an ingot) and spells the name «الإسم».
    assert "معرّف الرابط" in page and "سبيكة" not in page + listing
    assert "الإسم" not in page + listing


@pytest.mark.django_db
@pytest.mark.parametrize(("months", "march"), [("levantine", "آذار"), ("egyptian", "مارس")])
def test_the_admin_calendar_names_the_months_as_the_site_does(client, settings, months, march):
    from tests.factories import make_editor

    settings.NEWSROOM_ARABIC_MONTHS = months
    client.force_login(make_editor())
    catalogue = client.get("/admin/jsi18n/").text

    # The calendar's month and its abbreviation (asked with pgettext), as the site prints dates.
    assert f'"March": {json.dumps(march)}' in catalogue
    assert f'"abbrev. month March\\u0004Mar": {json.dumps(march)}' in catalogue


@pytest.mark.django_db
@pytest.mark.parametrize("screen", ["article", "photo", "person", "section", "tag", "supportappeal"])
def test_each_editions_fields_in_the_admin_are_in_its_language_and_direction(client, screen):
    from tests.factories import make_user

    client.force_login(make_user("administrator"))
    form = client.get(f"/admin/articles/{screen}/add/").text
    english = re.findall(r'<(?:input|textarea)[^>]*name="\w+_en"[^>]*>', form)
    arabic = re.findall(r'<(?:input|textarea)[^>]*name="\w+_ar"[^>]*>', form)

    assert english and arabic
    assert all('lang="en"' in field and 'dir="ltr"' in field for field in english), english
    assert all('lang="ar"' in field and 'dir="rtl"' in field for field in arabic), arabic



@pytest.mark.django_db
@pytest.mark.parametrize(("photos", "said"), [(1, "صورة واحدة"), (2, "صورتان"), (3, "3 صور"), (11, "11 صورة")])
def test_an_admin_list_counts_its_rows_as_arabic_counts(client, photos, said):
    from tests.factories import make_editor, make_photo

    client.force_login(make_editor())
    for _number in range(photos):
        make_photo()

    footer = client.get("/admin/articles/photo/").text.split('class="paginator"')[1].split("</nav>")[0]

    # Django printed «2 الصور» («2 the photos»).
    assert said in footer and "الصور" not in footer.split("</h2>")[1]


@pytest.mark.django_db
def test_the_admin_names_sections_and_bylines_without_a_stray_article(client):
    from tests.factories import make_editor

    client.force_login(make_editor())
    sections = client.get("/admin/articles/section/").text
    article_form = client.get("/admin/articles/article/add/").text

    # Django builds «أضف %s» and «أضف %s آخر» from the model's name: «أضف القسم» read "add the section".
    inline = json.loads(html.unescape(re.search(r'data-inline-formset="([^"]+)"', article_form)[1]))
    assert "أضف قسم" in sections and "أضف القسم" not in sections
    assert inline["options"]["addText"].endswith(" توقيع آخر")
