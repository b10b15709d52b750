"""Per-service rate limits: 429 with Retry-After beyond the limit, counted in the request log."""

import json

import pytest
import requests

from mailadmin_fakeapi import ratelimit
from mailadmin_fakeapi.state import Store

from conftest import load_seed
from test_cli import run_cli

SUPPORT, DAVE = "1130000000000501", "1130000000000004"


def test_window_counting_with_explicit_times():
    # Pure: the arrival times are given, so this holds however slow the machine is.
    store = Store(load_seed())
    store.update_config({"rate_limits": {"y360": 3}})
    t0 = store.started
    assert [ratelimit.check(store, "y360", t0 + 0.1) for dummy in range(3)] == [None] * 3
    refused = ratelimit.check(store, "y360", t0 + 0.2)
    assert refused.status == 429 and refused.headers["Retry-After"] == "1"
    assert refused.headers["X-Request-Id"]
    assert ratelimit.check(store, "pdd", t0 + 0.2) is None           # per service
    assert ratelimit.check(store, "y360", t0 + 0.99).status == 429   # refused ones do not count...
    assert ratelimit.check(store, "y360", t0 + 1.0) is None          # ...and the next window serves
    store.update_config({"rate_limits": {"y360": None}})
    assert all(ratelimit.check(store, "y360", t0 + 1.5) is None for dummy in range(10))


def test_retry_after_is_whole_seconds_to_the_window_end():
    store = Store(load_seed())
    store.update_config({"rate_limits": {"cloud": 1}})
    t0 = store.started
    assert ratelimit.check(store, "cloud", t0 + 5.01) is None
    refused = ratelimit.check(store, "cloud", t0 + 5.02)
    assert refused.headers["Retry-After"] == "1" and refused.headers["Yandex-Cloud-Request-ID"]
    assert json.loads(refused.encoded()) == {"code": 8, "message": "rate limit exceeded", "details": []}


@pytest.mark.parametrize("limits", [{"nope": 5}, {"y360": 0}, {"y360": 0.5}, {"y360": "20"}, {"y360": True}, []])
def test_invalid_limits_rejected(api, limits):
    assert api.ctl("PUT", "/config", json={"rate_limits": limits}).status_code == 400


def test_limits_merge_and_reset(api):
    assert api.config(rate_limits={"y360": 20})["rate_limits"] == {"y360": 20}
    assert api.config(rate_limits={"pdd": 5})["rate_limits"] == {"y360": 20, "pdd": 5}
    assert api.config(rate_limits={"y360": None})["rate_limits"] == {"pdd": 5}
    api.ctl("POST", "/reset")
    assert api.ctl("GET", "/config").json()["rate_limits"] == {}


def test_requests_beyond_the_limit_get_429_and_are_logged(api):
    api.config(rate_limits={"y360": 5})
    answers = []
    for dummy in range(40):   # far more than 5 a second however slow the machine
        answers.append(api.mb("GET", "/shared"))
        if answers[-1].status_code == 429:
            break
    refused = answers[-1]
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1" and refused.json()["code"] == 8
    log = api.requests_log(service="y360")
    served = [e for e in log["requests"] if e["status"] != 429]
    limited = api.requests_log(fault="rate_limit")
    assert limited["count"] >= 1 and api.requests_log(status="429")["count"] == limited["count"]
    assert all(e["status"] == 429 for e in limited["requests"])
    # never more than 5 served in one window (windows are whole seconds since the server started)
    per_window = {}
    for entry in served:
        per_window[int(entry["received"])] = per_window.get(int(entry["received"]), 0) + 1
    assert max(per_window.values()) <= 5
    # other services are not limited
    assert all(api.pdd(domain="example.com").status_code == 200 for dummy in range(8))


def test_refused_write_changes_nothing(api):
    api.config(rate_limits={"y360": 1})
    # spend the window's one request, then the write is refused (unless a new window began: retry)
    for dummy in range(20):
        api.mb("GET", "/shared")
        resp = api.set_access(SUPPORT, DAVE, ["shared_mailbox_reader"])
        if resp.status_code == 429:
            break
        api.config(rate_limits={"y360": None})
        api.ctl("POST", "/reset")
        api.config(task_seconds=30, rate_limits={"y360": 1})
    assert resp.status_code == 429
    state = api.ctl("GET", "/state").json()
    assert DAVE not in state["y360"]["access"].get(SUPPORT, {})
    assert state["tasks"] == {}


def test_cli_rate_limit_flag(tmp_path):
    result = run_cli("--state-dir", str(tmp_path), "--daemon", "--lifetime", "60",
                     "--rate-limit", "y360=20", "--rate-limit", "pdd=2.5")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    try:
        control = info["control_url"]
        assert requests.get(control + "/config", timeout=5).json()["rate_limits"] == {"y360": 20.0, "pdd": 2.5}
        requests.post(control + "/reset", timeout=5)
        assert requests.get(control + "/config", timeout=5).json()["rate_limits"] == {"y360": 20.0, "pdd": 2.5}
    finally:
        requests.post(info["control_url"] + "/shutdown", timeout=5)
    bad = run_cli("--state-dir", str(tmp_path), "--rate-limit", "y360")
    assert bad.returncode != 0 and "SERVICE=REQUESTS_PER_SECOND" in bad.stderr
