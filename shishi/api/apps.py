from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "shishi.api"
    label = "api"
    verbose_name = "接口"

    def ready(self) -> None:
        from shishi.api import schema  # noqa: F401  (the token's OpenAPI description)
        from shishi.api.access import Perm
        from shishi.orgs.navigation import register

        register(
            section="系统",
            label="集成令牌",
            url_name="integrations:tokens",
            perm=Perm.MANAGE_TOKENS,
            icon="key",
        )
