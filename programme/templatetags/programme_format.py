"""`{% load programme_format %}`: `{{ amount|euro }}`, `{{ value|number }}`."""

from django import template

from programme import formatting

register = template.Library()


@register.filter
def euro(value) -> str:
    if value is None or value == "":
        return ""
    return formatting.euro(value)


@register.filter
def number(value) -> str:
    if value is None or value == "":
        return ""
    return formatting.number(value)
