"""Small request/response value objects shared by the service modules."""

import json
import math
import uuid
from email import policy
from email.parser import BytesParser
from urllib.parse import parse_qs


class Request:
    """One parsed HTTP request, path already stripped of the service prefix."""

    def __init__(self, method, service, path, query_string, headers, body):
        self.method = method
        self.service = service
        self.path = path
        self.query_string = query_string
        self.query = parse_qs(query_string, keep_blank_values=True)
        self.headers = headers
        self.body = body
        self._json_cache = None
        self._json_done = False

    def arg(self, name, default=None):
        """First value of a query parameter."""
        values = self.query.get(name)
        return values[0] if values else default

    def header(self, name):
        return self.headers.get(name)

    def json(self):
        """Parsed JSON body; raises ValueError when the body is not JSON."""
        if not self._json_done:
            self._json_done = True
            text = self.body.decode("utf-8") if self.body else ""
            self._json_cache = json.loads(text) if text.strip() else None
        return self._json_cache

    def form(self):
        """Form fields of an urlencoded or multipart body, or None for any other body."""
        ctype = (self.header("Content-Type") or "").lower()
        if ctype.startswith("application/x-www-form-urlencoded"):
            parsed = parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)
            return {key: values[0] for key, values in parsed.items()}
        if ctype.startswith("multipart/form-data"):
            return _parse_multipart(self.header("Content-Type"), self.body)
        return None


def _parse_multipart(content_type, body):
    # The email package parses multipart/form-data well enough once it sees the header.
    raw = b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    message = BytesParser(policy=policy.HTTP).parsebytes(raw)
    fields = {}
    if not message.is_multipart():
        return fields
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            payload = part.get_payload(decode=True) or b""
            fields[name] = payload.decode("utf-8", "replace")
    return fields


class Response:
    """What a service handler answers. body: dict/list (JSON), bytes (raw) or None (no body)."""

    def __init__(self, status=200, body=None, headers=None):
        self.status = status
        self.body = body
        self.headers = dict(headers or {})

    def encoded(self):
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body).encode("utf-8")


class ApiError(Exception):
    """Raised by service code; the service turns it into its own error format."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def request_id():
    return uuid.uuid4().hex


def parse_int(value, name, default):
    """Parse an integer query parameter; ApiError(400) when it is not one."""
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(400, 3, "%s must be an integer" % name) from None


def paginate(items, page, per_page):
    """Slice one page; returns (page_items, total, pages)."""
    total = len(items)
    pages = int(math.ceil(total / float(per_page))) if per_page else 0
    start = (page - 1) * per_page
    return items[start:start + per_page], total, pages
