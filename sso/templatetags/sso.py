"""The login page's buttons, one per active provider (registration/login.html):
a tag, so the kernel's login view needs to know nothing of single sign-on."""

from django import template

from ..models import IdentityProvider

register = template.Library()


@register.inclusion_tag("sso/buttons.html")
def sso_buttons(next_url=""):
    providers = IdentityProvider.objects.filter(active=True).only("slug", "name")
    return {"providers": list(providers), "next": next_url}
