"""Template access to the kernel's registry: the menu entries the case types
registered for the user's role."""

from django import template

from casework.registry import registry

register = template.Library()


@register.simple_tag
def menu_entries(user):
    membership = getattr(user, "membership", None)
    if membership is None:
        return []
    return registry.menu_for(membership.role)
