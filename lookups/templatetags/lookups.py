"""The lookup panel of the kernel's party and location forms
(`{% load lookups %}{% lookup_panel %}` in casework/case_form.html)."""

from django import template

from casework import forms as case_forms
from permissions.decision import LOOKUP_PERSON, decide

from .. import clients
from ..forms import AddressLookupForm, CompanyLookupForm, PersonLookupForm

register = template.Library()


@register.inclusion_tag("lookups/_panel.html", takes_context=True)
def lookup_panel(context):
    """What the page offers: the BAG beside a location form, the KvK and (for
    the roles the decision point lets) the BRP beside a party form; a note
    where the service is not configured. `lookup` is the lookup view's
    answer when the page is one."""
    form = context.get("form")
    case = context.get("case")
    request = context.get("request")
    lookup = context.get("lookup") or {}
    panel = {"case": case, "lookup": lookup, "request": request, "kind": ""}
    if case is None or request is None:
        return panel
    query = lookup.get("query")
    if isinstance(form, case_forms.LocationForm):
        panel["kind"] = "location"
        panel["bag"] = clients.configured(clients.BAG)
        panel["address_form"] = (
            query if lookup.get("kind") == "address" else AddressLookupForm()
        )
    elif isinstance(form, case_forms.PartyForm):
        panel["kind"] = "party"
        panel["kvk"] = clients.configured(clients.KVK)
        panel["company_form"] = (
            query if lookup.get("kind") == "company" else CompanyLookupForm()
        )
        panel["may_brp"] = decide(request.user, LOOKUP_PERSON, case)
        panel["brp"] = clients.configured(clients.BRP)
        panel["person_form"] = (
            query if lookup.get("kind") == "person" else PersonLookupForm()
        )
    return panel
