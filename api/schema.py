"""The API's security scheme in the OpenAPI schema: OAuth2 client
credentials with the scope of each operation."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .auth import required_scope


class ClientAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.ClientAuthentication"
    name = "oauth2"

    def get_security_requirement(self, auto_schema):
        scope = required_scope(auto_schema.view, auto_schema.method)
        return {self.name: [scope] if scope else []}

    def get_security_definition(self, auto_schema):
        from oauth2_provider.settings import oauth2_settings

        return {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": "/api/oauth/token/",
                    "scopes": dict(oauth2_settings.SCOPES),
                }
            },
        }
