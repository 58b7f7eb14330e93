"""{% picture %}: a photo's responsive <picture> for one named size, read from the row without a query."""

from django import template

from articles.renditions import picture as picture_for

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def picture(photo, size, sizes="100vw", lazy=True, alt=None, css_class="", lead=False):
    """``{% picture photo "card" sizes="(min-width: 60em) 30vw, 100vw" alt="" css_class="..." %}``

    ``lead=True`` marks the photo at the top of the page: loaded at once and first (never lazy, high fetch
    priority). ``lazy=False`` only turns lazy loading off (a small portrait above the fold).
    ``alt`` defaults to the photo's alt text; pass ``alt=""`` for a decorative copy (a card beside its headline).
    """
    return {
        "pic": picture_for(photo, size),
        "sizes": sizes,
        "lazy": lazy and not lead,
        "lead": lead,
        "alt": photo.alt_text if alt is None and photo is not None else (alt or ""),
        "css_class": css_class,
    }
