"""Control API, faults, latency and the request log."""

import time

import pytest
import requests

SUPPORT, DAVE = "1130000000000501", "1130000000000004"


def test_429_with_and_without_retry_after_then_normal(api):
    api.fault(service="y360", method="GET", path="/mailboxes/shared$", kind="status", status=429,
              retry_after="1", times=1)
    api.fault(service="y360", method="GET", path="/mailboxes/shared$", kind="status", status=429, times=1)
    first = api.mb("GET", "/shared")
    assert first.status_code == 429 and first.headers["Retry-After"] == "1"
    assert first.json()["code"] == 8 and first.headers["X-Request-Id"]
    second = api.mb("GET", "/shared")
    assert second.status_code == 429 and "Retry-After" not in second.headers
    assert api.mb("GET", "/shared").status_code == 200
    log = api.requests_log()["requests"]
    assert [e["fault"] for e in log] == ["status", "status", None]
    assert [e["status"] for e in log] == [429, 429, 200]


@pytest.mark.parametrize("status,code", [(500, 13), (503, 14)])
def test_5xx_in_service_format(api, status, code):
    api.fault(service="*", path="", kind="status", status=status)
    resp = api.mb("GET", "/delegated")
    assert resp.status_code == status and resp.json()["code"] == code


def test_status_fault_formats_other_services_and_custom_body(api):
    api.fault(service="cloud", kind="status", status=500)
    resp = api.cloud("GET", "1130000000000951")
    assert resp.status_code == 500 and resp.headers["Yandex-Cloud-Request-ID"]
    api.fault(service="pdd", kind="status", status=200, body={"success": "error", "error": "unknown"})
    assert api.pdd(domain="example.com").json() == {"success": "error", "error": "unknown"}
    api.fault(service="clouduss", kind="status", status=503, body="overloaded")
    resp = api.uss("GET", "/email/mailbox/v2")
    assert resp.status_code == 503 and resp.text == "overloaded"


def test_fault_does_not_change_state(api):
    api.fault(service="y360", method="POST", path="/set/", kind="status", status=500)
    assert api.set_access(SUPPORT, DAVE, ["shared_mailbox_reader"]).status_code == 500
    assert api.ctl("GET", "/state").json()["tasks"] == {}


def test_method_and_service_filters_in_matching(api):
    api.fault(service="pdd", method="POST", kind="status", status=500, times=-1)
    api.fault(service="clouduss", method="GET", kind="status", status=500, times=-1)
    assert api.pdd(domain="example.com").status_code == 200
    assert api.mb("GET", "/shared").status_code == 200


def test_drop_closes_connection(api):
    api.fault(service="y360", path="/shared", kind="drop")
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(api.base + "/y360/admin/v1/org/1234567/mailboxes/shared",
                     headers={"Authorization": "OAuth y360-admin-7Hq2ZpL9wXc4"}, timeout=5)
    assert api.mb("GET", "/shared").status_code == 200
    entry = api.requests_log()["requests"][0]
    assert entry["fault"] == "drop" and entry["status"] is None


def test_malformed_json(api):
    api.fault(service="clouduss", path="mailbox", kind="malformed")
    resp = api.uss("GET", "/email/mailbox/v2")
    assert resp.status_code == 200
    with pytest.raises(ValueError):
        resp.json()


def test_slow_answers_normally_after_delay(api):
    api.fault(service="pdd", kind="slow", delay=0.4)
    start = time.time()
    resp = api.pdd(domain="example.com")
    assert time.time() - start >= 0.4
    assert resp.json()["success"] == "ok"
    assert api.requests_log()["requests"][0]["fault"] == "slow"


def test_times_and_persistent(api):
    api.fault(service="pdd", kind="status", status=500, times=2)
    assert [api.pdd(domain="example.com").status_code for dummy in range(3)] == [500, 500, 200]
    api.fault(service="pdd", kind="status", status=503, times=-1)
    assert [api.pdd(domain="example.com").status_code for dummy in range(4)] == [503] * 4
    assert api.ctl("GET", "/faults").json()["faults"][0]["times"] == -1
    api.ctl("DELETE", "/faults")
    assert api.ctl("GET", "/faults").json() == {"faults": []}
    assert api.pdd(domain="example.com").status_code == 200


