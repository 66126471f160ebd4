"""One record per form, however often the form is submitted."""

import secrets
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from .models import FormSubmission

FIELD = "form_token"
# FormSubmission.token's column; the form refuses longer tokens
# (casework.forms.TokenForm).
MAX_LENGTH = FormSubmission._meta.get_field("token").max_length

TOKEN_TAKEN = _(
    "This form was already submitted by someone else. Reload the page and try again."
)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def run_once(*, token: str, user, action: Callable[[], object]) -> str:
    """Run `action` unless this token ran before; return the URL of the record.

    The token row and the record are written in one transaction. A concurrent
    second submit blocks on the token's unique index until the first commits,
    then finds the stored URL.

    A token is the user's own: another user's token (only a crafted request
    carries one, tokens are random) is refused with PermissionDenied and runs
    nothing, and never shows where the other user's record is.
    """
    try:
        with transaction.atomic():
            submission = FormSubmission.objects.create(token=token, user=user)
            obj = action()
            submission.result_url = obj.get_absolute_url()
            submission.save(update_fields=["result_url"])
            return submission.result_url
    except IntegrityError:
        earlier = FormSubmission.objects.filter(token=token).first()
        if earlier is None:
            # Not the token: the action's own constraint failed.
            raise
        if earlier.user_id != user.pk:
            raise PermissionDenied(str(TOKEN_TAKEN)) from None
        return earlier.result_url
