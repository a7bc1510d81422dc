"""The portal's front page leads citizens to every public service, not only 我要反映."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_front_page_links_the_other_public_services():
    page = Client().get(reverse("portal:home")).content.decode()
    for url in ("/lectures/", "/sites/", "/enterprise/report/", "/screen/today/"):
        assert f'href="{url}"' in page, url