def test_invalid_fault_rejected(api):
    assert api.ctl("POST", "/faults", json={"kind": "explode"}).status_code == 400
    assert api.ctl("POST", "/faults", json={"service": "mars"}).status_code == 400


def test_latency(api):
    api.config(latency_ms=150)
    start = time.time()
    api.pdd(domain="example.com")
    assert time.time() - start >= 0.15
    entry = api.requests_log()["requests"][-1]
    assert entry["answered"] - entry["received"] >= 0.15   # the log shows when each request was in flight
    api.config(latency_ms=1500)
    start = time.time()
    api.ctl("GET", "/config")
    # Control calls are not delayed: far below the latency even on a machine busy elsewhere.
    assert time.time() - start < 1.0


def test_request_log_filters_and_writes(api):
    api.mb("GET", "/shared", params={"page": 1})
    api.mb("PUT", "/delegated", json={"resourceId": "1130000000000002"})
    api.pdd(domain="example.com")
    log = api.requests_log()
    assert log["count"] == 3 and log["writes"] == 1
    assert [e["seq"] for e in log["requests"]] == sorted(e["seq"] for e in log["requests"])
    first = dict(log["requests"][0])
    received, answered = first.pop("received"), first.pop("answered")
    assert 0 <= received <= answered
    assert first == {"seq": first["seq"], "service": "y360", "method": "GET",
                     "path": "/admin/v1/org/1234567/mailboxes/shared", "query": {"page": "1"},
                     "status": 200, "write": False, "fault": None, "body": None}
    assert api.requests_log(service="pdd")["count"] == 1
    assert api.requests_log(method="put")["requests"][0]["body"] == {"resourceId": "1130000000000002"}
    assert api.requests_log(write="1")["count"] == 1
    assert "y360-admin" not in api.ctl("GET", "/requests").text
    api.ctl("GET", "/state")
    assert api.requests_log()["count"] == 3  # control calls are not logged
    api.ctl("DELETE", "/requests")
    assert api.requests_log()["count"] == 0


def test_state_put_and_reset(api):
    state = api.ctl("GET", "/state").json()
    assert state["y360"]["org_id"] == 1234567 and "tasks" in state
    state["y360"]["shared_mailboxes"] = state["y360"]["shared_mailboxes"][:1]
    assert api.ctl("PUT", "/state", json=state).status_code == 200
    assert api.mb("GET", "/shared").json()["total"] == 1
    api.config(omit_pages=True)
    api.fault(kind="status", status=500, times=-1)
    api.ctl("POST", "/reset")
    assert api.ctl("GET", "/faults").json()["faults"] == []
    assert api.ctl("GET", "/config").json()["omit_pages"] is False
    assert api.requests_log()["count"] == 0
    assert api.mb("GET", "/shared").json()["total"] == 3


def test_config_validation(api):
    assert api.ctl("PUT", "/config", json={"no_such_knob": 1}).status_code == 400
    assert api.ctl("PUT", "/config", json={"pdd_numbers": "roman"}).status_code == 400
    assert api.ctl("PUT", "/config", json={"task_outcomes": {"a:b": "maybe"}}).status_code == 400
    merged = api.config(task_outcomes={"1:2": "never"})
    merged = api.config(task_outcomes={"3:4": "error"})
    assert merged["task_outcomes"] == {"1:2": "never", "3:4": "error"}


def test_unknown_control_call_and_prefix(api):
    assert api.ctl("GET", "/nothing").status_code == 404
    assert requests.get(api.base + "/other/x", timeout=5).status_code == 404
    assert api.ctl("GET", "/health").json() == {"ok": True}


def test_state_round_trip_drops_tasks(api):
    api.set_access(SUPPORT, DAVE, ["shared_mailbox_reader"])
    state = api.ctl("GET", "/state").json()
    assert len(state["tasks"]) == 1
    assert api.ctl("PUT", "/state", json=state).status_code == 200
    after = api.ctl("GET", "/state").json()
    assert after["tasks"] == {} and after["y360"] == state["y360"]
