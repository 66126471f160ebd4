"""The lookup steps of the kernel's party and location forms (docs/lookups.md).

Each view shows the kernel's form of the case (`casework/case_form.html`),
filled from the register's answer, and the form posts to the kernel's own
view (`case_add_location`, `case_add_party`): the user checks the values and
saves them there. No script: a GET form (BAG, KvK) or a POST form with CSRF
(BRP: the BSN stays out of URLs and server logs) re-renders the page.

Access: the case as `casework.selectors.case_for_user` finds it (404, a
denied row), then the decision point — `WRITE` on the case for the address
and company lookups (404 as the kernel's forms), `LOOKUP_PERSON` for the
BRP (403 for a reader who may not consult it).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casework import forms as case_forms
from casework.models import Case, Party
from casework.views import case_or_404
from permissions.decision import LOOKUP_PERSON, WRITE, decide, require

from . import clients
from .forms import AddressLookupForm, CompanyLookupForm, PersonLookupForm
from .services import consult_person, store_coordinates


def _case(request, reference: str) -> Case:
    """The case the user reads, or 404 with a denied row (as the kernel)."""
    return case_or_404(request, reference)


def _writable_case(request, reference: str) -> Case:
    case = _case(request, reference)
    if not decide(request.user, WRITE, case):
        raise Http404
    return case


def _page(request, case, form, heading, action_name, lookup):
    context = {
        "case": case,
        "form": form,
        "heading": heading,
        "form_action": reverse(f"casework:{action_name}", args=[case.reference]),
        "lookup": lookup,
    }
    return render(request, "casework/case_form.html", context)


@require_GET
def case_address(request, reference):
    """Look up an address by postcode and house number; one answer fills the
    location form, several are offered to choose from."""
    case = _writable_case(request, reference)
    query = AddressLookupForm(request.GET or None)
    lookup = {"kind": "address", "query": query, "results": [], "searched": False}
    initial = {}
    if query.is_bound and query.is_valid():
        data = query.cleaned_data
        lookup["searched"] = True
        try:
            found = clients.bag_addresses(
                data["postcode"], data["huisnummer"], data["huisletter"],
                data["toevoeging"],
            )  # fmt: skip
        except clients.LookupUnavailable as exc:
            lookup["error"] = str(exc)
            found = []
        lookup["results"] = found
        if len(found) == 1:
            address = found[0]
            lookup["chosen"] = address
            store_coordinates(case=case, address=address)
            initial = {
                "street": address.street,
                "house_number": address.house_number,
                "addition": address.addition,
                "postcode": address.postcode,
                "city": address.city,
                "bag_id": address.object_id,
            }
            messages.info(
                request, _("The address was filled in from the BAG; check it and save.")
            )
    form = case_forms.LocationForm(initial=initial)
    return _page(request, case, form, _("Add a location"), "case_add_location", lookup)


@require_GET
def case_company(request, reference):
    """Look up a company in the KvK register by number (Basisprofiel, with
    its vestigingen from Zoeken) or by name (Zoeken: choose one)."""
    case = _writable_case(request, reference)
    query = CompanyLookupForm(request.GET or None)
    lookup = {"kind": "company", "query": query, "results": [], "searched": False}
    initial = {}
    if query.is_bound and query.is_valid():
        data = query.cleaned_data
        lookup["searched"] = True
        try:
            if data["kvk_number"]:
                company = clients.kvk_profile(data["kvk_number"])
                lookup["results"] = [company] if company else []
            else:
                lookup["results"] = clients.kvk_search(name=data["naam"].strip())
        except clients.LookupUnavailable as exc:
            lookup["error"] = str(exc)
        if data["kvk_number"] and lookup["results"]:
            company = lookup["chosen"] = lookup["results"][0]
            initial = {
                "kind": Party.Kind.COMPANY,
                "name": company.name,
                "kvk_number": company.kvk_number,
                "legal_form": company.legal_form,
            }
            messages.info(
                request,
                _("The company was filled in from the KvK register; check and save."),
            )
    form = case_forms.PartyForm(initial=initial)
    return _page(request, case, form, _("Add a party"), "case_add_party", lookup)


@require_POST
def case_person(request, reference):
    """Consult the BRP for a person by BSN, with the user's purpose; logged
    as a sensitive read (`services.consult_person`), never with the BSN."""
    case = _case(request, reference)
    require(request.user, LOOKUP_PERSON, case)  # 403 for readers who may not
    query = PersonLookupForm(request.POST)
    lookup = {"kind": "person", "query": query, "results": [], "searched": False}
    initial = {}
    if query.is_valid():
        lookup["searched"] = True
        try:
            person = consult_person(
                user=request.user,
                case=case,
                bsn=query.cleaned_data["bsn"],
                purpose=query.cleaned_data["purpose"],
                request=request,
            )
        except clients.LookupUnavailable as exc:
            lookup["error"] = str(exc)
            person = None
        if person is not None:
            lookup["results"] = [person]
            lookup["chosen"] = person
            initial = {
                "kind": Party.Kind.PERSON,
                "name": person.name,
                "date_of_birth": person.date_of_birth,
                "bsn": person.bsn,
            }
            messages.info(
                request, _("The person was filled in from the BRP; check it and save.")
            )
    form = case_forms.PartyForm(initial=initial)
    return _page(request, case, form, _("Add a party"), "case_add_party", lookup)
