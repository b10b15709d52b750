"""Per-service request-rate limits (config key `rate_limits`), as real APIs enforce under load.

A fixed one-second window per service, counted from the server's start: up to `limit` requests
(its whole part) are served in each window; the ones beyond it are answered 429 with `Retry-After` (whole seconds
until the window ends, at least 1) and change nothing. Refused requests do not count against the
window, so a client that waits as told is served in the next one.
"""

import math

from .http_util import Response, request_id

SERVICES = ("y360", "cloud", "clouduss", "pdd")


def validate(limits):
    """Normalised `{service: requests per second or None}`; raises ValueError."""
    if not isinstance(limits, dict):
        raise ValueError("rate_limits must be an object {service: requests per second}")
    out = {}
    for service, limit in limits.items():
        if service not in SERVICES:
            raise ValueError("rate_limits: service must be one of %s" % (SERVICES,))
        if limit is not None:
            if isinstance(limit, bool) or not isinstance(limit, (int, float)) or limit < 1:
                raise ValueError("rate_limits: %s must be a number of at least 1, or null for no limit"
                                 % service)
        out[service] = limit
    return out


def parse_cli(values):
    """`--rate-limit y360=20` (repeatable) → `{"y360": 20.0}`."""
    limits = {}
    for value in values or ():
        service, sep, number = value.partition("=")
        try:
            limits[service] = float(number) if sep else None
        except ValueError:
            limits[service] = None
        if limits[service] is None:
            raise ValueError("--rate-limit wants SERVICE=REQUESTS_PER_SECOND, not %r" % value)
    return validate(limits)


def check(store, service, received):
    """None when the request may be served (and is counted), else the 429 answer to send."""
    with store.lock:
        limit = (store.config.get("rate_limits") or {}).get(service)
        if not limit:
            return None
        elapsed = received - store.started
        window = math.floor(elapsed)
        current = store.rate_windows.get(service)
        if current is None or current[0] != window:
            current = store.rate_windows[service] = [window, 0]
        if current[1] < int(limit):
            current[1] += 1
            return None
    retry_after = max(1, math.ceil(window + 1 - elapsed))
    headers = {"Retry-After": str(retry_after)}
    if service == "y360":
        headers["X-Request-Id"] = request_id()
    elif service == "cloud":
        headers["Yandex-Cloud-Request-ID"] = request_id()
    return Response(429, _body(service), headers)


def _body(service):
    # Each service's own error format (state.py's imports keep this module free of y360/faults).
    if service in ("y360", "cloud"):
        return {"code": 8, "message": "rate limit exceeded", "details": []}
    if service == "pdd":
        return {"success": "error", "error": "unknown"}
    return {"error": "rate_limited", "message": "rate limit exceeded"}
