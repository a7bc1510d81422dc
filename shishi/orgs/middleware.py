from shishi.orgs.access import actor_for

SESSION_KEY = "shishi_membership"


class ActorMiddleware:
    """Sets `request.actor`: the signed-in person acting through their chosen membership."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        request.actor = None
        if user is not None and user.is_authenticated:
            request.actor = actor_for(user, request.session.get(SESSION_KEY))
        return self.get_response(request)
