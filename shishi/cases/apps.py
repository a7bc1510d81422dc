from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "shishi.cases"
    label = "cases"
    verbose_name = "典型案例评选"

    def ready(self) -> None:
        from shishi.cases.access import Perm, audit_events
        from shishi.orgs.navigation import register, register_audit_source

        register(
            section="活动组织",
            label="典型案例评选",
            url_name="cases:selections",
            perm=Perm.VIEW,
            icon="trophy",
        )
        register_audit_source(
            key="cases", label="典型案例评选", entries=audit_events, search=("note",)
        )
        from shishi.cases.demo import demo_summary
        from shishi.cases.figures import SOURCE
        from shishi.core import demo
        from shishi.core.figures import register as register_figures

        register_figures(SOURCE)
        demo.register(order=45, name="cases", label="典型案例评选", load=demo_summary)
