"""Yandex 360 admin API: mailboxes (delegated/shared, access tasks) and the directory."""

import re
import time

from .http_util import ApiError, Response, paginate, parse_int, request_id
from .state import (MAX_ACTORS_PER_MAILBOX, MAX_DELEGATED_PER_ORG,
                    MAX_MAILBOXES_PER_ACTOR, MAX_SHARED_PER_ORG)

ROLES = (
    "shared_mailbox_owner", "shared_mailbox_reader", "shared_mailbox_editor",
    "shared_mailbox_admin", "shared_mailbox_imap_admin", "shared_mailbox_sender",
    "shared_mailbox_half_sender",
)
NOTIFY = ("all", "delegates", "none")

# HTTP status -> gRPC code used in the error body (API.md 1).
GRPC_FOR_STATUS = {400: 3, 401: 16, 403: 7, 404: 5, 409: 6, 429: 8, 500: 13, 503: 14}


def error_body(status, code=None, message=None):
    code = GRPC_FOR_STATUS.get(status, 2) if code is None else code
    return {"code": code, "message": message or "error", "details": []}


def error_response(status, code=None, message=None, header="X-Request-Id"):
    return Response(status, error_body(status, code, message), {header: request_id()})


def check_oauth(store, req):
    """Y360 and mail-list auth: 401 code 16 for a missing/unknown token, 403 code 7 for non-admins."""
    auth = req.header("Authorization") or ""
    scheme, dummy, token = auth.partition(" ")
    info = store.data["y360"]["tokens"].get(token.strip()) if scheme == "OAuth" else None
    if info is None:
        raise ApiError(401, 16, "Unauthenticated: missing or invalid OAuth token")
    if not info.get("admin"):
        raise ApiError(403, 7, "Not an admin")


def check_org(store, org_text):
    try:
        org = int(org_text)
    except ValueError:
        raise ApiError(400, 3, "orgId must be an integer") from None
    if org != int(store.data["y360"]["org_id"]):
        raise ApiError(403, 7, "Not an admin")


ROUTES = []


def route(method, pattern):
    def register(func):
        ROUTES.append((method, re.compile("^" + pattern + "$"), func))
        return func
    return register


def handle(store, req):
    """Entry point for /y360/...: auth, lazy task completion, routing."""
    try:
        with store.lock:
            check_oauth(store, req)
            advance_tasks(store)
            for method, regex, func in ROUTES:
                match = regex.match(req.path)
                if match and method == req.method:
                    check_org(store, match.group("org"))
                    resp = func(store, req, **{k: v for k, v in match.groupdict().items() if k != "org"})
                    resp.headers.setdefault("X-Request-Id", request_id())
                    return resp
        return error_response(404, 5, "not_found")
    except ApiError as err:
        return error_response(err.status, err.code, err.message)


# ---------------------------------------------------------------- helpers

def y(store):
    return store.data["y360"]


def user_by_id(store, uid):
    for user in y(store)["users"]:
        if str(user["id"]) == str(uid):
            return user
    return None


def shared_by_id(store, mid):
    for box in y(store)["shared_mailboxes"]:
        if str(box["id"]) == str(mid):
            return box
    return None


def mailbox_type(store, mid):
    """'shared', 'delegated' or None when access cannot be granted on it."""
    if shared_by_id(store, mid):
        return "shared"
    if str(mid) in y(store)["delegated"]:
        return "delegated"
    return None


def page_args(store, req, default, maximum):
    page = parse_int(req.arg("page"), "page", 1)
    per_page = parse_int(req.arg("perPage"), "perPage", default)
    if page < 1 or per_page < 1:
        raise ApiError(400, 3, "page and perPage must be positive")
    return page, min(per_page, maximum)


def mailbox_list(store, req, ids, access):
    page, per_page = page_args(store, req, 10, int(store.config["max_per_page"]))
    items = [{"resourceId": mid, "count": len(access.get(mid, {}))} for mid in ids]
    chunk, total, pages = paginate(items, page, per_page)
    body = {"resources": chunk, "page": page, "perPage": per_page, "total": total}
    if not store.config["omit_pages"]:
        body["pages"] = pages
    return Response(200, body)


# ---------------------------------------------------------------- asynchronous tasks

