"""The signed-in user's own e-mail settings (docs/notifications.md)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import PreferenceForm
from .models import EmailPreference


@require_http_methods(["GET", "POST"])
def preferences(request):
    """Opt in to (or out of) e-mail about new tasks and deadlines due. Only
    the user's own row: there is nothing of anyone else to read here."""
    current = EmailPreference.objects.filter(user=request.user).first()
    if current is None:
        current = EmailPreference(user=request.user)
    form = PreferenceForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your e-mail settings are saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "has_email": bool(request.user.email)},
    )
