from django.shortcuts import render

from shishi.orgs.queries import public_divisions


def home(request):
    """The public portal's front page: the city, its campaign, how to be heard."""
    return render(request, "portal/home.html", {"divisions": public_divisions()})
