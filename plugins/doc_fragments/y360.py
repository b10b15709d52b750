# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Connection options of the Yandex 360 admin API family (action group y360).
    DOCUMENTATION = r'''
options:
  token:
    description:
      - OAuth token of an administrator of the Yandex 360 for Business organization.
      - "Sent as C(Authorization: OAuth <token>); never logged."
      - If not set, the value of the E(Y360_TOKEN) environment variable is used.
    type: str
    required: true
  org_id:
    description:
      - Numeric id of the organization.
      - If not set, the value of the E(Y360_ORG_ID) environment variable is used.
    type: int
    required: true
  api_url:
    description:
      - Base URL of the Yandex 360 admin API (mailboxes and directory).
      - If not set, the value of the E(Y360_API_URL) environment variable is used.
    type: str
    default: https://api360.yandex.net
  cloud_api_url:
    description:
      - Base URL of the host that serves mailing-list sender permissions.
      - If not set, the value of the E(Y360_CLOUD_API_URL) environment variable is used.
    type: str
    default: https://cloud-api.yandex.net
'''
