from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "shishi.appeals"
    label = "appeals"
    verbose_name = "诉求办理"

    def ready(self) -> None:
        from shishi.appeals import tasks  # noqa: F401  (periodic tasks)
        from shishi.appeals.access import Perm
        from shishi.appeals.demo import demo_summary
        from shishi.core import demo
        from shishi.orgs.navigation import register

        register(
            section="诉求办理",
            label="诉求工作台",
            url_name="appeals:queue",
            perm=Perm.HANDLE,
            icon="inbox",
        )
        register(
            section="诉求办理",
            label="热线登记",
            url_name="appeals:new",
            perm=Perm.INTAKE,
            icon="telephone-plus",
        )
        register(
            section="诉求办理",
            label="审核",
            url_name="appeals:reviews",
            perm=Perm.REVIEW,
            icon="clipboard-check",
        )
        register(  # unit leaders: the subtree's extension requests (no role holds both)
            section="诉求办理",
            label="延期审核",
            url_name="appeals:reviews",
            perm=Perm.APPROVE,
            icon="clipboard-check",
        )
        register(
            section="诉求办理",
            label="单位排名",
            url_name="appeals:ranking",
            perm=Perm.RANKING,
            icon="bar-chart-line",
        )
        demo.register(order=20, label="诉求", load=demo_summary)
        from shishi.appeals.panels import home_panel
        from shishi.orgs.navigation import register_panel

        register_panel(template="appeals/_home_panel.html", perm=Perm.VIEW, context=home_panel)
        from shishi.appeals.panels import extensions_to_review, replies_to_review
        from shishi.orgs.navigation import register_review_source

        register_review_source(perm=Perm.APPROVE, items=replies_to_review)
        register_review_source(perm=Perm.APPROVE, items=extensions_to_review)
        from shishi.appeals.access import audit_events
        from shishi.orgs.navigation import register_audit_source

        register_audit_source(
            key="appeals", label="诉求办理", entries=audit_events, search=("target_text",)
        )
