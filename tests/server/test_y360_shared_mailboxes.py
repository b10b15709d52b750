"""Y360 shared mailboxes: creation, update and deletion (API.md 1.1)."""

import pytest

ALICE, BOB, DAVE = "1130000000000001", "1130000000000002", "1130000000000004"
SUPPORT, INFO = "1130000000000501", "1130000000000503"


def create(api, email, name="Team", description="", **extra):
    body = {"email": email, "name": name, "description": description}
    body.update(extra)
    return api.mb("PUT", "/shared", json=body)


def shared_ids(api):
    return [item["resourceId"] for item in api.mb("GET", "/shared").json()["resources"]]


def test_create_answers_a_string_id_and_the_mailbox_is_listed(api):
    resp = create(api, "hr@example.com", "HR", "People matters")
    assert resp.status_code == 200, resp.text
    assert resp.headers["X-Request-Id"]
    new_id = resp.json()["resourceId"]
    assert isinstance(new_id, str) and new_id.isdigit()
    assert resp.json() == {"resourceId": new_id}
    assert new_id in shared_ids(api)
    details = api.mb("GET", "/shared/%s" % new_id).json()
    assert (details["id"], details["email"], details["name"], details["description"]) == (
        new_id, "hr@example.com", "HR", "People matters")
    assert details["createdAt"] and details["updatedAt"]
    # a new mailbox has nobody with access, and is a mailbox access can be granted on
    assert api.actors(new_id) == {}
    assert api.set_access(new_id, DAVE, ["shared_mailbox_reader"]).status_code == 200


def test_two_creations_get_different_ids(api):
    first = create(api, "hr@example.com").json()["resourceId"]
    second = create(api, "legal@example.com").json()["resourceId"]
    assert first != second
    assert first not in (ALICE, SUPPORT) and second not in (ALICE, SUPPORT)


@pytest.mark.parametrize("email, taken_by", [
    ("alice@example.com", "user"),           # a person's address
    ("Alice@Example.com", "user"),           # case-insensitively
    ("a.smith@example.com", "user"),         # a person's alias
    ("alice@example.com ", "user"),          # surrounding blanks do not help
    ("sales@example.com", "group"),          # a group's list address
    ("sales-team@example.com", "group"),     # a group's alias
    ("eng@example.com", "department"),       # a department's address
    ("engineering@example.com", "department"),
    ("support@example.com", "shared mailbox"),
])
def test_an_address_in_use_is_refused(api, email, taken_by):
    resp = create(api, email)
    assert resp.status_code == 409, resp.text
    assert resp.json()["code"] == 6
    assert taken_by in resp.json()["message"]
    assert resp.headers["X-Request-Id"]
    assert len(shared_ids(api)) == 3


@pytest.mark.parametrize("body, text", [
    ({"email": "hr@other.example.net", "name": "HR", "description": ""}, "domain"),
    ({"email": "example.com", "name": "HR", "description": ""}, "domain"),
    ({"email": "@example.com", "name": "HR", "description": ""}, "domain"),
    ({"email": "hr@example.com", "description": ""}, "name"),
    ({"email": "hr@example.com", "name": "  ", "description": ""}, "name"),
    ({"email": "hr@example.com", "name": "HR", "description": 5}, "description"),
    ({"name": "HR", "description": ""}, "email"),
    (["hr@example.com"], "object"),
])
def test_bad_creations_are_400_code_3(api, body, text):
    resp = api.mb("PUT", "/shared", json=body)
    assert resp.status_code == 400, resp.text
    assert resp.json()["code"] == 3 and text in resp.json()["message"]
    assert len(shared_ids(api)) == 3


def test_description_may_be_left_out_on_create(api):
    resp = api.mb("PUT", "/shared", json={"email": "hr@example.com", "name": "HR"})
    assert resp.status_code == 200
    assert api.mb("GET", "/shared/%s" % resp.json()["resourceId"]).json()["description"] == ""


def test_update_renames_and_answers_the_mailbox(api):
    resp = api.mb("PUT", "/shared/%s" % INFO, json={"name": "Information", "description": ""})
    assert resp.status_code == 200, resp.text
    assert resp.headers["X-Request-Id"]
    body = resp.json()
    assert (body["id"], body["email"], body["name"], body["description"]) == (
        INFO, "info@example.com", "Information", "")
    assert api.mb("GET", "/shared/%s" % INFO).json()["name"] == "Information"


def test_update_leaves_out_fields_it_is_not_given(api):
    assert api.mb("PUT", "/shared/%s" % INFO, json={"description": "New"}).status_code == 200
    details = api.mb("GET", "/shared/%s" % INFO).json()
    assert (details["name"], details["description"]) == ("Info", "New")


def test_update_cannot_change_the_address(api):
    resp = api.mb("PUT", "/shared/%s" % INFO, json={"email": "news@example.com", "name": "Info"})
    assert resp.status_code == 400 and resp.json()["code"] == 3
    assert api.mb("GET", "/shared/%s" % INFO).json()["email"] == "info@example.com"
    # the same address (any case) is not a change
    assert api.mb("PUT", "/shared/%s" % INFO, json={"email": "INFO@example.com", "name": "I"}).status_code == 200


