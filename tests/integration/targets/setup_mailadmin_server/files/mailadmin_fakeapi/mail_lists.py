"""Mailing-list senders host (cloud-api.yandex.net): permissions and update-permissions."""

import re

from .http_util import ApiError, Response, request_id
from .y360 import check_oauth, error_body

HEADER = "Yandex-Cloud-Request-ID"
SUBJECT_TYPES = ("organization", "department", "group", "shared_mailbox", "user", "anonymous")
ROLES = ("mail_list_sender",)
PATH = re.compile(r"^/v1/admin/org/(?P<org>[^/]+)/mail-lists/(?P<mlid>[^/]+)/(?P<op>permissions|update-permissions)$")


def handle(store, req):
    try:
        with store.lock:
            check_oauth(store, req)
            match = PATH.match(req.path)
            expected = {"permissions": "GET", "update-permissions": "POST"}
            if not match or expected[match.group("op")] != req.method:
                raise ApiError(404, 5, "not_found")
            org = int(store.data["y360"]["org_id"])
            if match.group("org") != str(org):
                raise ApiError(403, 7, "Not an admin")
            grants = store.data["mail_lists"].get(match.group("mlid"))
            if grants is None:
                raise ApiError(404, 5, "not_found: no mailing list %s" % match.group("mlid"))
            if req.method == "GET":
                resp = Response(200, render(store, grants))
            else:
                apply_actions(store, grants, parse_actions(store, req))
                if int(store.config["update_status"]) == 200:
                    resp = Response(200, {})
                else:
                    resp = Response(204, None)
            resp.headers[HEADER] = request_id()
            return resp
    except ApiError as err:
        return Response(err.status, error_body(err.status, err.code, err.message), {HEADER: request_id()})


def render(store, grants):
    def item(role):
        return {"name": role} if store.config["role_item_shape"] == "object" else role
    return {"grants": {"items": [
        {"roles": {"items": [item(r) for r in g["roles"]]}, "subject": dict(g["subject"])}
        for g in grants]}}


def role_name(item):
    if isinstance(item, dict):
        item = item.get("name")
    if item not in ROLES:
        raise ApiError(400, 3, "unknown role %r" % (item,))
    return item


def parse_subject(store, raw):
    if not isinstance(raw, dict) or raw.get("type") not in SUBJECT_TYPES:
        raise ApiError(400, 3, "invalid subject %r" % (raw,))
    try:
        sid = int(raw.get("id", 0))
        org_id = int(raw.get("org_id", 0))
    except (TypeError, ValueError):
        raise ApiError(400, 3, "subject id and org_id must be integers") from None
    stype = raw["type"]
    own_org = int(store.data["y360"]["org_id"])
    if stype == "anonymous":
        sid, org_id = 0, 0
    elif org_id not in (own_org, 0):
        raise ApiError(400, 3, "subject org_id must be %d or 0" % own_org)
    elif org_id == own_org and not subject_exists(store, stype, sid):
        raise ApiError(400, 3, "unknown %s %d" % (stype, sid))
    return {"type": stype, "id": sid, "org_id": org_id}


def subject_exists(store, stype, sid):
    y = store.data["y360"]
    pools = {
        "user": [u["id"] for u in y["users"]],
        "shared_mailbox": [m["id"] for m in y["shared_mailboxes"]],
        "group": [g["id"] for g in y["groups"]],
        "department": [d["id"] for d in y["departments"]],
        "organization": [y["org_id"]],
    }
    return any(str(candidate) == str(sid) for candidate in pools[stype])


def parse_actions(store, req):
    try:
        body = req.json()
    except ValueError:
        raise ApiError(400, 3, "body is not valid JSON") from None
    actions = body.get("role_actions") if isinstance(body, dict) else None
    if not isinstance(actions, list):
        raise ApiError(400, 3, "role_actions list is required")
    parsed = []
    for action in actions:
        if not isinstance(action, dict) or action.get("type") not in ("grant", "revoke", "overwrite"):
            raise ApiError(400, 3, "role action type must be grant, revoke or overwrite")
        roles = [role_name(r) for r in action.get("roles") or []]
        subjects = [parse_subject(store, s) for s in action.get("subjects") or []]
        parsed.append((action["type"], roles, subjects))
    return parsed


def key(subject):
    return (subject["type"], subject["id"], subject["org_id"])


def apply_actions(store, grants, actions):
    """Apply in order. overwrite drops the listed roles from every subject of the listed types first."""
    for kind, roles, subjects in actions:
        if kind == "overwrite":
            types = {s["type"] for s in subjects}
            for grant in grants:
                if grant["subject"]["type"] in types:
                    grant["roles"] = [r for r in grant["roles"] if r not in roles]
            kind = "grant"
        for subject in subjects:
            found = next((g for g in grants if key(g["subject"]) == key(subject)), None)
            if kind == "grant":
                if found is None:
                    grants.append({"roles": list(roles), "subject": subject})
                else:
                    found["roles"] = list(dict.fromkeys(found["roles"] + roles))
            elif found is not None:
                found["roles"] = [r for r in found["roles"] if r not in roles]
        grants[:] = [g for g in grants if g["roles"]]
