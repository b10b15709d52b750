"""Mailing-list senders host: permissions and update-permissions."""

from conftest import ORG, VIEWER

ALL, SALES, SUPPORT_TEAM, ENG = "1130000000000951", "1130000000000901", "1130000000000902", "1130000000000952"
SENDER = ["mail_list_sender"]


def grants(api, mlid):
    items = api.cloud("GET", mlid).json()["grants"]["items"]
    return sorted((g["subject"]["type"], g["subject"]["id"], g["subject"]["org_id"]) for g in items)


def update(api, mlid, *actions):
    return api.cloud("POST", mlid, "update-permissions", json={"role_actions": list(actions)})


def act(kind, *subjects):
    return {"type": kind, "roles": SENDER,
            "subjects": [{"type": t, "id": i, "org_id": o} for t, i, o in subjects]}


def test_unrestricted_list_holds_anonymous(api):
    resp = api.cloud("GET", ALL)
    assert resp.json() == {"grants": {"items": [
        {"roles": {"items": ["mail_list_sender"]}, "subject": {"type": "anonymous", "id": 0, "org_id": 0}}]}}
    assert resp.headers["Yandex-Cloud-Request-ID"]


def test_restricted_and_outside_contact_typed_ids(api):
    assert grants(api, SALES) == [("group", 2, ORG), ("user", 1130000000000001, ORG)]
    assert ("user", 1130000000009001, 0) in grants(api, ENG)


def test_role_item_object_shape(api):
    api.config(role_item_shape="object")
    item = api.cloud("GET", ALL).json()["grants"]["items"][0]
    assert item["roles"]["items"] == [{"name": "mail_list_sender"}]


def test_grant_revoke_in_order_and_204(api):
    resp = update(api, ALL, act("revoke", ("anonymous", 0, 0)), act("grant", ("user", 1130000000000002, ORG)))
    assert resp.status_code == 204 and resp.content == b""
    assert resp.headers["Yandex-Cloud-Request-ID"]
    assert grants(api, ALL) == [("user", 1130000000000002, ORG)]
    update(api, ALL, act("grant", ("user", 1130000000000003, ORG)), act("revoke", ("user", 1130000000000003, ORG)))
    assert grants(api, ALL) == [("user", 1130000000000002, ORG)]


def test_update_status_200_variant(api):
    api.config(update_status=200)
    resp = update(api, ALL, act("grant", ("department", 2, ORG)))
    assert resp.status_code == 200 and resp.json() == {}


def test_overwrite_replaces_only_listed_types(api):
    update(api, SALES, act("overwrite", ("user", 1130000000000005, ORG)))
    assert grants(api, SALES) == [("group", 2, ORG), ("user", 1130000000000005, ORG)]
    update(api, SALES, act("overwrite", ("group", 1, ORG), ("department", 2, ORG)))
    assert grants(api, SALES) == [("department", 2, ORG), ("group", 1, ORG), ("user", 1130000000000005, ORG)]


def test_empty_grant_list_is_possible(api):
    update(api, ALL, act("revoke", ("anonymous", 0, 0)))
    assert api.cloud("GET", ALL).json() == {"grants": {"items": []}}


def test_string_ids_and_role_objects_accepted(api):
    resp = update(api, ALL, {"type": "grant", "roles": [{"name": "mail_list_sender"}],
                             "subjects": [{"type": "user", "id": "1130000000000004", "org_id": str(ORG)}]})
    assert resp.status_code == 204
    assert ("user", 1130000000000004, ORG) in grants(api, ALL)


def test_invalid_requests(api):
    assert update(api, ALL, {"type": "explode", "roles": SENDER, "subjects": []}).status_code == 400
    assert update(api, ALL, {"type": "grant", "roles": ["boss"], "subjects": []}).json()["code"] == 3
    assert update(api, ALL, act("grant", ("user", 1130000000000777, ORG))).status_code == 400
    assert update(api, ALL, act("grant", ("robot", 1, ORG))).status_code == 400
    assert api.cloud("POST", ALL, "update-permissions", json={}).status_code == 400
    assert api.requests_log(write="1")["writes"] == 5


def test_unknown_list_404_and_auth(api):
    resp = api.cloud("GET", "1")  # a group id, not an emailId
    assert resp.status_code == 404 and resp.json()["code"] == 5
    resp = api.cloud("GET", ALL, token=None)
    assert resp.status_code == 401 and resp.json()["code"] == 16 and resp.headers["Yandex-Cloud-Request-ID"]
    assert api.cloud("GET", ALL, token=VIEWER).status_code == 403
    assert api.cloud("GET", "0").status_code == 404
