from django.apps import AppConfig


class ContestConfig(AppConfig):
    name = "shishi.contest"
    label = "contest"
    verbose_name = "单位竞赛"

    def ready(self) -> None:
        from shishi.contest import tasks  # noqa: F401  (periodic tasks)
        from shishi.contest.access import Perm, audit_events
        from shishi.contest.demo import load_demo
        from shishi.contest.figures import SOURCE
        from shishi.core import demo
        from shishi.core.figures import register as register_figures
        from shishi.orgs.navigation import register, register_audit_source

        register(
            section="单位竞赛",
            label="六比一看",
            url_name="contest:contests",
            perm=Perm.VIEW,
            icon="trophy",
        )
        register_audit_source(
            key="contest", label="单位竞赛", entries=audit_events, search=("note",)
        )
        register_figures(SOURCE)
        from shishi.contest.panels import to_review
        from shishi.orgs.navigation import register_review_source

        register_review_source(perm=Perm.MANAGE, items=to_review)
        demo.register(order=46, name="contest", label="单位竞赛", load=load_demo)
