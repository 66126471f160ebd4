from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .policy import READ, actor_for, role_actions
from .selectors import access_log_for_user

PAGE = 200


@require_GET
def access_log(request):
    """The access log (D9): FG/auditor only; everyone else gets 404."""
    if READ not in role_actions(actor_for(request.user).role, "D9"):
        raise Http404
    entries = access_log_for_user(request.user)
    username = request.GET.get("user", "").strip()
    reference = request.GET.get("case", "").strip()
    if username:
        entries = entries.filter(username=username)
    if reference:
        entries = entries.filter(case_reference=reference)
    context = {
        "entries": entries[:PAGE],
        "user_filter": username,
        "case_filter": reference,
    }
    return render(request, "permissions/access_log.html", context)
