# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Connection options of the legacy Yandex PDD API family (action group pdd).
    DOCUMENTATION = r'''
options:
  token:
    description:
      - The domain administrator's PDD token, sent as the C(PddToken) header; never logged.
      - If not set, the value of the E(PDD_TOKEN) environment variable is used.
    type: str
    required: true
  api_url:
    description:
      - Base URL of the PDD API (the service was switched off in 2023; point this at a mirror).
      - If not set, the value of the E(PDD_API_URL) environment variable is used.
    type: str
    default: https://pddimp.yandex.ru
'''
