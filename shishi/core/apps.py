from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shishi.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from shishi.core import checks, outbox, signals, tasks  # noqa: F401  (registration)
        from shishi.core.figures import register as register_figures
        from shishi.core.smsfigures import SOURCE

        outbox.deliver_soon = tasks.deliver_outbox
        register_figures(SOURCE)
