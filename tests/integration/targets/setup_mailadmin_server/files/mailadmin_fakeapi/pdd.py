"""Legacy PDD API: GET /api2/admin/email/list. Every answer is HTTP 200."""

import math

from .http_util import Response

NUMBER_KEYS = ("uid", "sex")


def fail(code):
    return Response(200, {"success": "error", "error": code})


def handle(store, req):
    with store.lock:
        if req.path != "/api2/admin/email/list" or req.method != "GET":
            return Response(404, {"success": "error", "error": "not_found"})
        token = req.header("PddToken")
        if token is None or token == "":
            return fail("no_auth")
        domains = store.data["pdd"]["tokens"].get(token)
        if domains is None:
            return fail("bad_token")
        domain = (req.arg("domain") or "").strip().lower()
        if not domain:
            return fail("no_domain")
        if domain not in [d.lower() for d in domains] or domain not in store.data["pdd"]["domains"]:
            return fail("not_allowed")
        try:
            page = max(1, int(req.arg("page") or 1))
            on_page = min(100, max(1, int(req.arg("on_page") or 30)))
        except ValueError:
            return fail("unknown")
        return Response(200, render(store, domain, page, on_page))


def render(store, domain, page, on_page):
    accounts = store.data["pdd"]["domains"][domain]
    total = len(accounts)
    chunk = accounts[(page - 1) * on_page: page * on_page]
    as_text = store.config["pdd_numbers"] == "string"

    def num(value):
        if value is None:
            return None
        return str(value) if as_text else int(value)

    out = []
    for account in chunk:
        item = dict(account)
        for name in NUMBER_KEYS:
            item[name] = num(item.get(name))
        out.append(item)
    return {"success": "ok", "domain": domain, "page": num(page),
            "pages": num(int(math.ceil(total / float(on_page)))), "on_page": num(on_page),
            "total": num(total), "found": num(len(out)), "accounts": out}
