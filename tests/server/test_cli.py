"""The command line: --daemon, server.json, loopback only, lifetime, shutdown, generate."""

import json
import os
import subprocess
import sys
import time

import pytest
import requests

from conftest import SEED_PATH

PKG_ROOT = os.path.dirname(os.path.abspath(SEED_PATH))


def run_cli(*args, timeout=30):
    env = dict(os.environ, PYTHONPATH=PKG_ROOT)
    return subprocess.run([sys.executable, "-m", "mailadmin_fakeapi"] + list(args), env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


def wait_gone(pid, seconds=5):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            return True
        time.sleep(0.05)
    return False


def test_daemon_two_servers_shutdown(tmp_path):
    infos = []
    for name in ("a", "b"):
        result = run_cli("--seed", SEED_PATH, "--state-dir", str(tmp_path / name), "--daemon",
                         "--lifetime", "60", "--latency-ms", "5")
        assert result.returncode == 0, result.stderr
        info = json.loads(result.stdout)
        assert info == json.loads((tmp_path / name / "server.json").read_text())
        infos.append(info)
    try:
        assert infos[0]["port"] != infos[1]["port"]
        for info in infos:
            base = info["base_url"]
            assert base.startswith("http://127.0.0.1:")
            for key, suffix in (("control_url", "/_control"), ("y360_url", "/y360"), ("cloud_url", "/cloud"),
                                ("clouduss_url", "/clouduss"), ("pdd_url", "/pdd")):
                assert info[key] == base + suffix
            assert requests.get(info["control_url"] + "/config", timeout=5).json()["latency_ms"] == 5
        # state is separate per server
        requests.put(infos[0]["control_url"] + "/config", json={"omit_pages": True}, timeout=5)
        assert requests.get(infos[1]["control_url"] + "/config", timeout=5).json()["omit_pages"] is False
    finally:
        for info in infos:
            requests.post(info["control_url"] + "/shutdown", timeout=5)
    for info in infos:
        assert wait_gone(info["pid"])


def test_lifetime_ends_server(tmp_path):
    result = run_cli("--state-dir", str(tmp_path), "--daemon", "--lifetime", "0.5")
    assert result.returncode == 0, result.stderr
    assert wait_gone(json.loads(result.stdout)["pid"], 10)
    assert not (tmp_path / "server.json").exists()


def test_refuses_non_loopback_host(tmp_path):
    result = run_cli("--state-dir", str(tmp_path), "--host", "0.0.0.0")
    assert result.returncode != 0 and "loopback" in result.stderr


def test_daemon_reports_failure(tmp_path):
    result = run_cli("--seed", str(tmp_path / "missing.json"), "--state-dir", str(tmp_path), "--daemon")
    assert result.returncode == 1 and "did not start" in result.stderr


@pytest.mark.parametrize("flags", [["--generate-users", "30", "--generate-delegated", "20"]])
def test_generate_flags_survive_reset(tmp_path, flags):
    result = run_cli("--state-dir", str(tmp_path), "--daemon", "--lifetime", "60", *flags)
    info = json.loads(result.stdout)
    try:
        requests.post(info["control_url"] + "/reset", timeout=5)
        body = requests.get(info["y360_url"] + "/admin/v1/org/1234567/mailboxes/delegated",
                            headers={"Authorization": "OAuth y360-admin-7Hq2ZpL9wXc4"}, timeout=5).json()
        assert body["total"] == 22
        assert body["resources"][2]["count"] == 3
    finally:
        requests.post(info["control_url"] + "/shutdown", timeout=5)


def test_generate_shared_flag_survives_reset(tmp_path):
    result = run_cli("--state-dir", str(tmp_path), "--daemon", "--lifetime", "60",
                     "--generate-users", "10", "--generate-shared", "4")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    headers = {"Authorization": "OAuth y360-admin-7Hq2ZpL9wXc4"}
    base = info["y360_url"] + "/admin/v1/org/1234567/mailboxes"
    try:
        requests.post(info["control_url"] + "/reset", timeout=5)
        body = requests.get(base + "/shared", headers=headers, timeout=5).json()
        assert body["total"] == 7
        last = body["resources"][-1]
        assert last["count"] == 3
        details = requests.get(base + "/shared/" + last["resourceId"], headers=headers, timeout=5).json()
        assert details["email"] == "shared004@example.com" and details["name"] == "Shared mailbox 4"
    finally:
        requests.post(info["control_url"] + "/shutdown", timeout=5)
