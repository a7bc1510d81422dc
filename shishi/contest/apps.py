from django.apps import AppConfig


class ContestConfig(AppConfig):
    name = "shishi.contest"
    label = "contest"
    verbose_name = "单位竞赛"

    def ready(self) -> None:
        from shishi.contest.access import Perm, audit_events
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
