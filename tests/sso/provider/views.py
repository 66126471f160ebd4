"""The tests' hand on the provider: set a user (password, claims, tamper) or
a client. Guarded by a token the test run made; the provider listens on
127.0.0.1 only."""

import hmac
import json
import os

from django.contrib.auth import get_user_model
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from oauth2_provider.models import get_application_model

from .models import Account


def _body(request):
    token = request.headers.get("X-Testing-Token", "")
    if not hmac.compare_digest(token, os.environ["PROVIDER_TESTING_TOKEN"]):
        return None
    return json.loads(request.body)


@csrf_exempt
@require_POST
def put_user(request):
    data = _body(request)
    if data is None:
        return HttpResponseForbidden()
    user, _ = get_user_model().objects.get_or_create(username=data["username"])
    user.set_password(data["password"])
    user.save()
    Account.objects.update_or_create(
        user=user, defaults={"claims": data["claims"], "tamper": data.get("tamper", {})}
    )
    return HttpResponse(str(user.pk))


@csrf_exempt
@require_POST
def put_client(request):
    data = _body(request)
    if data is None:
        return HttpResponseForbidden()
    Application = get_application_model()
    Application.objects.filter(client_id=data["client_id"]).delete()
    Application.objects.create(
        name=data["client_id"],
        client_id=data["client_id"],
        client_secret=data["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(data["redirect_uris"]),
        post_logout_redirect_uris=" ".join(data.get("post_logout_redirect_uris", [])),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    return HttpResponse("ok")
