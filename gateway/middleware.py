"""Cross-cutting HTTP concerns."""


class SecurityHeaders:
    """No inline script or style is needed anywhere, so the policy forbids them."""

    HEADERS = {
        "Content-Security-Policy": (
            "default-src 'self'; img-src 'self' https: data:; object-src 'none'; "
            "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",
    }

    def process_response(self, req, resp, resource, req_succeeded):
        resp.set_headers(self.HEADERS)
