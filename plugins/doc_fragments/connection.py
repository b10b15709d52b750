# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Options every module of every family accepts: how requests are sent.
    DOCUMENTATION = r'''
options:
  validate_certs:
    description:
      - Verify the API's TLS certificate. Turn off only for a test server you trust.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for each HTTP request.
    type: float
    default: 30
  retries:
    description:
      - How often a request that met a 5xx answer, a timeout or a dropped connection is tried
        again, with capped exponential backoff that honours C(Retry-After). Each such retry is
        reported as a warning.
      - Reads and idempotent writes are retried; a request that creates something is retried
        only after HTTP 429 (the API did not process it).
      - "Throttling is handled apart: when any answer is HTTP 429, or 503 with C(Retry-After),
        every request of the task to that API pauses until C(Retry-After) has passed (without
        it, a doubling backoff up to 8 s), and the number of requests in flight is halved, then
        grows back by one after each run of 16 successes. Such throttled answers do not use up
        O(retries); a request gives up after ten times O(retries) of them. C(0) turns every
        retry off, the throttled ones included."
    type: int
    default: 5
  max_requests_per_second:
    description:
      - Send at most this many requests a second to each API host, evenly spaced, for
        administrators who know their quota (set it a little below the quota).
      - Unset (the default), requests go as fast as the task's concurrency allows and slow
        down only when the API answers HTTP 429.
    type: float
requirements:
  - requests
notes:
  - The module runs on the controller (C(localhost)) and talks to the API over HTTPS.
'''
