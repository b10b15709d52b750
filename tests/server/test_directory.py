"""Y360 directory: users, groups, departments."""

from conftest import VIEWER


def test_users_page_types_and_fields(api):
    body = api.directory("/users").json()
    assert (body["page"], body["perPage"], body["total"], body["pages"]) == (1, 10, 8, 1)
    alice = body["users"][0]
    assert alice["id"] == "1130000000000001" and alice["nickname"] == "alice"
    assert alice["aliases"] == ["a.smith", "alice.smith"] and alice["email"] == "alice@example.com"
    assert isinstance(alice["departmentId"], int)
    frank = [u for u in body["users"] if u["nickname"] == "frank"][0]
    assert frank["isDismissed"] is True
    assert any(u["isRobot"] for u in body["users"])


def test_users_pagination_and_clamp_1000(api):
    body = api.directory("/users", params={"perPage": 3, "page": 3}).json()
    assert [u["nickname"] for u in body["users"]] == ["robot-backup", "grace"]
    assert body["pages"] == 3
    api.ctl("POST", "/generate", json={"users": 1100})
    body = api.directory("/users", params={"perPage": 5000}).json()
    assert body["perPage"] == 1000 and len(body["users"]) == 1000 and body["total"] == 1108
    assert body["pages"] == 2


def test_single_user_and_404(api):
    assert api.directory("/users/1130000000000002").json()["nickname"] == "bob"
    resp = api.directory("/users/1130000000000501")  # a shared mailbox is not an employee
    assert resp.status_code == 404 and resp.json()["code"] == 5


def test_groups_ids_are_numbers_email_ids_strings(api):
    groups = api.directory("/groups").json()["groups"]
    sales = groups[0]
    assert sales["id"] == 1 and sales["email"] == "sales@example.com" and sales["emailId"] == "1130000000000901"
    nomail = [g for g in groups if g["emailId"] == "0"][0]
    assert nomail["email"] == ""
    assert api.directory("/groups/2").json()["name"] == "Support team"


def test_departments_root_and_pages(api):
    body = api.directory("/departments", params={"perPage": 2}).json()
    assert body["departments"][0]["id"] == 1 and body["departments"][0]["email"] == "all@example.com"
    assert body["pages"] == 2 and body["total"] == 3
    assert api.directory("/departments/2").json()["email"] == "eng@example.com"


def test_directory_auth(api):
    assert api.directory("/users", token=None).status_code == 401
    assert api.directory("/groups", token=VIEWER).status_code == 403