def projected_access(store):
    """Access as it will be once every pending (non-failing) task has completed."""
    access = {res: dict(actors) for res, actors in y(store)["access"].items()}
    for task in sorted(store.tasks.values(), key=lambda t: t["created"]):
        if task["status"] == "running" and task["outcome"] == "complete":
            apply_roles(access, task["resourceId"], task["actorId"], task["roles"])
    return access


def apply_roles(access, resource_id, actor_id, roles):
    actors = access.setdefault(resource_id, {})
    if roles:
        actors[actor_id] = list(dict.fromkeys(roles))
    else:
        actors.pop(actor_id, None)
    if not actors:
        access.pop(resource_id, None)


def finish_task(store, task):
    if task["outcome"] == "error":
        task["status"] = "error"
        return
    if mailbox_type(store, task["resourceId"]) is None:
        # Delegation was switched off while the task ran.
        task["status"] = "error"
        return
    apply_roles(y(store)["access"], task["resourceId"], task["actorId"], task["roles"])
    task["status"] = "complete"


def advance_tasks(store):
    """Complete every task whose wall-time budget is spent (applied lazily on any request)."""
    now = time.time()
    limit = float(store.config["task_seconds"])
    for task in sorted(store.tasks.values(), key=lambda t: t["created"]):
        if task["status"] == "running" and task["outcome"] != "never" and now - task["created"] >= limit:
            finish_task(store, task)


# ---------------------------------------------------------------- mailbox routes

MB = r"/admin/v1/org/(?P<org>[^/]+)/mailboxes"


@route("GET", MB + "/delegated")
def list_delegated(store, req):
    return mailbox_list(store, req, y(store)["delegated"], y(store)["access"])


@route("PUT", MB + "/delegated")
def enable_delegation(store, req):
    body = json_body(req)
    if not isinstance(body, dict) or body.get("resourceId") in (None, ""):
        raise ApiError(400, 3, "resourceId is required")
    uid = str(body["resourceId"])
    if user_by_id(store, uid) is None:
        raise ApiError(404, 5, "not_found: no user %s" % uid)
    delegated = y(store)["delegated"]
    if uid not in delegated:
        if len(delegated) >= MAX_DELEGATED_PER_ORG:
            raise ApiError(400, 8, "limit exceeded: at most %d delegated mailboxes per organization"
                           % MAX_DELEGATED_PER_ORG)
        delegated.append(uid)
    return Response(200, {"resourceId": uid})


@route("DELETE", MB + "/delegated/(?P<mid>[^/]+)")
def disable_delegation(store, req, mid):
    delegated = y(store)["delegated"]
    if mid not in delegated:
        raise ApiError(404, 5, "not_found: mailbox %s is not delegated" % mid)
    delegated.remove(mid)
    # Disabling delegation removes everyone's access.
    y(store)["access"].pop(mid, None)
    if store.config["delete_delegated_body"] == "empty":
        return Response(200, None)
    return Response(200, {})


@route("GET", MB + "/shared")
def list_shared(store, req):
    ids = [str(box["id"]) for box in y(store)["shared_mailboxes"]]
    return mailbox_list(store, req, ids, y(store)["access"])


@route("GET", MB + "/shared/(?P<mid>[^/]+)")
def get_shared(store, req, mid):
    box = shared_by_id(store, mid)
    if box is None:
        raise ApiError(404, 5, "not_found")
    return Response(200, shared_view(box))


def org_domains(store):
    """The organization's mail domains: the seed's domain and every domain its people use."""
    domains = {str(y(store)["domain"]).lower()}
    domains.update(str(u.get("email") or "").lower().rpartition("@")[2] for u in y(store)["users"])
    return domains - {""}


def address_owner(store, email):
    """What already uses ``email`` (a description), or None when the address is free."""
    email = email.lower()
    local, dummy, domain = email.rpartition("@")
    on_org_domain = domain in org_domains(store)   # once: it reads every person
    for user in y(store)["users"]:
        aliases = [str(a).lower() for a in user.get("aliases") or []] + [str(user.get("nickname") or "").lower()]
        if str(user.get("email") or "").lower() == email or (on_org_domain and local in aliases):
            return "user %s" % user["id"]
    for kind in ("groups", "departments"):
        for unit in y(store)[kind]:
            unit_email = str(unit.get("email") or "").lower()
            if not unit_email:
                continue
            unit_domain = unit_email.rpartition("@")[2]
            aliases = {str(a).lower() if "@" in str(a) else "%s@%s" % (str(a).lower(), unit_domain)
                       for a in unit.get("aliases") or []}
            if email == unit_email or email in aliases:
                return "%s %s" % (kind[:-1], unit["id"])
    for box in y(store)["shared_mailboxes"]:
        if str(box.get("email") or "").lower() == email:
            return "shared mailbox %s" % box["id"]
    return None


