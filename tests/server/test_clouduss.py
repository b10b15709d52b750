"""CloudUSS: auth, 2FA, bearer checks, search, pagination, add and delete."""

import re

from conftest import USS_ACCOUNT, USS_PASSWORD, USS_USER


def login(api, **kw):
    return api.http.post(api.base + "/clouduss/auth", timeout=10, **kw)


def test_login_urlencoded_and_use_token(api):
    body = login(api, data={"username": USS_USER, "password": USS_PASSWORD}).json()
    assert re.fullmatch(r"[0-9a-f]{40}", body["access_token"])
    assert body["token_type"] == "Bearer" and body["expires_in"] == 86400 and body["accounts_id"] == USS_ACCOUNT
    resp = api.uss("GET", "/email/mailbox/v2", token=body["access_token"])
    assert resp.status_code == 200


def test_login_multipart(api):
    files = {"username": (None, USS_USER), "password": (None, USS_PASSWORD)}
    assert "access_token" in login(api, files=files).json()


def test_login_failures(api):
    resp = login(api, data={"username": USS_USER, "password": "wrong"})
    assert resp.status_code == 401 and resp.json()["error"] == "invalid_credentials"
    resp = login(api, params={"username": USS_USER, "password": USS_PASSWORD})
    assert resp.status_code == 400
    assert login(api, json={"username": USS_USER, "password": USS_PASSWORD}).status_code == 400
    # the query-string password never reaches the log
    entry = api.requests_log(service="clouduss")["requests"][1]
    assert entry["query"]["password"] == "***"


def test_two_factor_account(api):
    body = login(api, data={"username": "uss-2fa@example.com", "password": "Uss-2fa-Pa55w0rd-Qm47!"}).json()
    assert body["mfa_required"] is True and "access_token" not in body


def test_login_is_not_a_write_and_password_masked(api):
    login(api, data={"username": USS_USER, "password": USS_PASSWORD})
    entry = api.requests_log()["requests"][-1]
    assert entry["write"] is False and entry["body"] == {"username": USS_USER, "password": "***"}
    assert USS_PASSWORD not in api.ctl("GET", "/requests").text


def test_bearer_and_account_checks(api):
    assert api.uss("GET", "/email/mailbox/v2", token=None).status_code == 401
    assert api.uss("GET", "/email/mailbox/v2", token="bogus").status_code == 401
    assert api.uss("GET", "/email/mailbox/v2", account="00000000-0000-0000-0000-000000000000").status_code == 403
    assert api.uss("GET", "/email/mailbox/v2", account=None).status_code == 403


def test_default_pagination_and_meta(api):
    body = api.uss("GET", "/email/mailbox/v2").json()
    assert len(body["data"]) == 20
    assert body["meta"] == {"page": 1, "page_size": 20, "total": 25, "total_pages": 2}
    first = body["data"][0]
    assert isinstance(first["id"], int) and isinstance(first["email_address_id"], int)
    assert first["executive"] in (0, 1) and first["is_ad_mailbox"] in (0, 1)
    assert any(m["realname"] == " " for m in body["data"])
    body = api.uss("GET", "/email/mailbox/v2", params={"page": 2}).json()
    assert len(body["data"]) == 5
    body = api.uss("GET", "/email/mailbox/v2", params={"page_size": 1000}).json()
    assert body["meta"]["page_size"] == 100 and len(body["data"]) == 25


def test_search_is_substring(api):
    body = api.uss("GET", "/email/mailbox/v2", params={"search": "acme-corp.net"}).json()
    assert body["meta"]["total"] == 10
    found = api.uss("GET", "/email/mailbox/v2", params={"search": "bob@example.co"}).json()["data"]
    emails = [m["email_address"] for m in found]
    assert emails == ["bob@example.com"]


def test_add_and_delete(api):
    resp = api.uss("POST", "/email/mailbox", json=[
        {"id": "USSportal.email.model.Mailbox-1", "email_address_id": 0, "executive": 1,
         "email_address": "new@example.com"},
        {"id": "USSportal.email.model.Mailbox-2", "email_address_id": 0, "executive": 0,
         "email_address": "new2@example.com"}])
    assert resp.status_code == 200
    created = resp.json()
    assert [c["executive"] for c in created] == [1, 0] and isinstance(created[0]["id"], int)
    assert api.uss("GET", "/email/mailbox/v2").json()["meta"]["total"] == 27
    resp = api.uss("DELETE", "/email/mailbox", json=[
        {"id": created[0]["id"], "email_address_id": created[0]["email_address_id"],
         "email_address": "new@example.com"}])
    assert resp.status_code == 200 and resp.json()[0]["email_address"] == "new@example.com"
    body = api.uss("GET", "/email/mailbox/v2", params={"search": "new"}).json()
    assert [m["email_address"] for m in body["data"]] == ["new2@example.com"]
    assert api.requests_log(service="clouduss", write="1")["writes"] == 2


def test_add_and_delete_errors(api):
    assert api.uss("POST", "/email/mailbox", json={"email_address": "x@example.com"}).status_code == 400
    assert api.uss("POST", "/email/mailbox", json=[{"email_address": "bob@example.com"}]).status_code == 409
    assert api.uss("POST", "/email/mailbox", json=[{"email_address": "nope"}]).status_code == 400
    assert api.uss("DELETE", "/email/mailbox", json=[{"id": 1, "email_address": "zz@example.com"}]).status_code == 404
    assert api.uss("GET", "/email/mailbox/v2", params={"search": "bob@"}).json()["meta"]["total"] == 1


def test_pre_seeded_token_is_not_logged(api):
    api.uss("GET", "/email/mailbox/v2")
    assert "ussbearer" not in api.ctl("GET", "/requests").text
