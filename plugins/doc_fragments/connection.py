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
      - How often a request that met HTTP 429, a 5xx answer, a timeout or a dropped connection
        is tried again, with capped exponential backoff that honours C(Retry-After).
      - Reads and idempotent writes are retried; a request that creates something is retried
        only after HTTP 429 (the API did not process it). Each retry is reported as a warning.
    type: int
    default: 5
requirements:
  - requests
notes:
  - The module runs on the controller (C(localhost)) and talks to the API over HTTPS.
'''
