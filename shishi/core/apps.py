from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shishi.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from shishi.core import checks, outbox, signals, tasks  # noqa: F401  (registration)

        outbox.deliver_soon = tasks.deliver_outbox
