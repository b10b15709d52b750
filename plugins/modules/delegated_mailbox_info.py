#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: delegated_mailbox_info
short_description: List the Yandex 360 mailboxes whose delegation is on
version_added: 0.1.0
description:
  - Lists every person's mailbox of a Yandex 360 for Business organization whose delegation is on,
    with how many people have access to it. Reads all pages.
  - With O(mailbox), only that person's mailbox, or nothing when its delegation is off.
author: mailops.mailadmin contributors (@mailops)
options:
  mailbox:
    description:
      - Only this person's mailbox, by user id, login, or email address (primary or alias), matched
        case-insensitively.
      - A reference that matches nobody fails the task; a person whose delegation is off gives an
        empty list.
    type: str
extends_documentation_fragment:
  - mailops.mailadmin.y360
  - mailops.mailadmin.connection
  - mailops.mailadmin.attributes.info_module
  - mailops.mailadmin.attributes.actiongroup_y360
seealso:
  - module: mailops.mailadmin.delegated_mailbox
  - module: mailops.mailadmin.mailbox_access_info
'''

EXAMPLES = r'''
- name: List every delegated mailbox
  mailops.mailadmin.delegated_mailbox_info:
    token: "{{ y360_token }}"
    org_id: 1234567
  register: delegated

- name: Is delegation of Alice's mailbox on?
  module_defaults:
    group/mailops.mailadmin.y360:
      token: "{{ y360_token }}"
      org_id: 1234567
  block:
    - name: Read Alice's delegated mailbox
      mailops.mailadmin.delegated_mailbox_info:
        mailbox: alice@example.com
      register: alice

    - name: Report
      ansible.builtin.debug:
        msg: "{{ 'on' if alice.mailboxes else 'off' }}"
'''

RETURN = r'''
mailboxes:
  description: The delegated mailboxes, sorted by address.
  returned: success
  type: list
  elements: dict
  sample: [{resource_id: "1130000000000001", email: alice@example.com, actors_count: 1}]
  contains:
    resource_id:
      description: Id of the mailbox, which is its owner's user id.
      type: str
      sample: "1130000000000001"
    email:
      description: The owner's primary address (empty when the directory does not know the id).
      type: str
      sample: alice@example.com
    actors_count:
      description: How many people have access to the mailbox, as the API counts them.
      type: int
      sample: 1
'''

from ansible_collections.mailops.mailadmin.plugins.module_utils._access_view import (
    emails_by_id, resolve_delegation_owner,
)
from ansible_collections.mailops.mailadmin.plugins.module_utils._module import MailadminModule, require_non_empty
from ansible_collections.mailops.mailadmin.plugins.module_utils._y360 import Y360Connection


def run(m):
    ref = require_non_empty(m.params['mailbox'], 'mailbox')
    conn = Y360Connection(m)
    wanted = resolve_delegation_owner(conn.directory, ref)['id'] if ref is not None else None
    emails = emails_by_id(conn.directory.users())
    mailboxes = [
        dict(resource_id=resource_id, email=emails.get(resource_id, ''), actors_count=count)
        for resource_id, count in conn.mailboxes.delegated().items()
        if wanted is None or resource_id == wanted
    ]
    mailboxes.sort(key=lambda row: (row['email'].lower(), row['resource_id']))
    return m.result(False, mailboxes=mailboxes)


def main():
    MailadminModule('y360', dict(
        mailbox=dict(type='str'),
    )).run(run)


if __name__ == '__main__':
    main()
