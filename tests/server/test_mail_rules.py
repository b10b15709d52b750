"""Y360 mail rules of a person: forwards and automatic replies (API.md 1.3)."""

from conftest import ORG, VIEWER

BOB, GRACE = "1130000000000002", "1130000000000008"
SEEDED = 5500000000000001


def rules_path(uid, suffix=""):
    return "/admin/v1/org/%d/mail/users/%s/settings/user_rules%s" % (ORG, uid, suffix)


def forward(address="dave@example.com", name="forward to dave", with_store=True):
    return {"forward": {"ruleName": name, "address": address, "withStore": with_store}}


def test_seeded_autoreply_and_empty_lists(api):
    resp = api.y360("GET", rules_path(GRACE))
    assert resp.status_code == 200 and resp.headers["X-Request-Id"]
    assert resp.json() == {"autoreplies": [{"ruleId": SEEDED, "ruleName": "vacation",
                                            "text": "I am on holiday until Monday."}], "forwards": []}
    assert api.y360("GET", rules_path(BOB)).json() == {"autoreplies": [], "forwards": []}


def test_auth_org_and_unknown_user(api):
    assert api.y360("GET", rules_path(BOB), token=None).status_code == 401
    assert api.y360("GET", rules_path(BOB), token=VIEWER).json()["code"] == 7
    assert api.y360("GET", rules_path(BOB).replace(str(ORG), "999")).status_code == 403
    resp = api.y360("POST", rules_path("1130000000000999"), json=forward())
    assert resp.status_code == 404 and resp.json()["code"] == 5 and resp.headers["X-Request-Id"]
    assert api.y360("DELETE", rules_path("1130000000000999", "/1")).status_code == 404


def test_create_forward_and_autoreply_then_delete(api):
    resp = api.y360("POST", rules_path(BOB), json=forward(with_store=False))
    assert resp.status_code == 200 and resp.headers["X-Request-Id"]
    forward_id = resp.json()["ruleId"]
    assert isinstance(forward_id, int)
    reply_id = api.y360("POST", rules_path(BOB), json={"autoreply": {"ruleName": "autoreply",
                                                                     "text": "Away"}}).json()["ruleId"]
    assert reply_id == forward_id + 1
    assert api.y360("GET", rules_path(BOB)).json() == {
        "autoreplies": [{"ruleId": reply_id, "ruleName": "autoreply", "text": "Away"}],
        "forwards": [{"ruleId": forward_id, "ruleName": "forward to dave", "address": "dave@example.com",
                      "withStore": False}]}
    resp = api.y360("DELETE", rules_path(BOB, "/%s" % forward_id))
    assert resp.status_code == 200 and resp.json() == {}
    assert api.y360("DELETE", rules_path(BOB, "/%s" % forward_id)).status_code == 404
    assert api.y360("GET", rules_path(BOB)).json()["forwards"] == []
    writes = api.requests_log(write=1)["requests"]
    assert [(r["method"], r["status"]) for r in writes] == [("POST", 200), ("POST", 200), ("DELETE", 200),
                                                            ("DELETE", 404)]
    assert writes[0]["body"] == forward(with_store=False)


def test_forward_outside_the_domains_is_refused(api):
    for address in ("someone@gmail.com", "dave@example.com.evil.org", "no-at-sign"):
        resp = api.y360("POST", rules_path(BOB), json=forward(address=address))
        assert resp.status_code == 400, address
        body = resp.json()
        assert body["code"] == 3 and body["details"] == [] and address in body["message"]
    assert api.y360("GET", rules_path(BOB)).json()["forwards"] == []


def test_post_needs_exactly_one_rule(api):
    both = dict(forward(), autoreply={"ruleName": "a", "text": "b"})
    bad_bodies = (
        {}, both, {"forward": "x"}, {"autoreply": {"ruleName": "a"}}, {"autoreply": {"ruleName": "", "text": "b"}},
        {"forward": {"ruleName": "f", "address": "dave@example.com", "withStore": "yes"}}, [1],
    )
    for body in bad_bodies:
        resp = api.y360("POST", rules_path(BOB), json=body)
        assert resp.status_code == 400 and resp.json()["code"] == 3, body
    assert api.y360("GET", rules_path(BOB)).json() == {"autoreplies": [], "forwards": []}


def test_string_ids_and_empty_delete_body(api):
    api.config(rule_id_type="string", delete_rule_body="empty")
    assert api.y360("GET", rules_path(GRACE)).json()["autoreplies"][0]["ruleId"] == str(SEEDED)
    new_id = api.y360("POST", rules_path(BOB), json=forward()).json()["ruleId"]
    assert new_id == str(SEEDED + 1)
    resp = api.y360("DELETE", rules_path(GRACE, "/%d" % SEEDED))
    assert resp.status_code == 200 and resp.content == b""


def test_reset_restores_the_seeded_rules(api):
    api.y360("DELETE", rules_path(GRACE, "/%d" % SEEDED))
    api.y360("POST", rules_path(BOB), json=forward())
    assert api.ctl("POST", "/reset").status_code == 200
    assert [r["ruleId"] for r in api.y360("GET", rules_path(GRACE)).json()["autoreplies"]] == [SEEDED]
    assert api.y360("GET", rules_path(BOB)).json()["forwards"] == []
    assert api.y360("POST", rules_path(BOB), json=forward()).json()["ruleId"] == SEEDED + 1
    state = api.ctl("GET", "/state").json()
    assert state["y360"]["rules"][BOB][0]["address"] == "dave@example.com"
