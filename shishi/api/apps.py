from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "shishi.api"
    label = "api"
    verbose_name = "接口"
