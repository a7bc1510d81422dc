"""System checks of the sign-in settings (run by every `shishi` command; `--deploy` adds the
production ones)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from shishi.orgs.models import Role


@register(Tags.security)
def totp_roles_exist(app_configs, **kwargs) -> list:
    """A misspelt role in SHISHI_TOTP_REQUIRED_ROLES would silently spare that role."""
    unknown = sorted(set(settings.TOTP_REQUIRED_ROLES) - set(Role.values))
    if not unknown:
        return []
    return [
        Error(
            f"TOTP_REQUIRED_ROLES names unknown roles: {', '.join(unknown)}",
            hint=f"Role codes are: {', '.join(Role.values)}",
            id="orgs.E001",
        )
    ]


@register(Tags.security, deploy=True)
def totp_enforced(app_configs, **kwargs) -> list:
    if settings.TOTP_ENFORCE:
        return []
    return [
        Warning(
            "SHISHI_TOTP_ENFORCE is off: administrators and city-office roles sign in with a "
            "password alone.",
            hint="Leave it unset (on) in production; only the demo turns it off.",
            id="orgs.W001",
        )
    ]
