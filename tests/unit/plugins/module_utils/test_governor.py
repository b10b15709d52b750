# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import threading
import time

import pytest

from ansible_collections.mailops.mailadmin.plugins.module_utils._governor import (
    PAUSE_CAP, Gate, RateGovernor, doubling_backoff,
)


def started(governor, now, count):
    tickets = []
    for dummy in range(count):
        ticket, wait = governor.start(now)
        assert wait == 0.0, 'request %d of %d was held back' % (len(tickets) + 1, count)
        tickets.append(ticket)
    return tickets


def test_requests_go_up_to_the_limit_then_wait_for_a_slot():
    governor = RateGovernor(4)
    tickets = started(governor, 0.0, 4)
    assert governor.start(0.0) == (None, None)
    governor.finish(tickets[0], 0.1, 'ok')
    assert governor.start(0.1)[1] == 0.0


def test_throttled_answer_pauses_everyone_until_retry_after():
    governor = RateGovernor(4)
    ticket = started(governor, 10.0, 1)[0]
    assert governor.finish(ticket, 10.0, 'throttled', retry_after=3.0) is True
    assert governor.start(10.0) == (None, 3.0)
    assert governor.start(12.5) == (None, pytest.approx(0.5))
    assert governor.start(13.0)[1] == 0.0


def test_limit_halves_once_per_slow_down_not_once_per_answer_in_flight():
    governor = RateGovernor(16)
    tickets = started(governor, 0.0, 16)
    results = [governor.finish(ticket, 0.0, 'throttled', retry_after=1.0) for ticket in tickets]
    assert results.count(True) == 1
    assert governor.limit == 8
    # a request started after the slow-down and throttled again halves once more
    ticket = started(governor, 1.0, 1)[0]
    assert governor.finish(ticket, 1.0, 'throttled', retry_after=1.0) is True
    assert governor.limit == 4
    assert governor.slowdowns == 2 and governor.throttled == 17


def test_limit_never_below_one():
    governor = RateGovernor(2)
    now = 0.0
    for dummy in range(5):
        ticket = started(governor, now, 1)[0]
        governor.finish(ticket, now, 'throttled', retry_after=0.0)
    assert governor.limit == 1


def test_limit_grows_by_one_after_a_run_of_successes_up_to_the_maximum():
    governor = RateGovernor(4)
    ticket = started(governor, 0.0, 1)[0]
    governor.finish(ticket, 0.0, 'throttled', retry_after=0.0)
    assert governor.limit == 2
    for expected in (2, 3, 3, 4, 4):      # one more after every 4 (the maximum) successes in a row
        for ticket in started(governor, 1.0, 2):
            governor.finish(ticket, 1.0, 'ok')
        assert governor.limit == expected


def test_errors_neither_slow_down_nor_speed_up():
    governor = RateGovernor(4)
    ticket = started(governor, 0.0, 1)[0]
    governor.finish(ticket, 0.0, 'throttled', retry_after=0.0)
    for ticket in started(governor, 0.0, 2):
        governor.finish(ticket, 0.0, 'other')
    assert governor.limit == 2 and governor.successes == 0 and governor.in_flight == 0


def test_without_retry_after_the_pause_doubles_until_a_success():
    governor = RateGovernor(8)
    pauses = []
    now = 0.0
    for dummy in range(6):
        ticket = started(governor, now, 1)[0]
        governor.finish(ticket, now, 'throttled')
        pauses.append(governor.paused_until - now)
        now = governor.paused_until
    assert pauses == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    ticket = started(governor, now, 1)[0]
    governor.finish(ticket, now, 'ok')
    ticket = started(governor, now, 1)[0]
    governor.finish(ticket, now, 'throttled')
    assert governor.paused_until - now == 0.5


def test_later_retry_after_extends_the_pause_and_the_pause_is_capped():
    governor = RateGovernor(8)
    first, second = started(governor, 0.0, 2)
    governor.finish(first, 0.0, 'throttled', retry_after=5.0)
    governor.finish(second, 1.0, 'throttled', retry_after=1.0)   # ends before the first: ignored
    assert governor.paused_until == 5.0
    third = started(governor, 5.0, 1)[0]
    governor.finish(third, 5.0, 'throttled', retry_after=10000)
    assert governor.paused_until == 5.0 + PAUSE_CAP


def test_max_rate_spaces_request_starts():
    governor = RateGovernor(8, max_rate=4)
    assert governor.start(0.0)[1] == 0.0
    assert governor.start(0.0) == (None, 0.25)
    assert governor.start(0.25)[1] == 0.0
    assert governor.start(1.0)[1] == 0.0          # idle time is not saved up for a burst
    assert governor.start(1.1) == (None, pytest.approx(0.15))


def test_doubling_backoff():
    assert [doubling_backoff(n) for n in range(6)] == [0.5, 1, 2, 4, 8, 8]


def test_gate_holds_every_thread_until_the_pause_is_over():
    # Real clock, lower bounds only: sleeping never ends early, however busy the machine is.
    gate = Gate(RateGovernor(16), time.monotonic, time.sleep)
    ticket = gate.acquire()
    assert gate.release(ticket, 'throttled', retry_after=0.3) is True
    paused_at = time.monotonic()
    started_at = []
    lock = threading.Lock()

    def worker():
        ticket = gate.acquire()
        with lock:
            started_at.append(time.monotonic())
        gate.release(ticket, 'ok')

    threads = [threading.Thread(target=worker) for dummy in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(started_at) == 8
    assert min(started_at) >= paused_at + 0.3 - 0.01


def test_gate_bounds_requests_in_flight_across_threads():
    gate = Gate(RateGovernor(3), time.monotonic, time.sleep)
    in_flight, peak = [0], [0]
    lock = threading.Lock()

    def worker():
        ticket = gate.acquire()
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        time.sleep(0.02)
        with lock:
            in_flight[0] -= 1
        gate.release(ticket, 'ok')

    threads = [threading.Thread(target=worker) for dummy in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert peak[0] <= 3
    assert gate.governor.in_flight == 0
