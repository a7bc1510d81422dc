from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "shishi.portal"
    label = "portal"
    verbose_name = "公众门户"