def next_shared_id(store):
    taken = {str(u["id"]) for u in y(store)["users"]} | {str(b["id"]) for b in y(store)["shared_mailboxes"]}
    serial = 1130000000000600
    while str(serial) in taken:
        serial += 1
    return str(serial)


def text_field(body, key, required):
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise ApiError(400, 3, "%s must be a%s string" % (key, " non-empty" if required else ""))
    return value


def now_iso():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def shared_view(box):
    out = {k: box.get(k, "") for k in ("email", "name", "description", "createdAt", "updatedAt")}
    out["id"] = str(box["id"])
    return out


@route("PUT", MB + "/shared")
def create_shared(store, req):
    body = json_body(req)
    if not isinstance(body, dict):
        raise ApiError(400, 3, "body must be an object with email, name and description")
    email = text_field(body, "email", True).strip()
    name = text_field(body, "name", True)
    description = text_field(body, "description", False) or ""
    local, dummy, domain = email.rpartition("@")
    if not local or domain.lower() not in org_domains(store):
        raise ApiError(400, 3, "invalid email %s: not an address on a domain of organization %s"
                       % (email, y(store)["org_id"]))
    owner = address_owner(store, email)
    if owner is not None:
        raise ApiError(409, 6, "email %s is already taken by %s" % (email, owner))
    if len(y(store)["shared_mailboxes"]) >= MAX_SHARED_PER_ORG:
        raise ApiError(400, 8, "limit exceeded: at most %d shared mailboxes per organization" % MAX_SHARED_PER_ORG)
    stamp = now_iso()
    box = {"id": next_shared_id(store), "email": email, "name": name, "description": description,
           "createdAt": stamp, "updatedAt": stamp}
    y(store)["shared_mailboxes"].append(box)
    return Response(200, {"resourceId": box["id"]})


@route("PUT", MB + "/shared/(?P<mid>[^/]+)")
def update_shared(store, req, mid):
    box = shared_by_id(store, mid)
    if box is None:
        raise ApiError(404, 5, "not_found")
    body = json_body(req)
    if not isinstance(body, dict):
        raise ApiError(400, 3, "body must be an object with name and description")
    if "email" in body and str(body["email"] or "").lower() != str(box["email"]).lower():
        raise ApiError(400, 3, "the address of a shared mailbox cannot be changed")
    name = text_field(body, "name", "name" in body)
    description = text_field(body, "description", False)
    if name is not None:
        box["name"] = name
    if description is not None:
        box["description"] = description
    box["updatedAt"] = now_iso()
    if store.config["shared_write_body"] == "empty":
        return Response(200, {})
    return Response(200, shared_view(box))


@route("DELETE", MB + "/shared/(?P<mid>[^/]+)")
def delete_shared(store, req, mid):
    box = shared_by_id(store, mid)
    if box is None:
        raise ApiError(404, 5, "not_found")
    y(store)["shared_mailboxes"].remove(box)
    # The mailbox goes with its mail and everyone's access to it.
    y(store)["access"].pop(str(box["id"]), None)
    if store.config["shared_write_body"] == "empty":
        return Response(200, None)
    return Response(200, {})


@route("GET", MB + "/actors/(?P<mid>[^/]+)")
def list_actors(store, req, mid):
    kind = mailbox_type(store, mid)
    if kind is None:
        if user_by_id(store, mid) is None:
            raise ApiError(404, 5, "not_found")
        if store.config["actors_when_not_delegated"] == "error":
            raise ApiError(404, 5, "not_found: mailbox %s is not delegated" % mid)
        return Response(200, {"actors": []})
    actors = y(store)["access"].get(mid, {})
    return Response(200, {"actors": [{"actorId": a, "roles": list(r)} for a, r in actors.items()]})


