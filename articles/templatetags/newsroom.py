"""Template filters for how the newsroom prints dates."""

from django import template
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.translation import get_language

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
def get_item(mapping, key):
    return mapping.get(key)
