from django.contrib import messages
from django.contrib.auth import logout

from shishi.orgs.access import actor_for, memberships_of, must_use_totp

SESSION_KEY = "shishi_membership"


class ActorMiddleware:
    """Sets `request.actor`: the signed-in person acting through their chosen membership.

    Runs after django-otp's OTPMiddleware. A person who must use a second factor
    (`access.must_use_totp`) is only ever signed in after passing it (`views.twofactor`);
    a session that has not — their authenticator was reset, a role needing it granted, the
    setting switched on — is signed out here, before any page (staff, admin, API) sees it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        request.actor = None
        request.memberships = []
        if user is not None and user.is_authenticated:
            # Read once: the actor is chosen from them and the unit switcher lists them.
            memberships = list(memberships_of(user))
            if must_use_totp(user, memberships) and not user.is_verified():
                logout(request)
                messages.info(request, "您的账号需要动态验证码，请重新登录。")
                return self.get_response(request)
            request.memberships = memberships
            request.actor = actor_for(
                user, request.session.get(SESSION_KEY), memberships=request.memberships
            )
        return self.get_response(request)
