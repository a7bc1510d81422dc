"""How a call proves who it is: `Authorization: Bearer <key>` of an integration token
(`api.access.actor_for_key`), and how often it may call (the token's own rate per minute).

There is no other way in: no personal tokens, no browser session. A call without a key is
401; a key that is unknown, expired, revoked or of a stopped unit is 401 with the reason.
"""

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.throttling import BaseThrottle

from shishi.api.access import TokenActor, TokenRefused, actor_for_key
from shishi.core.ratelimit import Limited, hit

KEYWORD = "Bearer"


class IntegrationTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() != KEYWORD.lower():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Authorization 头格式应为：Bearer 令牌")
        try:
            actor = actor_for_key(parts[1].decode(errors="replace"))
        except TokenRefused as refused:
            raise AuthenticationFailed(refused.message) from refused
        return actor.person, actor

    def authenticate_header(self, request) -> str:
        return f'{KEYWORD} realm="api"'


def limit_token(actor: TokenActor) -> None:
    """Count one call of the token; Limited once over its rate in this minute."""
    hit(f"api:token:{actor.token.pk}", limit=actor.token.rate_per_minute, window=60)


class TokenRateThrottle(BaseThrottle):
    """Each token's `rate_per_minute`, shared by every app process (core.ratelimit)."""

    def allow_request(self, request, view) -> bool:
        if not isinstance(request.auth, TokenActor):
            return True
        try:
            limit_token(request.auth)
        except Limited as limited:
            self._wait = limited.retry_after
            return False
        return True

    def wait(self):
        return getattr(self, "_wait", 60)