def test_update_refuses_an_empty_name(api):
    resp = api.mb("PUT", "/shared/%s" % INFO, json={"name": "", "description": ""})
    assert resp.status_code == 400 and resp.json()["code"] == 3
    assert api.mb("GET", "/shared/%s" % INFO).json()["name"] == "Info"


def test_update_and_delete_of_unknown_or_person_ids_are_404(api):
    for mid in ("1130000000000599", ALICE):
        assert api.mb("PUT", "/shared/%s" % mid, json={"name": "X"}).status_code == 404
        resp = api.mb("DELETE", "/shared/%s" % mid)
        assert resp.status_code == 404 and resp.json()["code"] == 5


def test_delete_removes_the_mailbox_and_its_access(api):
    assert BOB in api.actors(SUPPORT)
    resp = api.mb("DELETE", "/shared/%s" % SUPPORT)
    assert resp.status_code == 200 and resp.json() == {}
    assert resp.headers["X-Request-Id"]
    assert SUPPORT not in shared_ids(api)
    assert api.mb("GET", "/shared/%s" % SUPPORT).status_code == 404
    assert api.mb("GET", "/actors/%s" % SUPPORT).status_code == 404
    reached = api.mb("GET", "/resources/%s" % BOB).json()["resources"]
    assert SUPPORT not in [item["resourceId"] for item in reached]
    state = api.ctl("GET", "/state").json()
    assert SUPPORT not in state["y360"]["access"]
    # deleting it again: it is gone
    assert api.mb("DELETE", "/shared/%s" % SUPPORT).status_code == 404
    # its address is free again
    assert create(api, "support@example.com", "Support").status_code == 200


def test_empty_answer_bodies_on_request(api):
    api.config(shared_write_body="empty")
    resp = api.mb("PUT", "/shared/%s" % INFO, json={"name": "Information"})
    assert resp.status_code == 200 and resp.json() == {}
    resp = api.mb("DELETE", "/shared/%s" % INFO)
    assert resp.status_code == 200 and resp.content == b""


def test_writes_are_logged_with_their_body(api):
    create(api, "hr@example.com", "HR")
    log = api.requests_log(write=1)
    assert log["writes"] == 1
    entry = log["requests"][0]
    assert (entry["method"], entry["path"]) == ("PUT", "/admin/v1/org/1234567/mailboxes/shared")
    assert entry["body"] == {"email": "hr@example.com", "name": "HR", "description": ""}


def test_a_faulted_creation_creates_nothing(api):
    api.fault(service="y360", method="PUT", path="/mailboxes/shared$", kind="drop", times=1)
    with pytest.raises(Exception):
        create(api, "hr@example.com")
    assert len(shared_ids(api)) == 3


def test_users_say_whether_they_are_admins(api):
    users = api.directory("/users", params={"perPage": 100}).json()["users"]
    assert all(isinstance(user["isAdmin"], bool) for user in users)
    assert [user["nickname"] for user in users if user["isAdmin"]] == ["alice"]


def test_generate_shared_mailboxes_on_the_org_domain_with_a_few_actors(api):
    api.ctl("POST", "/generate", json={"users": 30})
    result = api.ctl("POST", "/generate", json={"shared_mailboxes": 5, "actors_per_shared": 3}).json()
    assert (result["shared_added"], result["shared_total"]) == (5, 8)
    new = [box for box in shared_ids(api) if box not in (SUPPORT, "1130000000000502", INFO)]
    assert len(new) == 5
    for number, box in enumerate(new, start=1):
        details = api.mb("GET", "/shared/%s" % box).json()
        assert details["email"] == "shared%03d@example.com" % number
        assert details["name"] == "Shared mailbox %d" % number and details["description"]
        actors = api.actors(box)
        assert len(actors) == 3
        # generated people only: the seed's own access stays as the tests know it
        assert all(actor.startswith("11300001") for actor in actors)
        assert sorted(actors.values()) == sorted([["shared_mailbox_owner"], ["shared_mailbox_reader"],
                                                  ["shared_mailbox_reader", "shared_mailbox_sender"]])


def test_generate_shared_skips_taken_addresses_and_respects_the_actor_limit(api):
    assert create(api, "shared001@example.com").status_code == 200
    result = api.ctl("POST", "/generate", json={"users": 1, "shared_mailboxes": 45}).json()
    assert result["shared_added"] == 45
    boxes = [item["resourceId"] for item in api.mb("GET", "/shared", params={"perPage": 100}).json()["resources"]]
    emails = [api.mb("GET", "/shared/%s" % box).json()["email"] for box in boxes]
    assert emails.count("shared001@example.com") == 1 and "shared046@example.com" in emails
    # one generated person, 40 mailboxes at most besides their own
    reach = api.mb("GET", "/resources/%s" % "1130000100000001").json()["resources"]
    assert len(reach) == 40
