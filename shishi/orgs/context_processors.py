from shishi.orgs.navigation import nav_for


def staff(request) -> dict:
    """Navigation and the unit switcher for staff pages."""
    actor = getattr(request, "actor", None)
    if actor is None:
        return {}
    return {
        "actor": actor,
        "staff_nav": nav_for(actor, request.get_full_path()),
        "switchable_memberships": getattr(request, "memberships", []),
    }
