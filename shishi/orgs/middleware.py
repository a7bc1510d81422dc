from shishi.orgs.access import actor_for, memberships_of

SESSION_KEY = "shishi_membership"


class ActorMiddleware:
    """Sets `request.actor`: the signed-in person acting through their chosen membership."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        request.actor = None
        request.memberships = []
        if user is not None and user.is_authenticated:
            # Read once: the actor is chosen from them and the unit switcher lists them.
            request.memberships = list(memberships_of(user))
            request.actor = actor_for(
                user, request.session.get(SESSION_KEY), memberships=request.memberships
            )
        return self.get_response(request)
