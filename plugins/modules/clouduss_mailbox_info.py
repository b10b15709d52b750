#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: clouduss_mailbox_info
short_description: List the mailboxes protected by CloudUSS
version_added: 0.1.0
description:
  - Lists the mailboxes protected by the CloudUSS email security platform, reading every page.
author: mailops.mailadmin contributors (@mailops)
options:
  search:
    description:
      - Only mailboxes that match this text, using the API's own search, which matches substrings
        (V(example.com) finds every mailbox of that domain).
      - Mutually exclusive with O(email_address).
    type: str
  email_address:
    description:
      - Only the mailbox with exactly this address, compared case-insensitively.
      - Mutually exclusive with O(search).
    type: str
    aliases: [email]
extends_documentation_fragment:
  - mailops.mailadmin.clouduss
  - mailops.mailadmin.connection
  - mailops.mailadmin.attributes.info_module
  - mailops.mailadmin.attributes.actiongroup_clouduss
notes:
  - When both O(access_token) and O(username) are set, the token is used and no login is made.
  - Without O(search) and O(email_address), every mailbox of the account is listed.
seealso:
  - module: mailops.mailadmin.clouduss_mailbox
'''

EXAMPLES = r'''
- name: Audit CloudUSS
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/mailops.mailadmin.clouduss:
      access_token: "{{ clouduss_access_token }}"
      account_id: "{{ clouduss_account_id }}"
  tasks:
    - name: List every protected mailbox
      mailops.mailadmin.clouduss_mailbox_info:
      register: uss_all

    - name: List the mailboxes of one domain
      mailops.mailadmin.clouduss_mailbox_info:
        search: acme-corp.net
      register: uss_acme

    - name: Is this address protected?
      mailops.mailadmin.clouduss_mailbox_info:
        email_address: bob@example.com
      register: uss_bob

    - name: Show the executive mailboxes
      ansible.builtin.debug:
        msg: "{{ uss_all.mailboxes | selectattr('executive') | map(attribute='email_address') | list }}"
'''

RETURN = r'''
mailboxes:
  description: The mailboxes found, from every page; empty when none matches.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The mailbox id, an integer as CloudUSS gives it.
      type: int
      sample: 12182348
    email_address_id:
      description: The id of the mailbox's address, an integer as CloudUSS gives it.
      type: int
      sample: 12503482
    email_address:
      description: The address.
      type: str
      sample: alice@example.com
    executive:
      description: Whether it is an executive (VIP) mailbox.
      type: bool
      sample: true
    realname:
      description: The display name, stripped (CloudUSS sends a single space for none).
      type: str
      sample: Alice Smith
    is_ad_mailbox:
      description: Whether the mailbox came from a directory synchronisation.
      type: bool
      sample: true
  sample:
    - id: 12182348
      email_address_id: 12503482
      email_address: alice@example.com
      executive: true
      realname: ""
      is_ad_mailbox: true
total:
  description: The number of mailboxes returned.
  returned: always
  type: int
  sample: 25
'''

from ansible_collections.mailops.mailadmin.plugins.module_utils._module import MailadminModule, require_non_empty
from ansible_collections.mailops.mailadmin.plugins.module_utils._clouduss import CloudUssConnection, validate_address


def run(m):
    params = m.params
    search = require_non_empty(params['search'], 'search')
    email_address = validate_address(params['email_address']) if params['email_address'] is not None else None
    conn = CloudUssConnection(m)
    if email_address is not None:
        mailboxes = list(conn.find([email_address]).values())
    else:
        mailboxes = conn.mailboxes(search)
    return m.result(False, mailboxes=mailboxes, total=len(mailboxes))


def main():
    MailadminModule(
        'clouduss',
        dict(
            search=dict(type='str'),
            email_address=dict(type='str', aliases=['email']),
        ),
        mutually_exclusive=[('search', 'email_address')],
    ).run(run)


if __name__ == '__main__':
    main()
