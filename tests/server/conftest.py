"""Fixtures: one in-process fake API server per test session, reset before every test."""

import json
import os
import threading

import pytest
import requests

from mailadmin_fakeapi.server import make_server
from mailadmin_fakeapi.state import Store

SEED_PATH = os.path.join(os.path.dirname(__file__), "..", "integration", "targets",
                         "setup_mailadmin_server", "files", "seed.json")
ORG = 1234567
ADMIN = "y360-admin-7Hq2ZpL9wXc4"
VIEWER = "y360-viewer-Rk5mN8tB3vQ1"
USS_USER = "uss-admin@example.com"
USS_PASSWORD = "Uss-Pa55w0rd-Zx81!"
USS_TOKEN = "ussbearer-4f9a0c7e2d1b8a63"
USS_ACCOUNT = "3f2b8c1e-6a4d-4e8b-9c7a-1d2e3f4a5b6c"
PDD_TOKEN = "pdd-tok-Vb7Xs2Kq9Lm3"


def load_seed():
    with open(SEED_PATH, encoding="utf-8") as handle:
        return json.load(handle)


class Api:
    """Tiny client for the fake server used by the tests."""

    def __init__(self, base):
        self.base = base
        self.http = requests.Session()

    # raw calls per service -------------------------------------------------
    def y360(self, method, path, token=ADMIN, **kw):
        headers = kw.pop("headers", {})
        if token is not None:
            headers["Authorization"] = "OAuth " + token
        return self.http.request(method, self.base + "/y360" + path, headers=headers, timeout=10, **kw)

    def mb(self, method, path, **kw):
        return self.y360(method, "/admin/v1/org/%d/mailboxes%s" % (ORG, path), **kw)

    def directory(self, path, **kw):
        return self.y360("GET", "/directory/v1/org/%d%s" % (ORG, path), **kw)

    def cloud(self, method, mlid, op="permissions", token=ADMIN, **kw):
        headers = {"Authorization": "OAuth " + token} if token else {}
        url = "%s/cloud/v1/admin/org/%d/mail-lists/%s/%s" % (self.base, ORG, mlid, op)
        return self.http.request(method, url, headers=headers, timeout=10, **kw)

    def pdd(self, token=PDD_TOKEN, **params):
        headers = {"PddToken": token} if token is not None else {}
        return self.http.get(self.base + "/pdd/api2/admin/email/list", headers=headers,
                             params=params, timeout=10)

    def uss(self, method, path, token=USS_TOKEN, account=USS_ACCOUNT, **kw):
        headers = {}
        if token is not None:
            headers["Authorization"] = "Bearer " + token
        if account is not None:
            headers["X-Uss-Account-Id"] = account
        return self.http.request(method, self.base + "/clouduss" + path, headers=headers, timeout=10, **kw)

    # control -----------------------------------------------------------------
    def ctl(self, method, path, **kw):
        resp = self.http.request(method, self.base + "/_control" + path, timeout=10, **kw)
        return resp

    def config(self, **changes):
        resp = self.ctl("PUT", "/config", json=changes)
        assert resp.status_code == 200, resp.text
        return resp.json()

    def fault(self, **rule):
        resp = self.ctl("POST", "/faults", json=rule)
        assert resp.status_code == 200, resp.text

    def requests_log(self, **filters):
        return self.ctl("GET", "/requests", params=filters).json()

    def set_access(self, mailbox, actor, roles, notify="none"):
        return self.mb("POST", "/set/%s" % mailbox, params={"actorId": actor, "notify": notify},
                       json={"roles": roles})

    def actors(self, mailbox):
        return {a["actorId"]: a["roles"] for a in self.mb("GET", "/actors/%s" % mailbox).json()["actors"]}


@pytest.fixture(scope="session")
def server():
    store = Store(load_seed())
    httpd = make_server(store)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield "http://127.0.0.1:%d" % httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def api(server):
    client = Api(server)
    assert client.ctl("POST", "/reset").status_code == 200
    # Tasks finish on polls in these tests, not on wall time, unless a test says otherwise.
    client.config(task_seconds=30)
    yield client
    client.http.close()
