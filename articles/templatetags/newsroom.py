"""Template filters for how the newsroom prints dates and article bodies."""

from django import template
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext

from articles.text import clean_body_html, replace_inline_photos

register = template.Library()

# Arabic month names differ by region; the Levant (the default) uses the Syriac-derived names.
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


ARABIC_INDIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@register.filter
def newsroom_number(value):
    """A count or a date as text, with Arabic-Indic digits on Arabic pages when NEWSROOM_DIGITS asks for them."""
    text = str(value)
    if get_language() == "ar" and getattr(settings, "NEWSROOM_DIGITS", "western") == "arabic-indic":
        return text.translate(ARABIC_INDIC_DIGITS)
    return text


@register.filter
def newsroom_date(value):
    """«15 آذار 2023» in Arabic (month names per NEWSROOM_ARABIC_MONTHS), «15 March 2023» otherwise."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    if get_language() == "ar":
        months = ARABIC_MONTHS[getattr(settings, "NEWSROOM_ARABIC_MONTHS", "levantine")]
        return f"{local.day} {months[local.month - 1]} {local.year}"
    return date_filter(local, "j F Y")


@register.filter
def newsroom_datetime(value):
    """The full date and time, «15 آذار 2023، 14:05»; the hover title behind a relative time."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return gettext("%(date)s, %(time)s") % {"date": newsroom_date(value), "time": date_filter(local, "H:i")}


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
        return ngettext("%(count)d minute ago", "%(count)d minutes ago", minutes) % {"count": minutes}
    hours = minutes // 60
    return ngettext("%(count)d hour ago", "%(count)d hours ago", hours) % {"count": hours}


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def article_body(article):
    """The body as readers see it: each inline photo drawn with its renditions, caption and credit.

    The photos come from ``article.inline_photos``, prefetched by ``for_detail()``, so a body with many
    photos costs no more queries than one with a single photo. A photo no longer in the library is left out.
    """
    photos = {photo.pk: photo for photo in article.inline_photos.all()}
    figure = get_template("includes/figure.html")

    def render(photo_id):
        photo = photos.get(photo_id)
        return figure.render({"photo": photo, "caption": photo.caption, "lead": False}) if photo else ""

    # Saving already cleaned the body; cleaning again (well under a millisecond) covers rows written around save().
    return mark_safe(replace_inline_photos(clean_body_html(article.body), render))
