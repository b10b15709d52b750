#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: shared_mailbox_info
short_description: List the shared mailboxes of a Yandex 360 organization
version_added: 0.1.0
description:
  - Lists every shared mailbox of a Yandex 360 for Business organization (all pages) with its
    address, name, description and how many people can reach it.
  - The API lists shared mailboxes by id only; their details are read one request per mailbox,
    several at once.
  - With O(mailbox), only that mailbox.
author: mailops.mailadmin contributors (@mailops)
options:
  mailbox:
    description:
      - Only this shared mailbox, by id or address (matched case-insensitively).
      - A reference that matches no shared mailbox fails the task, naming it; so does a person's
        id, login or address.
    type: str
extends_documentation_fragment:
  - mailops.mailadmin.y360
  - mailops.mailadmin.connection
  - mailops.mailadmin.attributes.info_module
  - mailops.mailadmin.attributes.actiongroup_y360
notes:
  - Needs the OAuth scope C(ya360_admin:mail_read_shared_mailbox_inventory) (plus C(directory:read_users)
    with O(mailbox)).
seealso:
  - module: mailops.mailadmin.shared_mailbox
  - module: mailops.mailadmin.mailbox_access_info
'''

EXAMPLES = r'''
- name: List every shared mailbox
  mailops.mailadmin.shared_mailbox_info:
    token: "{{ y360_token }}"
    org_id: 1234567
  register: shared

- name: Shared mailboxes nobody can reach
  ansible.builtin.debug:
    msg: "{{ shared.mailboxes | selectattr('actors_count', 'equalto', 0) | map(attribute='email') | list }}"

- name: Read one shared mailbox
  mailops.mailadmin.shared_mailbox_info:
    mailbox: support@example.com
    token: "{{ y360_token }}"
    org_id: 1234567
  register: support
'''

RETURN = r'''
mailboxes:
  description: The shared mailboxes, sorted by address (then id).
  returned: success
  type: list
  elements: dict
  sample:
    - id: "1130000000000501"
      email: support@example.com
      name: Support
      description: Customer support inbox
      actors_count: 2
  contains:
    id:
      description: The mailbox's id.
      type: str
      sample: "1130000000000501"
    email:
      description: Its address.
      type: str
      sample: support@example.com
    name:
      description: Its name.
      type: str
      sample: Support
    description:
      description: Its description (empty when it has none).
      type: str
      sample: Customer support inbox
    actors_count:
      description: How many people can reach it, as the API counts them.
      type: int
      sample: 2
'''

from ansible_collections.mailops.mailadmin.plugins.module_utils._http import MailadminError
from ansible_collections.mailops.mailadmin.plugins.module_utils._module import MailadminModule, require_non_empty
from ansible_collections.mailops.mailadmin.plugins.module_utils._y360 import Y360Connection


def row(details, counts):
    return dict(id=details['id'], email=details['email'], name=details['name'],
                description=details['description'], actors_count=counts.get(details['id'], 0))


def find_one(directory, ref):
    """The one shared mailbox ``ref`` names; fails naming ``ref`` when it names a person or nothing."""
    user = directory.find_user(ref)
    if user is not None:
        raise MailadminError(
            'mailbox %r is the own mailbox of the person %s (user id %s), not a shared mailbox; see '
            'mailops.mailadmin.delegated_mailbox_info' % (ref, user['email'] or user['nickname'], user['id']),
            reference=str(ref))
    details = directory.find_shared(ref)
    if details is None:
        raise MailadminError('Unknown shared mailbox %r: no shared mailbox of organization %s has this id '
                             'or address' % (ref, directory.conn.org_id), reference=str(ref))
    return details


def run(m):
    ref = require_non_empty(m.params['mailbox'], 'mailbox')
    conn = Y360Connection(m)
    counts = conn.mailboxes.shared()
    if ref is None:
        found = conn.directory.all_shared()
    else:
        found = [find_one(conn.directory, ref)]
    return m.result(False, mailboxes=[row(details, counts) for details in found])


def main():
    MailadminModule('y360', dict(
        mailbox=dict(type='str'),
    )).run(run)


if __name__ == '__main__':
    main()
