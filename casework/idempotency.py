"""One record per form, however often the form is submitted."""

import secrets
from collections.abc import Callable

from django.db import IntegrityError, transaction

from .models import FormSubmission

FIELD = "form_token"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def run_once(*, token: str, user, action: Callable[[], object]) -> str:
    """Run `action` unless this token ran before; return the URL of the record.

    The token row and the record are written in one transaction. A concurrent
    second submit blocks on the token's unique index until the first commits,
    then finds the stored URL.
    """
    try:
        with transaction.atomic():
            submission = FormSubmission.objects.create(token=token, user=user)
            obj = action()
            submission.result_url = obj.get_absolute_url()
            submission.save(update_fields=["result_url"])
            return submission.result_url
    except IntegrityError:
        earlier = FormSubmission.objects.filter(token=token, user=user).first()
        if earlier is None:
            raise
        return earlier.result_url
