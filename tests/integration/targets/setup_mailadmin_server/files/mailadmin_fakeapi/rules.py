"""Yandex 360 admin API: a person's mail rules (forwards and automatic replies, API.md 1.3).

Served under /y360 next to the mailbox routes (server.py adds ``ROUTES`` to ``y360.ROUTES``), so
OAuth, the org check, the request id header and the 404 of unknown paths come from ``y360.handle``.

State: ``y360.rules`` = ``{"<userId>": [{"ruleId": int, "type": "forward"|"autoreply",
"ruleName", "address", "withStore"} | {..., "text"}]}`` in creation order, and
``y360.next_rule_id``. Config ``rule_id_type`` (``number``|``string``) says how rule ids are
typed on the wire (*chosen* default: number); ``delete_rule_body`` (``object``|``empty``) what a
DELETE answers.
"""

import re

from .http_util import ApiError, Response

ROUTES = []
RULES = r"/admin/v1/org/(?P<org>[^/]+)/mail/users/(?P<uid>[^/]+)/settings/user_rules"
FIRST_RULE_ID = 5500000000000001


def route(method, pattern):
    def register(func):
        ROUTES.append((method, re.compile("^" + pattern + "$"), func))
        return func
    return register


def rules_of(store, uid):
    """The rule list of an existing user (404 code 5 for an unknown one)."""
    data = store.data["y360"]
    if not any(str(user["id"]) == str(uid) for user in data["users"]):
        raise ApiError(404, 5, "not_found: no user %s" % uid)
    return data.setdefault("rules", {}).setdefault(str(uid), [])


def org_domains(store):
    data = store.data["y360"]
    domains = {str(data.get("domain") or "").lower()}
    domains.update(str(user.get("email") or "").rpartition("@")[2].lower() for user in data["users"])
    return domains - {""}


def wire_id(store, rule_id):
    return str(rule_id) if store.config.get("rule_id_type") == "string" else int(rule_id)


def text_field(body, key, required=True):
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise ApiError(400, 3, "%s must be a non-empty string" % key)
    return value


@route("GET", RULES)
def list_rules(store, req, uid):
    rules = rules_of(store, uid)
    autoreplies = [{"ruleId": wire_id(store, r["ruleId"]), "ruleName": r["ruleName"], "text": r["text"]}
                   for r in rules if r["type"] == "autoreply"]
    forwards = [{"ruleId": wire_id(store, r["ruleId"]), "ruleName": r["ruleName"], "address": r["address"],
                 "withStore": r["withStore"]}
                for r in rules if r["type"] == "forward"]
    return Response(200, {"autoreplies": autoreplies, "forwards": forwards})


@route("POST", RULES)
def create_rule(store, req, uid):
    rules = rules_of(store, uid)
    try:
        body = req.json()
    except ValueError:
        raise ApiError(400, 3, "body is not valid JSON") from None
    kinds = [key for key in ("autoreply", "forward") if isinstance(body, dict) and key in body]
    if len(kinds) != 1 or len(body) != 1 or not isinstance(body[kinds[0]], dict):
        raise ApiError(400, 3, "the body must hold exactly one of autoreply or forward")
    spec = body[kinds[0]]
    rule = {"type": kinds[0], "ruleName": text_field(spec, "ruleName")}
    if kinds[0] == "autoreply":
        rule["text"] = text_field(spec, "text")
    else:
        address = text_field(spec, "address").strip()
        local, dummy, domain = address.rpartition("@")
        if not local or domain.lower() not in org_domains(store):
            raise ApiError(400, 3, "forwarding is allowed only to addresses of the organization's "
                           "domains: %s" % address)
        with_store = spec.get("withStore", True)
        if not isinstance(with_store, bool):
            raise ApiError(400, 3, "withStore must be a boolean")
        rule.update(address=address, withStore=with_store)
    data = store.data["y360"]
    rule_id = int(data.get("next_rule_id") or FIRST_RULE_ID)
    data["next_rule_id"] = rule_id + 1
    rule["ruleId"] = rule_id
    rules.append(rule)
    return Response(200, {"ruleId": wire_id(store, rule_id)})


@route("DELETE", RULES + "/(?P<rule_id>[^/]+)")
def delete_rule(store, req, uid, rule_id):
    rules = rules_of(store, uid)
    for index, rule in enumerate(rules):
        if str(rule["ruleId"]) == rule_id:
            del rules[index]
            if store.config.get("delete_rule_body") == "empty":
                return Response(200, None)
            return Response(200, {})
    raise ApiError(404, 5, "not_found: user %s has no rule %s" % (uid, rule_id))
