"""Response headers every page carries (the security middleware's are in settings)."""

from django.utils.cache import add_never_cache_headers, get_max_age

# Features no page uses are off; the camera and location only for this site's own pages
# (扫码签到 scans tickets; 我要反映 may take the citizen's location).
PERMISSIONS_POLICY = (
    "camera=(self), geolocation=(self), microphone=(), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)
PRIVATE_PREFIXES = ("/staff/", "/api/", "/admin/")


class PrivacyHeadersMiddleware:
    """`Permissions-Policy` on every response, and `Cache-Control: no-store` on every page
    that may hold personal data — staff pages, the API, and any page that read the visitor's
    session (a citizen's tracking page, their bookings, a form with their phone) — so no
    shared computer's or proxy's cache keeps a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        private = request.path.startswith(PRIVATE_PREFIXES) or "Cookie" in response.get("Vary", "")
        if private and get_max_age(response) is None:
            add_never_cache_headers(response)
        return response
