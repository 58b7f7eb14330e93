"""Template filters for how the newsroom prints dates, numbers and article bodies, and its structured data."""

import datetime
import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.defaultfilters import date as date_filter
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext, ngettext_lazy
from hijridate import Gregorian

from articles import history
from articles.text import clean_body_html, replace_inline_photos

register = template.Library()

# Arabic month names differ by region; the Levant (the default) uses the Syriac-derived names, Egypt and
# the Gulf the ones taken from the Latin calendar.
ARABIC_MONTHS = {
    "levantine": [
        "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
        "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول",
    ],
    "egyptian": [
        "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
        "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
    ],
}

# Our own list rather than hijridate's: the newsroom writes ربيع الآخر and جمادى الآخرة, as most Arab
# papers do, where the library says ربيع الثاني.
HIJRI_MONTHS = [
    "محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة",
    "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة",
]


ARABIC_INDIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@register.filter
def newsroom_number(value):
    """A count or a date as text, with Arabic-Indic digits on Arabic pages when NEWSROOM_DIGITS asks for them."""
    text = str(value)
    if get_language() == "ar" and getattr(settings, "NEWSROOM_DIGITS", "western") == "arabic-indic":
        return text.translate(ARABIC_INDIC_DIGITS)
    return text


def _local(value):
    """The newsroom's wall-clock reading of a moment; a plain date or naive datetime is taken as it is."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def arabic_months():
    """The twelve month names the newsroom writes (NEWSROOM_ARABIC_MONTHS): its pages and the admin's calendar."""
    return ARABIC_MONTHS[getattr(settings, "NEWSROOM_ARABIC_MONTHS", "levantine")]


@register.filter
def newsroom_date(value):
    """«15 آذار 2023» in Arabic (month names per NEWSROOM_ARABIC_MONTHS), «15 March 2023» otherwise."""
    if not value:
        return ""
    local = _local(value)
    if get_language() == "ar":
        return newsroom_number(f"{local.day} {arabic_months()[local.month - 1]} {local.year}")
    return date_filter(local, "j F Y")


@register.filter
def newsroom_month(value):
    """«كانون الثاني 2024», «January 2024»: the heading of a month's archive."""
    if not value:
        return ""
    local = _local(value)
    if get_language() == "ar":
        return newsroom_number(f"{arabic_months()[local.month - 1]} {local.year}")
    return date_filter(local, "F Y")


@register.filter
def newsroom_time(value):
    """«14:05», the newsroom's local time, in the page's digits."""
    if not value:
        return ""
    return newsroom_number(date_filter(_local(value), "H:i"))


@register.filter
def newsroom_datetime(value):
    """The full date and time, «15 آذار 2023، 14:05»; the hover title behind a relative time."""
    if not value:
        return ""
    return gettext("%(date)s, %(time)s") % {"date": newsroom_date(value), "time": newsroom_time(value)}


@register.filter
def newsroom_hijri_date(value):
    """«٥ رمضان ١٤٤٥ هـ» (Umm al-Qura) when NEWSROOM_HIJRI_DATES is on, «5 Ramadan 1445 AH» in English;
    empty when the setting is off or the day lies outside the calendar tables (1924–2077)."""
    if not value or not getattr(settings, "NEWSROOM_HIJRI_DATES", False):
        return ""
    local = _local(value)
    try:
        hijri = Gregorian(local.year, local.month, local.day).to_hijri()
    except (OverflowError, ValueError):
        return ""
    if get_language() == "ar":
        return newsroom_number(f"{hijri.day} {HIJRI_MONTHS[hijri.month - 1]} {hijri.year} هـ")
    return f"{hijri.day} {hijri.month_name('en')} {hijri.year} {hijri.notation('en')}"


