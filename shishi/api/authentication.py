"""API tokens that expire: a token older than `API_TOKEN_DAYS` is refused (401) and must be
issued again. Tokens also die with a password reset, a stopped account or a revoked role
(`orgs.actions`)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token.created < timezone.now() - timedelta(days=settings.API_TOKEN_DAYS):
            raise AuthenticationFailed(f"令牌已超过{settings.API_TOKEN_DAYS}天有效期，请重新签发")
        return user, token
