"""Fault injection rules (POST /_control/faults) and the bodies they answer with."""

import json
import re

from .http_util import Response, request_id
from . import y360

KINDS = ("status", "drop", "malformed", "slow")
SERVICES = ("y360", "cloud", "clouduss", "pdd", "*")
MALFORMED_BODY = b'{"truncated": [1, 2, '


def validate(rule):
    """Return a normalised fault rule or raise ValueError."""
    if not isinstance(rule, dict):
        raise ValueError("a fault must be a JSON object")
    out = {
        "service": rule.get("service", "*"),
        "method": str(rule.get("method", "*")).upper(),
        "path": rule.get("path", ""),
        "kind": rule.get("kind", "status"),
        "status": int(rule.get("status", 500)),
        "retry_after": rule.get("retry_after"),
        "body": rule.get("body"),
        "delay": float(rule.get("delay", 1.0)),
        "times": int(rule.get("times", 1)),
    }
    if out["service"] not in SERVICES:
        raise ValueError("service must be one of %s" % (SERVICES,))
    if out["kind"] not in KINDS:
        raise ValueError("kind must be one of %s" % (KINDS,))
    if out["times"] == 0 or out["times"] < -1:
        raise ValueError("times must be positive or -1 (persistent)")
    re.compile(out["path"])
    return out


def take(store, service, method, path):
    """Find the first matching rule, decrement its counter, return a copy (or None)."""
    with store.lock:
        for rule in store.faults:
            if rule["service"] not in ("*", service) or rule["method"] not in ("*", method):
                continue
            if not re.search(rule["path"], path):
                continue
            if rule["times"] > 0:
                rule["times"] -= 1
                if rule["times"] == 0:
                    store.faults.remove(rule)
            return dict(rule)
    return None


def status_response(service, rule):
    """The answer of a `status` fault, in the service's own error format unless a body is given."""
    status = rule["status"]
    headers = {}
    if rule.get("retry_after") is not None:
        headers["Retry-After"] = str(rule["retry_after"])
    if service == "y360":
        headers["X-Request-Id"] = request_id()
    elif service == "cloud":
        headers["Yandex-Cloud-Request-ID"] = request_id()
    body = rule.get("body")
    if body is None:
        if service in ("y360", "cloud"):
            body = y360.error_body(status, None, "injected fault")
        elif service == "pdd":
            body = {"success": "error", "error": "unknown"}
        else:
            body = {"error": "injected_fault", "message": "injected fault"}
    elif isinstance(body, str):
        body = body.encode("utf-8")
    return Response(status, body, headers)


def malformed_response():
    return Response(200, MALFORMED_BODY, {"Content-Type": "application/json"})


def describe(rules):
    return json.loads(json.dumps(rules))
