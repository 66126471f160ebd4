from django.conf import settings
from django.db import models


class Account(models.Model):
    """A user's claims at the provider, and how the provider misbehaves for
    it (`tamper`: another `aud` or `iss`, or a signature by another key)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    claims = models.JSONField(default=dict)
    tamper = models.JSONField(default=dict)

    def __str__(self) -> str:
        return str(self.user)
