"""PDD email/list: always HTTP 200, error codes, pagination, numbers as strings."""

import pytest


def test_first_page_numbers_are_strings(api):
    resp = api.pdd(domain="example.com")
    assert resp.status_code == 200
    body = resp.json()
    assert body["success"] == "ok"
    assert (body["page"], body["pages"], body["on_page"], body["total"], body["found"]) == ("1", "2", "30", "45", "30")
    alice = body["accounts"][0]
    assert alice["login"] == "alice@example.com" and alice["uid"] == "1130000000100001"
    assert alice["aliases"] == ["a.smith", "alice.smith"]
    accounts = body["accounts"]
    assert any(a["birth_date"] is None for a in accounts) and any(a["sex"] is None for a in accounts)
    assert {a["enabled"] for a in accounts} == {"yes", "no"} and {a["ready"] for a in accounts} == {"yes", "no"}


def test_second_page_and_maillist(api):
    body = api.pdd(domain="example.com", page=2).json()
    assert body["found"] == "15"
    assert [a for a in body["accounts"] if a["maillist"] == "yes"][0]["login"] == "all@example.com"


def test_on_page_clamped_to_100_and_number_mode(api):
    api.config(pdd_numbers="number")
    body = api.pdd(domain="example.com", on_page=500).json()
    assert body["on_page"] == 100 and body["pages"] == 1 and body["found"] == 45
    assert isinstance(body["accounts"][0]["uid"], int)


def test_legacy_domain(api):
    assert api.pdd(domain="legacy.example.org").json()["total"] == "5"


@pytest.mark.parametrize("token,domain,code", [
    (None, "example.com", "no_auth"),
    ("pdd-tok-wrong", "example.com", "bad_token"),
    ("pdd-tok-Vb7Xs2Kq9Lm3", "other.example.net", "not_allowed"),
    ("pdd-tok-Vb7Xs2Kq9Lm3", "nowhere.test", "not_allowed"),
    ("pdd-tok-Vb7Xs2Kq9Lm3", None, "no_domain"),
])
def test_errors_are_http_200(api, token, domain, code):
    params = {"domain": domain} if domain else {}
    resp = api.pdd(token=token, **params)
    assert resp.status_code == 200
    assert resp.json() == {"success": "error", "error": code}


def test_other_token_administers_other_domain(api):
    assert api.pdd(token="pdd-tok-Other0Zz1Yy2", domain="other.example.net").json()["success"] == "ok"
