# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Connection options of the CloudUSS API family (action group clouduss).
    DOCUMENTATION = r'''
options:
  username:
    description:
      - CloudUSS login, used with O(password) to obtain a bearer token once per module run.
      - Accounts that require a second login factor are not supported.
      - If not set, the value of the E(CLOUDUSS_USERNAME) environment variable is used.
    type: str
  password:
    description:
      - Password for O(username). Sent as a form field in the request body, never in a URL; never logged.
      - If not set, the value of the E(CLOUDUSS_PASSWORD) environment variable is used.
    type: str
  access_token:
    description:
      - A bearer token obtained earlier; with O(account_id) it replaces O(username) and O(password).
      - If not set, the value of the E(CLOUDUSS_ACCESS_TOKEN) environment variable is used.
    type: str
  account_id:
    description:
      - The account id (C(accounts_id) of the login answer) that goes with O(access_token).
      - If not set, the value of the E(CLOUDUSS_ACCOUNT_ID) environment variable is used.
    type: str
  api_url:
    description:
      - Base URL of the CloudUSS API.
      - If not set, the value of the E(CLOUDUSS_API_URL) environment variable is used.
    type: str
    default: https://apiv2.clouduss.com
'''
