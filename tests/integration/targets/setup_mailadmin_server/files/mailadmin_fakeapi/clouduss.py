"""CloudUSS API: POST /auth, GET /email/mailbox/v2, POST and DELETE /email/mailbox.

Formats chosen where API.md says [unknown] (documented in README.md):
- errors: {"error": "<code>", "message": "<text>"} with 400/401/403/404/409;
- 2FA login: HTTP 200 {"mfa_required": true, "mfa_methods": ["totp"], "accounts_id": ..., "message": ...};
- POST answers 200 with the array of created records, DELETE 200 with the array of removed records.
"""

import math
import secrets
import time

from .http_util import Response

SENSITIVE_QUERY = ("username", "password")


def error(status, code, message):
    return Response(status, {"error": code, "message": message})


def handle(store, req):
    with store.lock:
        if req.path == "/auth" and req.method == "POST":
            return login(store, req)
        routes = {
            ("GET", "/email/mailbox/v2"): list_mailboxes,
            ("POST", "/email/mailbox"): add_mailboxes,
            ("DELETE", "/email/mailbox"): delete_mailboxes,
        }
        func = routes.get((req.method, req.path))
        if func is None:
            return error(404, "not_found", "no such endpoint")
        account, failure = authenticate(store, req)
        if failure is not None:
            return failure
        return func(store, req, account)


def login(store, req):
    if any(name in req.query for name in SENSITIVE_QUERY):
        return error(400, "bad_request", "credentials must be sent as form fields, not in the URL")
    form = req.form()
    if form is None:
        return error(400, "bad_request", "expected a urlencoded or multipart form with username and password")
    username, password = form.get("username", ""), form.get("password", "")
    user = next((u for u in store.data["clouduss"]["users"]
                 if u["username"].lower() == username.lower() and u["password"] == password), None)
    if user is None:
        return error(401, "invalid_credentials", "Invalid username or password")
    if user.get("mfa"):
        return Response(200, {"mfa_required": True, "mfa_methods": ["totp"],
                              "accounts_id": user["account_id"],
                              "message": "Second factor required"})
    token = secrets.token_hex(20)
    store.data["clouduss"]["tokens"][token] = user["account_id"]
    return Response(200, {"access_token": token, "token_type": "Bearer", "expires_in": 86400,
                          "accounts_id": user["account_id"], "username": user["username"],
                          "company": user.get("company", ""), "issued_at": int(time.time())})


def authenticate(store, req):
    auth = req.header("Authorization") or ""
    scheme, dummy, token = auth.partition(" ")
    account = store.data["clouduss"]["tokens"].get(token.strip()) if scheme == "Bearer" else None
    if account is None:
        return None, error(401, "unauthorized", "missing or invalid bearer token")
    if req.header("X-Uss-Account-Id") != account:
        return None, error(403, "forbidden", "X-Uss-Account-Id does not match the token's account")
    return account, None


def mailboxes_of(store, account):
    return store.data["clouduss"]["mailboxes"].setdefault(account, [])


def list_mailboxes(store, req, account):
    try:
        page = max(1, int(req.arg("page") or 1))
        size = min(100, max(1, int(req.arg("page_size") or 20)))
    except ValueError:
        return error(400, "bad_request", "page and page_size must be integers")
    search = (req.arg("search") or "").lower()
    # search is a substring match (API.md 4); `start` is accepted and ignored.
    rows = [m for m in mailboxes_of(store, account)
            if search in m["email_address"].lower() or search in m.get("realname", "").lower()]
    total = len(rows)
    data = [dict(m) for m in rows[(page - 1) * size: page * size]]
    return Response(200, {"data": data, "meta": {"page": page, "page_size": size, "total": total,
                                                 "total_pages": int(math.ceil(total / float(size)))}})


def array_body(req):
    try:
        body = req.json()
    except ValueError:
        return None
    return body if isinstance(body, list) and all(isinstance(i, dict) for i in body) else None


def add_mailboxes(store, req, account):
    items = array_body(req)
    if items is None:
        return error(400, "bad_request", "body must be a JSON array of mailbox objects")
    boxes = mailboxes_of(store, account)
    known = {m["email_address"].lower() for m in boxes}
    for item in items:
        address = str(item.get("email_address") or "")
        if "@" not in address:
            return error(400, "bad_request", "invalid email_address %r" % address)
        if address.lower() in known:
            return error(409, "duplicate", "mailbox %s already exists" % address)
        known.add(address.lower())
    uss = store.data["clouduss"]
    created = []
    for item in items:
        uss["next_id"] += 1
        uss["next_email_address_id"] += 1
        record = {"id": uss["next_id"], "email_address_id": uss["next_email_address_id"],
                  "email_address": item["email_address"], "executive": 1 if item.get("executive") else 0,
                  "realname": " ", "is_ad_mailbox": 0}
        boxes.append(record)
        created.append(dict(record))
    return Response(200, created)


def delete_mailboxes(store, req, account):
    items = array_body(req)
    if items is None:
        return error(400, "bad_request", "body must be a JSON array of mailbox objects")
    boxes = mailboxes_of(store, account)
    targets = []
    for item in items:
        match = next((m for m in boxes if _same(m, item)), None)
        if match is None:
            return error(404, "not_found", "no mailbox %s" % (item.get("email_address") or item.get("id")))
        targets.append(match)
    for match in targets:
        if match in boxes:
            boxes.remove(match)
    return Response(200, [dict(m) for m in targets])


def _same(mailbox, item):
    """Match by id when given, else by address (case-insensitive)."""
    if item.get("id") not in (None, ""):
        try:
            return int(item["id"]) == mailbox["id"]
        except (TypeError, ValueError):
            return False
    return str(item.get("email_address", "")).lower() == mailbox["email_address"].lower()