@register.filter
def newsroom_when(value):
    """«منذ ساعتين» for a story under a day old, the full date (newsroom_date) otherwise.

    Computed against timezone.now() at render time, so a cached page shows the age it had when cached.
    A future moment (a scheduled story in preview) gets the full date too.
    """
    if not value:
        return ""
    age = timezone.now() - value
    if age < timezone.timedelta(0) or age >= timezone.timedelta(days=1):
        return newsroom_date(value)
    minutes = int(age.total_seconds() // 60)
    if minutes < 1:
        return gettext("just now")
    if minutes < 60:
        text = ngettext("%(count)d minute ago", "%(count)d minutes ago", minutes) % {"count": minutes}
    else:
        hours = minutes // 60
        text = ngettext("%(count)d hour ago", "%(count)d hours ago", hours) % {"count": hours}
    return newsroom_number(text)


@register.simple_tag
def site_name():
    """The publication's name: NEWSROOM_SITE_NAME, or the translated «Newsroom» when it is not set."""
    return getattr(settings, "NEWSROOM_SITE_NAME", "") or gettext("Newsroom")


# What Django's json_script escapes: inside <script>, a headline holding "</script>" or "<!--" must stay
# JSON text, and these three are all the HTML parser looks at there.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(value):
    """A dict as the body of a <script type="application/ld+json"> block, safe whatever its strings hold.

    Arabic stays as UTF-8 (ensure_ascii off): a third of the bytes of \\uXXXX escapes.
    """
    return mark_safe(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES))


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def article_body(article):
    """The body as readers see it: each inline photo drawn with its renditions, caption and credit.

    The photos come from ``article.inline_photos``, fetched by ``load_inline_photos()``, so a body with many
    photos costs no more queries than one with a single photo. A photo no longer in the library is left out.
    """
    photos = None
    figure = get_template("includes/figure.html")

    def render(photo_id):
        nonlocal photos
        # Read on the first photo only: a body without any never touches the relation.
        if photos is None:
            photos = {photo.pk: photo for photo in article.inline_photos.all()}
        photo = photos.get(photo_id)
        return figure.render({"photo": photo, "caption": photo.caption, "lead": False}) if photo else ""

    # Saving already cleaned the body; cleaning again (well under a millisecond) covers rows written around save().
    return mark_safe(replace_inline_photos(clean_body_html(article.body), render))


# How many rows an admin list holds, in words Arabic can count: Django prints the number before the plural name, so
# «13 الصور» («13 the photos») where Arabic says «13 صورة», and «2 الصور» where it says «صورتان».
COUNTED = {
    "articles.article": ngettext_lazy("%(count)d article", "%(count)d articles", "count"),
    "articles.photo": ngettext_lazy("%(count)d photo", "%(count)d photos", "count"),
    "articles.person": ngettext_lazy("%(count)d person", "%(count)d people", "count"),
    "articles.section": ngettext_lazy("%(count)d section", "%(count)d sections", "count"),
    "articles.tag": ngettext_lazy("%(count)d tag", "%(count)d tags", "count"),
    "articles.supportappeal": ngettext_lazy("%(count)d support box", "%(count)d support boxes", "count"),
    "articles.auditentry": ngettext_lazy("%(count)d audit log entry", "%(count)d audit log entries", "count"),
    "articles.authenticatorapp": ngettext_lazy("%(count)d authenticator app", "%(count)d authenticator apps", "count"),
    "auth.user": ngettext_lazy("%(count)d account", "%(count)d accounts", "count"),
    "auth.group": ngettext_lazy("%(count)d group", "%(count)d groups", "count"),
}


@register.simple_tag
def counted(count, opts):
    """«13 صورة», «صورتان»: ``count`` rows of the model ``opts`` describes (templates/admin/pagination.html)."""
    if words := COUNTED.get(opts.label_lower):
        return words % {"count": count}
    return f"{count} {opts.verbose_name if count == 1 else opts.verbose_name_plural}"


@register.filter
def person_name(account):
    """Who saved a version, by their byline's name (articles/history.py); «the system» for none."""
    return history.person_name(account)
