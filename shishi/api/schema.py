"""How the OpenAPI schema describes the token (drf-spectacular finds it when imported)."""

from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.views import SpectacularSwaggerSplitView


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    target_class = "shishi.api.authentication.IntegrationTokenAuthentication"
    name = "integrationToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "集成令牌：由市级管理员在“系统 → 集成令牌”签发，仅显示一次",
        }


@method_decorator(
    csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"]}), name="dispatch"
)
class SwaggerDocs(SpectacularSwaggerSplitView):
    """Swagger UI (assets from the sidecar package; its styles need inline style)."""
