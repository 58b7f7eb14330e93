"""Response headers Django has no setting for: the Permissions-Policy.

Content-Security-Policy, X-Frame-Options, Referrer-Policy, Cross-Origin-Opener-Policy, HSTS and nosniff come from
Django's own middleware and settings (newsroom/settings.py). Like Django's CSP middleware, this one sits before the
page cache in MIDDLEWARE, so pages served from the cache get the header too; neither header is ever stored there.
The CSP nonce is made lazily, only when a template asks for it ({% csp_nonce_attr %}): only admin pages do, and
those are never cached, so no cached page holds a nonce that a later response's header would not match.
"""

# Browser features no page of ours uses, refused to every page and to any frame inside one: a script that got in
# anyway cannot turn on the camera, the microphone or the reader's position, and no advertising-interest API
# profiles our readers (browsing-topics; the older interest-cohort is left out because Chromium now reports it
# as an unknown feature on every page). Fullscreen stays allowed, for video a story may embed one day.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
