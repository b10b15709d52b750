"""HTTP front end: prefix routing, control API, faults, latency and the request log."""

import json
import socket
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import clouduss, faults, mail_lists, pdd, ratelimit, rules, y360
from .http_util import Request, Response

# A person's mail rules are Yandex 360 paths: served by y360.handle (auth, org, request id).
y360.ROUTES.extend(rules.ROUTES)

SERVICES = {
    "y360": y360.handle,
    "cloud": mail_lists.handle,
    "clouduss": clouduss.handle,
    "pdd": pdd.handle,
}
SECRET_KEYS = ("password", "access_token", "token", "client_secret")


def mask(value):
    """Replace secret values (password, tokens) by '***' before they reach the log."""
    if isinstance(value, dict):
        return {k: ("***" if k.lower() in SECRET_KEYS else mask(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [mask(v) for v in value]
    return value


class App:
    """Everything a request handler needs: the store and a way to stop the server."""

    def __init__(self, store):
        self.store = store
        self.httpd = None

    def shutdown_soon(self):
        # shutdown() blocks until serve_forever returns: never call it from a handler thread directly.
        threading.Thread(target=self.httpd.shutdown, daemon=True).start()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "mailadmin-fakeapi/1.0"
    # Buffer each answer and flush it in one write (handle_one_request flushes): headers and body
    # in separate segments meet Nagle + delayed ACK and cost ~40 ms per keep-alive request.
    wbufsize = 65536

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *args):  # keep server.log for real problems
        pass

    def do_GET(self):
        self.dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    @property
    def app(self):
        return self.server.app

    # -------------------------------------------------------------- plumbing

    def read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send(self, resp):
        data = resp.encoded()
        self.send_response(resp.status)
        headers = dict(resp.headers)
        if data and "Content-Type" not in headers:
            headers["Content-Type"] = "application/json"
        for name, value in headers.items():
            self.send_header(name, value)
        if resp.status != 204:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data and self.command != "HEAD":
            self.wfile.write(data)

    def drop(self):
        """Close the connection without answering (a `drop` fault)."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def dispatch(self):
        split = urlsplit(self.path)
        body = self.read_body()
        prefix, dummy, rest = split.path.lstrip("/").partition("/")
        rest = "/" + rest
        try:
            if prefix == "_control":
                resp = control(self.app, self.command, rest, split.query, body)
                self.send(resp)
                if getattr(resp, "shutdown", False):
                    # Only once the answer is out: the process may end as soon as serving stops.
                    self.wfile.flush()
                    self.app.shutdown_soon()
            elif prefix in SERVICES:
                req = Request(self.command, prefix, rest, split.query, self.headers, body)
                self.serve_service(req)
            else:
                self.send(Response(404, {"error": "unknown service prefix %r" % prefix}))
        except Exception:  # pylint: disable=broad-except
            traceback.print_exc(file=sys.stderr)
            self.send(Response(500, {"error": "internal server error in the fake API"}))

    def serve_service(self, req):
        store = self.app.store
        received = time.monotonic()
        limited = ratelimit.check(store, req.service, received)
        rule = None if limited else faults.take(store, req.service, req.method, req.path)
        latency = float(store.config.get("latency_ms") or 0) / 1000.0
        if latency:
            time.sleep(latency)
        resp = None
        if limited:
            resp, rule = limited, {"kind": "rate_limit"}
        elif rule and rule["kind"] == "slow":
            time.sleep(rule["delay"])
        elif rule and rule["kind"] == "status":
            resp = faults.status_response(req.service, rule)
        elif rule and rule["kind"] == "malformed":
            resp = faults.malformed_response()
        if rule is None or rule["kind"] == "slow":
            resp = SERVICES[req.service](store, req)
        log_request(store, req, resp.status if resp else None, rule["kind"] if rule else None, received)
        if resp is None:
            self.drop()
        else:
            self.send(resp)


def log_request(store, req, status, fault, received):
    # Times in seconds since the server started: when the request arrived and when it was answered
    # (the benchmark reads them to show how many requests were in flight at once).
    is_login = req.service == "clouduss" and req.path == "/auth"
    write = req.method not in ("GET", "HEAD") and not is_login
    body = None
    if write or is_login:
        body = logged_body(req)
    query = {k: (v[0] if len(v) == 1 else v) for k, v in req.query.items()}
    store.log({
        "service": req.service, "method": req.method, "path": req.path, "query": mask(query),
        "status": status, "write": write, "fault": fault, "body": body,
        "received": round(received - store.started, 4), "answered": round(time.monotonic() - store.started, 4),
    })


def logged_body(req):
    # JSON first (clients do not always label it), then forms, then raw text.
    try:
        return mask(req.json())
    except (ValueError, UnicodeDecodeError):
        pass
    form = req.form()
    if form is not None:
        return mask(form)
    return req.body.decode("utf-8", "replace") if req.body else None


# ------------------------------------------------------------------ control API

def control(app, method, path, query_string, body):
    store = app.store
    try:
        payload = json.loads(body.decode("utf-8")) if body.strip() else None
    except ValueError:
        return Response(400, {"error": "control body is not JSON"})
    query = {k: v[0] for k, v in parse_qs(query_string).items()}
    key = (method, path.rstrip("/") or "/")
    try:
        if key == ("GET", "/health"):
            return Response(200, {"ok": True})
        if key == ("GET", "/state"):
            with store.lock:
                y360.advance_tasks(store)
                return Response(200, store.export())
        if key == ("PUT", "/state"):
            store.replace(payload or {})
            return Response(200, {"ok": True})
        if key == ("POST", "/reset"):
            store.reset()
            return Response(200, {"ok": True})
        if key == ("GET", "/config"):
            return Response(200, store.config)
        if key == ("PUT", "/config"):
            if not isinstance(payload, dict):
                raise ValueError("config body must be an object")
            return Response(200, store.update_config(payload))
        if key == ("GET", "/requests"):
            return Response(200, filter_requests(store, query))
        if key == ("DELETE", "/requests"):
            with store.lock:
                store.requests = []
            return Response(200, {"ok": True})
        if key == ("GET", "/faults"):
            return Response(200, {"faults": faults.describe(store.faults)})
        if key == ("POST", "/faults"):
            rules = [faults.validate(r) for r in (payload if isinstance(payload, list) else [payload])]
            with store.lock:
                store.faults.extend(rules)
            return Response(200, {"faults": faults.describe(store.faults)})
        if key == ("DELETE", "/faults"):
            with store.lock:
                store.faults = []
            return Response(200, {"ok": True})
        if key == ("POST", "/generate"):
            args = payload or {}
            with store.lock:
                result = y360.generate(store, args.get("users", 0), args.get("delegated_mailboxes", 0),
                                       args.get("actors_per_mailbox", 3))
                result.update(y360.generate_shared(store, args.get("shared_mailboxes", 0),
                                                   args.get("actors_per_shared", 3)))
            return Response(200, result)
        if key == ("POST", "/shutdown"):
            resp = Response(200, {"ok": True})
            resp.shutdown = True    # the handler stops the server after sending this answer
            return resp
    except (ValueError, TypeError) as err:
        return Response(400, {"error": str(err)})
    return Response(404, {"error": "unknown control call %s %s" % key})


def filter_requests(store, query):
    with store.lock:
        rows = list(store.requests)
    if query.get("service"):
        rows = [r for r in rows if r["service"] == query["service"]]
    if query.get("method"):
        rows = [r for r in rows if r["method"] == query["method"].upper()]
    if query.get("status"):
        rows = [r for r in rows if str(r["status"]) == query["status"]]
    if query.get("fault"):
        rows = [r for r in rows if r["fault"] == query["fault"]]
    if query.get("write") in ("1", "true", "0", "false"):
        wanted = query["write"] in ("1", "true")
        rows = [r for r in rows if r["write"] == wanted]
    return {"requests": rows, "count": len(rows), "writes": sum(1 for r in rows if r["write"])}


def make_server(store, host="127.0.0.1", port=0):
    app = App(store)
    httpd = ThreadingHTTPServer((host, port), Handler)
    httpd.daemon_threads = True
    httpd.app = app
    app.httpd = httpd
    return httpd
