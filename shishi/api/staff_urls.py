from django.urls import path

from shishi.api.views import tokens

app_name = "integrations"

urlpatterns = [
    path("", tokens.token_list, name="tokens"),
    path("new/", tokens.token_new, name="token_new"),
    path("<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
]
