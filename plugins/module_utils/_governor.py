# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The rate governor: how fast one module run may talk to one API host.

Used only by ``_http.py``. Every thread of a run that talks to the same base URL shares one
governor, so when the API says "too many requests" everybody slows down, not only the thread
that was told:

- a throttled answer (HTTP 429, or 503 with ``Retry-After``) pauses every new request to the
  host until the server's ``Retry-After`` has passed (without one: a backoff that doubles with
  each consecutive slow-down, capped);
- the number of requests in flight adapts (AIMD): it halves on a throttled answer (once per
  slow-down: the answers of requests that were already in flight do not halve it again), and
  grows by one after as many successes in a row as the maximum, never above the maximum;
- ``max_rate`` (requests per second, optional) spaces request starts evenly.

:class:`RateGovernor` is pure bookkeeping: the time comes in as an argument, nothing blocks.
:class:`Gate` wraps it for threads (a condition variable, and a sleep for timed waits).
"""

from __future__ import annotations

import threading

PAUSE_CAP = 120.0


def doubling_backoff(streak, base=0.5, cap=8.0):
    """Pause after the ``streak``-th consecutive slow-down without ``Retry-After`` (0-based)."""
    return min(cap, base * (2 ** streak))


class RateGovernor:
    """Pacing state of one API host in one module run.

    ``start(now)`` asks to send a request: ``(ticket, 0.0)`` when it may go now (the caller
    must later call ``finish`` with the ticket), ``(None, seconds)`` when it must wait that long
    (a pause or the rate spacing), ``(None, None)`` when it must wait for a request in flight to
    finish. ``finish(ticket, now, outcome, retry_after)`` records the answer: ``outcome`` is
    ``'ok'``, ``'throttled'`` or ``'other'`` (errors and dropped connections: they neither slow
    down nor speed up). It returns True when this answer started a new slow-down.
    """

    def __init__(self, max_in_flight, max_rate=None, backoff=doubling_backoff):
        self.max_in_flight = max(1, int(max_in_flight))
        self.limit = self.max_in_flight
        self.interval = 1.0 / float(max_rate) if max_rate else 0.0
        self.backoff = backoff
        self.in_flight = 0
        self.paused_until = None
        self.next_start = None
        self.epoch = 0              # grows with every slow-down; a ticket remembers it
        self.successes = 0          # in a row, since the last growth or slow-down
        self.streak = 0             # slow-downs without a success between them
        self.slowdowns = 0
        self.throttled = 0

    def start(self, now):
        if self.paused_until is not None and self.paused_until > now:
            return None, self.paused_until - now
        if self.next_start is not None and self.next_start > now:
            return None, self.next_start - now
        if self.in_flight >= self.limit:
            return None, None
        self.in_flight += 1
        if self.interval:
            self.next_start = now + self.interval
        return self.epoch, 0.0

    def finish(self, ticket, now, outcome, retry_after=None):
        self.in_flight = max(0, self.in_flight - 1)
        if outcome == 'throttled':
            self.throttled += 1
            self.successes = 0
            new = ticket == self.epoch
            if new:
                self.epoch += 1
                self.slowdowns += 1
                self.limit = max(1, self.limit // 2)
                self.streak += 1
            pause = retry_after if retry_after is not None else self.backoff(max(0, self.streak - 1))
            until = now + min(max(0.0, pause), PAUSE_CAP)
            if self.paused_until is None or until > self.paused_until:
                self.paused_until = until
            return new
        if outcome == 'ok':
            self.streak = 0
            self.successes += 1
            # Growing after a full pool's worth of successes (not after ``limit`` of them) keeps
            # the limit near what the server allows: at 20 requests a second and 50 ms answers,
            # faster growth refilled the pool each second and a quarter of requests met a 429.
            if self.successes >= self.max_in_flight and self.limit < self.max_in_flight:
                self.limit += 1
                self.successes = 0
        return False


class Gate:
    """A :class:`RateGovernor` shared by threads: ``acquire`` blocks until a request may go."""

    def __init__(self, governor, clock, sleep):
        self.governor = governor
        self._clock = clock
        self._sleep = sleep
        self._cond = threading.Condition()

    def acquire(self):
        """Block until a request may be sent; returns the ticket to give back to ``release``."""
        while True:
            with self._cond:
                ticket, wait = self.governor.start(self._clock())
                if ticket is not None:
                    return ticket
                if wait is None:
                    # Woken when a request in flight finishes; the timeout only guards against
                    # a missed wake-up.
                    self._cond.wait(1.0)
                    continue
            self._sleep(wait)

    def release(self, ticket, outcome, retry_after=None):
        """Record the answer of the request ``ticket`` started; True when it began a slow-down."""
        with self._cond:
            new = self.governor.finish(ticket, self._clock(), outcome, retry_after)
            self._cond.notify_all()
        return new

    def describe(self):
        with self._cond:
            governor = self.governor
            return dict(limit=governor.limit, max_in_flight=governor.max_in_flight,
                        throttled=governor.throttled, slowdowns=governor.slowdowns)
