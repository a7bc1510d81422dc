from django.conf import settings


def site(request) -> dict:
    """The city's name and campaign, used by every page header."""
    return {
        "CITY_NAME": settings.CITY_NAME,
        "CAMPAIGN_NAME": settings.CAMPAIGN_NAME,
    }
