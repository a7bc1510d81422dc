"""The pages the accessibility check (test_browser_a11y.py) visits, taken from the URL
resolver so that a new page is checked without anyone remembering to add it:

- public: every URL outside /staff/, /api/ and /admin/ is either a page (PUBLIC_PAGES, with
  the demo object that fills its parameters) or named in PUBLIC_NOT_PAGES with the reason;
- staff: every URL without parameters is visited (a new list or form page is checked as it
  lands); those that are not pages are named in STAFF_NOT_PAGES; the pages that show one
  object (an appeal, a project, a unit …) are in STAFF_PAGES with their demo object.

test_a11y_walk.py (no browser) fails when a URL is in none of them."""

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# name -> {URL parameter: key of demo_objects()}; in the order a visitor meets them (the
# tracking page asks for proof first; the SMS link /t/<key> then opens the appeal itself).
PUBLIC_PAGES: dict[str, dict[str, str]] = {
    "portal:home": {},
    "portal:report": {},
    "portal:track": {},
    "portal:track_appeal": {"code": "appeal"},
    "portal:track_key": {"key": "tracking_key"},
    "portal:stats": {},
    "portal:projects": {},
    "portal:project": {"code": "project"},
    "portal:vote": {"code": "selection_voting"},
    "portal:vote_results": {"code": "selection_published"},
    "public_lectures": {},
    "today_screen": {},
    "sites_public:index": {},
    "sites_public:site": {"pk": "site"},
    "sites_public:book": {"pk": "site"},
    "sites_public:routes": {},
    "sites_public:route": {"pk": "route"},
    "sites_public:mine": {},
    "enterprises_public:report": {},
}
# Reached only through the router's 404 handler, so not in the resolver.
PUBLIC_EXTRA = ["/no-such-page/"]

PUBLIC_NOT_PAGES = {
    "healthz": "JSON for the load balancer",
    "today_feed": "JSON the screen reads",
    "today_image": "an image",
    "sites_public:photo": "an image",
    "portal:track_photo": "an image",
    "portal:project_file": "a file download",
    "portal:vote_photo": "an image",
    "portal:vote_results_file": "a file download",
    "portal:elder_mode": "switches 长者模式 and redirects back",
    "portal:towns": "htmx fragment inside /report/",
    "portal:similar": "htmx fragment inside /report/ (POST)",
    "portal:send_otp": "POST: sends a code",
    "portal:track_code": "POST: sends a code",
    "portal:project_code": "POST: sends a code",
    "portal:vote_code": "POST: sends a code",
    "sites_public:code": "POST: sends a code",
    "enterprises_public:send_code": "POST: sends a code",
    "portal:vote_verify": "POST from the vote page",
    "portal:vote_cast": "POST from the vote page",
    "portal:evaluate": "POST from the tracking page",
    "portal:withdraw": "POST from the tracking page",
    "portal:project_object": "POST from the project page",
    "portal:project_rate": "POST from the project page",
    "sites_public:cancel": "POST from the ticket page",
    "sites_public:reschedule": "POST from the ticket page",
    "sites_public:ticket": "only for its booker; sites/tests/test_browser.py checks it",
    "portal:reported": "only after a report; the keyboard test checks it",
    "enterprises_public:reported": "only after an enterprise's report",
    "sms-receipts": "delivery receipts the SMS provider posts",
    "open311:discovery": "Open311 JSON/XML for other systems",
    "open311:services": "Open311 JSON/XML for other systems",
    "open311:service": "Open311 JSON/XML for other systems",
    "open311:requests": "Open311 JSON/XML for other systems",
    "open311:request": "Open311 JSON/XML for other systems",
    "open311:token": "Open311 JSON/XML for other systems",
}

# name -> {URL parameter: key of demo_objects()}: staff pages that show one object.
STAFF_PAGES: dict[str, dict[str, str]] = {
    "appeals:detail": {"code": "appeal"},
    "projects:detail": {"code": "project"},
    "staff:unit": {"pk": "unit"},
    "staff:person": {"pk": "person"},
    "campaign:directive": {"pk": "directive"},
    "campaign:assignment": {"pk": "assignment"},
    "campaign:study_detail": {"pk": "study"},
    "campaign:visit": {"pk": "guidance_visit"},
    "campaign:rectification": {"pk": "rectification"},
    "cases:selection": {"pk": "selection"},
    "contest:contest": {"pk": "contest"},
    "contest:ranking": {"pk": "contest"},
    "contest:submission": {"pk": "submission"},
    "sites:site": {"pk": "site"},
    "sites:booking": {"pk": "booking"},
    "outreach:lecture": {"pk": "lecture"},
    "outreach:team": {"pk": "lecture_team"},
    "outreach:volunteer_team": {"pk": "volunteer_team"},
    "outreach:post": {"pk": "post"},
    "enterprises:detail": {"pk": "enterprise"},
    "enterprises:visit": {"pk": "enterprise_visit"},
    "enterprises:benefit": {"pk": "benefit"},
}