@route("GET", MB + "/resources/(?P<uid>[^/]+)")
def list_resources(store, req, uid):
    if user_by_id(store, uid) is None:
        raise ApiError(404, 5, "not_found")
    out = []
    for res, actors in y(store)["access"].items():
        if uid in actors:
            out.append({"resourceId": res, "type": mailbox_type(store, res) or "delegated",
                        "roles": list(actors[uid])})
    return Response(200, {"resources": out})


@route("POST", MB + "/set/(?P<mid>[^/]+)")
def set_access(store, req, mid):
    actor = req.arg("actorId")
    notify = req.arg("notify", "all")
    if not actor:
        raise ApiError(400, 3, "actorId is required")
    if notify not in NOTIFY:
        raise ApiError(400, 3, "notify must be one of all, delegates, none")
    body = json_body(req)
    if not isinstance(body, dict) or "roles" not in body:
        raise ApiError(400, 3, "body must be an object with a roles list")
    roles = body["roles"] or []
    if not isinstance(roles, list) or any(r not in ROLES for r in roles):
        raise ApiError(400, 3, "invalid roles %r; known roles: %s" % (body["roles"], ", ".join(ROLES)))
    if user_by_id(store, actor) is None:
        raise ApiError(404, 5, "not_found: no user %s" % actor)
    if mailbox_type(store, mid) is None:
        raise ApiError(400, 9, "mailbox %s is neither a shared mailbox nor delegation-enabled; "
                       "enable delegation first" % mid)
    if roles:
        check_limits(store, mid, actor)
    outcome = store.config["task_outcomes"].get("%s:%s" % (mid, actor), "complete")
    task_id = store.next_task_id()
    store.tasks[task_id] = {
        "taskId": task_id, "resourceId": mid, "actorId": actor, "roles": roles,
        "notify": notify, "created": time.time(), "reads": 0, "status": "running",
        "outcome": outcome,
    }
    return Response(200, {"taskId": task_id})


def check_limits(store, mid, actor):
    access = projected_access(store)
    actors = access.get(mid, {})
    if actor in actors:
        return  # only the roles change
    if len([a for a in actors if a != mid]) >= MAX_ACTORS_PER_MAILBOX:
        raise ApiError(400, 8, "limit exceeded: mailbox %s already has %d actors besides its owner"
                       % (mid, MAX_ACTORS_PER_MAILBOX))
    if actor != mid:
        reach = [res for res, acts in access.items() if actor in acts and res != actor]
        if len(reach) >= MAX_MAILBOXES_PER_ACTOR:
            raise ApiError(400, 8, "limit exceeded: user %s already reaches %d mailboxes besides their own"
                           % (actor, MAX_MAILBOXES_PER_ACTOR))


@route("GET", MB + "/tasks/(?P<tid>[^/]+)")
def task_status(store, req, tid):
    task = store.tasks.get(tid)
    if task is None:
        raise ApiError(404, 5, "not_found")
    if task["status"] == "running" and task["outcome"] != "never":
        if task["reads"] >= int(store.config["task_polls"]):
            finish_task(store, task)
        else:
            task["reads"] += 1
    return Response(200, {"status": task["status"]})


def json_body(req):
    try:
        return req.json()
    except ValueError:
        raise ApiError(400, 3, "body is not valid JSON") from None


# ---------------------------------------------------------------- directory routes

DIR = r"/directory/v1/org/(?P<org>[^/]+)"
DIRECTORY_MAX_PER_PAGE = 1000


def directory_list(store, req, key):
    page, per_page = page_args(store, req, 10, DIRECTORY_MAX_PER_PAGE)
    chunk, total, pages = paginate(y(store)[key], page, per_page)
    return Response(200, {key: chunk, "page": page, "pages": pages, "perPage": per_page, "total": total})


def directory_get(store, key, item_id):
    for item in y(store)[key]:
        if str(item["id"]) == item_id:
            return Response(200, item)
    raise ApiError(404, 5, "not_found")


@route("GET", DIR + "/users")
def list_users(store, req):
    return directory_list(store, req, "users")


@route("GET", DIR + "/users/(?P<uid>[^/]+)")
def get_user(store, req, uid):
    return directory_get(store, "users", uid)


@route("GET", DIR + "/groups")
def list_groups(store, req):
    return directory_list(store, req, "groups")


@route("GET", DIR + "/groups/(?P<gid>[^/]+)")
def get_group(store, req, gid):
    return directory_get(store, "groups", gid)


