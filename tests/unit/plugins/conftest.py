# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.mailops.mailadmin.plugins.module_utils import _http
from ansible_collections.mailops.mailadmin.tests.unit.plugins.harness import FakeHttp


@pytest.fixture
def http():
    """Every HTTP call of the test goes to this fake; unexpected or unused calls fail the test."""
    fake = FakeHttp().start()
    try:
        yield fake
        fake.verify()
    finally:
        fake.stop()


class FakeClock:
    """Retries and polling sleep for real in production; here sleeping only moves this clock."""

    def __init__(self):
        self.now = 1000.0
        self.slept = []

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds

    def clock(self):
        return self.now


@pytest.fixture(autouse=True)
def fake_clock(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(_http, '_sleep', clock.sleep)
    monkeypatch.setattr(_http, '_clock', clock.clock)
    return clock
