"""The editor's desk on the admin index (templates/admin/index.html)."""

from django import template

from articles.dashboard import desk_panels as build_desk_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def desk_panels(context):
    return build_desk_panels(context["request"])