@route("GET", DIR + "/departments")
def list_departments(store, req):
    return directory_list(store, req, "departments")


@route("GET", DIR + "/departments/(?P<did>[^/]+)")
def get_department(store, req, did):
    return directory_get(store, "departments", did)


# ---------------------------------------------------------------- benchmark data

def generate(store, users=0, delegated_mailboxes=0, actors_per_mailbox=3):
    """Add synthetic users and delegated mailboxes with a few actors each."""
    data = y(store)
    domain = data["domain"]
    existing = {str(u["id"]) for u in data["users"]}
    new_ids = []
    needed = max(int(users), int(delegated_mailboxes))
    serial = 0
    while len(new_ids) < needed:
        serial += 1
        uid = str(1130000100000000 + serial)
        if uid in existing:
            continue
        nick = "bench%05d" % serial
        data["users"].append({
            "id": uid, "nickname": nick, "email": "%s@%s" % (nick, domain), "aliases": [],
            "name": {"first": "Bench", "last": "User %d" % serial, "middle": ""},
            "isEnabled": True, "isDismissed": False, "isRobot": False, "isAdmin": False,
            "departmentId": 1, "groups": [], "position": "", "about": "", "gender": "",
            "birthday": "", "timezone": "Europe/Moscow", "language": "en", "contacts": [],
            "createdAt": "2024-01-01T00:00:00Z", "updatedAt": "2024-01-01T00:00:00Z", "externalId": "",
        })
        new_ids.append(uid)
    room = MAX_DELEGATED_PER_ORG - len(data["delegated"])
    count = min(int(delegated_mailboxes), room)
    for index in range(count):
        owner = new_ids[index]
        data["delegated"].append(owner)
        actors = {}
        for step in range(1, int(actors_per_mailbox) + 1):
            actor = new_ids[(index + step) % len(new_ids)]
            if actor != owner:
                actors[actor] = ["shared_mailbox_reader"] if step % 2 else ["shared_mailbox_sender"]
        if actors:
            data["access"][owner] = actors
    return {"users_added": len(new_ids), "delegated_added": count,
            "delegated_total": len(data["delegated"]), "users_total": len(data["users"])}


SHARED_ROLES = (["shared_mailbox_owner"], ["shared_mailbox_reader", "shared_mailbox_sender"],
                ["shared_mailbox_reader"], ["shared_mailbox_sender"])


def generate_shared(store, count=0, actors_per_mailbox=3):
    """Add shared mailboxes on the organization's domain (``shared001@...``), each with a name, a
    description and a few actors: generated people first (the seed's own only when there are
    none), never one who would pass the 40-mailbox limit. The org cap of 2,500 is respected."""
    data = y(store)
    domain = data["domain"]
    people = [str(u["id"]) for u in data["users"] if str(u.get("nickname") or "").startswith("bench")]
    people = people or [str(u["id"]) for u in data["users"]]
    reach = {}
    for res, actors in data["access"].items():
        for actor in actors:
            if actor != res:
                reach[actor] = reach.get(actor, 0) + 1
    count = min(int(count), MAX_SHARED_PER_ORG - len(data["shared_mailboxes"]))
    added, serial, cursor = 0, 0, 0
    while added < count:
        serial += 1
        email = "shared%03d@%s" % (serial, domain)
        if address_owner(store, email) is not None:
            continue
        stamp = "2024-01-01T00:00:00Z"
        box = {"id": next_shared_id(store), "email": email, "name": "Shared mailbox %d" % serial,
               "description": "Generated shared mailbox %d" % serial, "createdAt": stamp, "updatedAt": stamp}
        data["shared_mailboxes"].append(box)
        actors = {}
        for dummy in range(len(people)):
            if len(actors) >= int(actors_per_mailbox):
                break
            actor = people[cursor % len(people)]
            cursor += 1
            if actor not in actors and reach.get(actor, 0) < MAX_MAILBOXES_PER_ACTOR:
                actors[actor] = list(SHARED_ROLES[len(actors) % len(SHARED_ROLES)])
                reach[actor] = reach.get(actor, 0) + 1
        if actors:
            data["access"][box["id"]] = actors
        added += 1
    return {"shared_added": added, "shared_total": len(data["shared_mailboxes"])}