# Staff URLs without parameters that are not pages.
STAFF_NOT_PAGES = {
    "staff:login": "the sign-in page, checked before signing in",
    "staff:login_verify": "second sign-in step (TOTP is off in tests)",
    "staff:login_enrol": "second sign-in step (TOTP is off in tests)",
    "staff:logout": "POST",
    "staff:switch": "POST",
    "staff:calendar_override": "POST from the calendar page",
    "appeals:similar": "htmx fragment (POST)",
    "appeals:caller_lookup": "htmx fragment (POST)",
    "campaign:target_count": "htmx fragment",
    "campaign:round_new": "POST from the guidance page",
    "outreach:today_import": "POST from the today page",
    "projects:template": "a file download",
    "projects:export": "a file download",
    "reports:project_report_docx": "a file download",
    "outreach:today_template": "a file download",
    "enterprises:template": "a file download",
    "enterprises:export": "a file download",
    "enterprises:benefit_template": "a file download",
    "staff:unit_export": "a file download",
    "staff:audit_export": "a file download",
    "integrations:token_new": "POST from the token page (answers with the key, shown once)",
}


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(
                pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace
            )
        else:
            assert isinstance(pattern, URLPattern)
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, prefix + str(pattern.pattern)


def routes() -> list[tuple[str, str]]:
    """(name, route) of every URL the site answers."""
    return list(_walk(get_resolver().url_patterns))


def public_routes() -> list[tuple[str, str]]:
    return [r for r in routes() if not r[1].startswith(("staff/", "api/", "admin/"))]


def staff_routes() -> list[tuple[str, str]]:
    return [r for r in routes() if r[1].startswith("staff/")]


def _fill(table: dict[str, dict[str, str]], objects: dict) -> list[str]:
    return [
        reverse(name, kwargs={arg: objects[key] for arg, key in args.items()})
        for name, args in table.items()
    ]


def public_pages(objects: dict) -> list[str]:
    return _fill(PUBLIC_PAGES, objects) + PUBLIC_EXTRA


def staff_pages(objects: dict) -> list[str]:
    """Every staff URL without parameters that is a page, then the object pages."""
    plain = [
        "/" + route
        for name, route in staff_routes()
        if "<" not in route and name not in STAFF_NOT_PAGES
    ]
    return plain + _fill(STAFF_PAGES, objects)


def demo_objects() -> dict:
    """One object of each kind from the demo city (`shishi demo`) for the pages above."""
    from shishi.appeals.models import Appeal, Status
    from shishi.campaign.models import Assignment, Directive, Rectification, StudySession
    from shishi.campaign.models import Visit as GuidanceVisit
    from shishi.cases.models import Selection
    from shishi.contest.models import Contest, Submission
    from shishi.enterprises.models import Benefit, Enterprise, Visit
    from shishi.orgs.models import Person, Unit
    from shishi.outreach.models import Lecture, LectureTeam, PioneerPost, VolunteerTeam
    from shishi.projects.models import Project
    from shishi.sites.models import Booking, Route, Site

    appeal = Appeal.objects.filter(status=Status.ACCEPTED).exclude(tracking_key="").first()
    selections = Selection.objects.order_by("pk")
    first_of = {
        "selection": Selection, "site": Site, "route": Route, "directive": Directive,
        "study": StudySession, "guidance_visit": GuidanceVisit, "rectification": Rectification,
        "contest": Contest, "submission": Submission, "booking": Booking, "lecture": Lecture,
        "lecture_team": LectureTeam, "volunteer_team": VolunteerTeam, "post": PioneerPost,
        "enterprise": Enterprise, "enterprise_visit": Visit, "benefit": Benefit,
    }  # fmt: skip
    return {key: model.objects.order_by("pk").first().pk for key, model in first_of.items()} | {
        "appeal": appeal.code,
        "tracking_key": appeal.tracking_key,
        "project": Project.objects.public().order_by("pk").first().code,
        "selection_voting": selections.filter(published_at__isnull=True).first().code,
        "selection_published": selections.filter(published_at__isnull=False).first().code,
        "unit": Unit.objects.get(name="芗城区").pk,
        "person": Person.objects.get(username="zs_clerk").pk,
        "assignment": Assignment.objects.exclude(status="pending").order_by("pk").first().pk,
    }
