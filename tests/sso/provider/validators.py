"""django-oauth-toolkit's validator with each user's claims from `Account`,
and the ID token misbehaving where the test asks for it: what a broken or
hostile provider would send, signed for real."""

import json

from jwcrypto import jwk, jwt
from oauth2_provider.oauth2_validators import OAuth2Validator

from .models import Account

# Signs the tokens of a user with tamper {"key": "other"}: a real RS256
# signature under the provider's key id, by a key the provider does not
# publish.
OTHER_KEY = jwk.JWK.generate(kty="RSA", size=2048)


def account(user) -> Account:
    return Account.objects.get_or_create(user=user)[0]


class Validator(OAuth2Validator):
    # Every claim of the account, whatever the scope.
    oidc_claim_scope = None

    def get_additional_claims(self, request):
        return dict(account(request.user).claims)

    def finalize_id_token(self, id_token, token, token_handler, request):
        tamper = account(request.user).tamper
        if not tamper:
            return super().finalize_id_token(id_token, token, token_handler, request)
        claims, expires = self.get_id_token_dictionary(token, token_handler, request)
        id_token.update(**claims)
        if "nonce" not in id_token and request.nonce:
            id_token["nonce"] = request.nonce
        for name in ("aud", "iss", "nonce"):
            if name in tamper:
                id_token[name] = tamper[name]
        key = OTHER_KEY if tamper.get("key") == "other" else request.client.jwk_key
        header = {
            "typ": "JWT",
            "alg": "RS256",
            "kid": request.client.jwk_key.thumbprint(),
        }
        signed = jwt.JWT(header=json.dumps(header), claims=json.dumps(id_token))
        signed.make_signed_token(key)
        request.id_token = self._save_id_token(id_token["jti"], request, expires)
        request.access_token = request.id_token
        return signed.serialize()
