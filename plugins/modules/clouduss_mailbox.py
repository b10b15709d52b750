#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: clouduss_mailbox
short_description: Add or remove mailboxes protected by CloudUSS
version_added: 0.1.0
description:
  - Adds email addresses to, or removes them from, the mailboxes protected by the CloudUSS email security platform.
  - All addresses that need a change are added (or removed) in one request; nothing is sent when nothing changes.
  - Addresses are matched exactly and case-insensitively, although the API's search matches substrings,
    so V(bob@example.com) existing does not count as V(bob@example.co).
author: mailops.mailadmin contributors (@mailops)
options:
  email_address:
    description:
      - One address to manage.
      - Exactly one of O(email_address) and O(email_addresses) is required.
    type: str
    aliases: [email]
  email_addresses:
    description:
      - Several addresses to manage in one run (and one write request).
      - Duplicates are ignored, compared case-insensitively.
    type: list
    elements: str
  state:
    description:
      - V(present) adds the addresses that are missing; V(absent) removes those that exist.
    type: str
    choices: [present, absent]
    default: present
  executive:
    description:
      - Mark new mailboxes as executive (VIP) mailboxes.
      - Applied only when a mailbox is added. CloudUSS has no call that changes the flag of an existing
        mailbox, so an existing mailbox whose flag differs is left as it is and reported with a warning;
        remove and re-add it to change the flag.
    type: bool
    default: false
extends_documentation_fragment:
  - mailops.mailadmin.clouduss
  - mailops.mailadmin.connection
  - mailops.mailadmin.attributes
  - mailops.mailadmin.attributes.actiongroup_clouduss
notes:
  - When both O(access_token) and O(username) are set, the token is used and no login is made.
  - Reads are kept few - one search (all pages) per distinct domain of the requested addresses; when only one
    address of a domain is requested, that address itself is the search term.
  - After adding, the new records (with their new ids) are taken from the answer when it lists them, and read
    back with the same searches otherwise.
  - In check mode only reads are sent; predicted new records have RV(mailboxes[].id) and
    RV(mailboxes[].email_address_id) set to V(null) because CloudUSS assigns them.
  - Logging in with O(username) and O(password) happens once per run and is not a write, so it is sent in check mode too.
seealso:
  - module: mailops.mailadmin.clouduss_mailbox_info
'''

EXAMPLES = r'''
- name: Protect mailboxes with CloudUSS
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/mailops.mailadmin.clouduss:
      username: "{{ clouduss_username }}"
      password: "{{ clouduss_password }}"
  tasks:
    - name: Register a new employee's address
      mailops.mailadmin.clouduss_mailbox:
        email_address: jane.doe@example.com

    - name: Register the board as executive mailboxes, in one request
      mailops.mailadmin.clouduss_mailbox:
        email_addresses:
          - ceo@example.com
          - cfo@example.com
        executive: true

    - name: Remove a leaver's address
      mailops.mailadmin.clouduss_mailbox:
        email: john.roe@example.com
        state: absent
'''

RETURN = r'''
mailboxes:
  description:
    - The mailboxes added or removed (or that would be, in check mode); empty when nothing changed.
    - O(executive) and RV(mailboxes[].is_ad_mailbox) are booleans; ids are integers as CloudUSS gives them,
      V(null) for mailboxes not yet created (check mode).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The mailbox id.
      type: int
      sample: 12182348
    email_address_id:
      description: The id of the mailbox's address.
      type: int
      sample: 12503482
    email_address:
      description: The address.
      type: str
      sample: jane.doe@example.com
    executive:
      description: Whether it is an executive (VIP) mailbox.
      type: bool
      sample: false
    realname:
      description: The display name, stripped (CloudUSS sends a single space for none).
      type: str
      sample: Jane Doe
    is_ad_mailbox:
      description: Whether the mailbox came from a directory synchronisation.
      type: bool
      sample: false
  sample:
    - id: 12190001
      email_address_id: 12510001
      email_address: jane.doe@example.com
      executive: false
      realname: ""
      is_ad_mailbox: false
unchanged_addresses:
  description: The requested addresses that needed no change, as given.
  returned: always
  type: list
  elements: str
  sample: [ceo@example.com]
'''

from ansible_collections.mailops.mailadmin.plugins.module_utils._http import MailadminError
from ansible_collections.mailops.mailadmin.plugins.module_utils._module import MailadminModule
from ansible_collections.mailops.mailadmin.plugins.module_utils._clouduss import (
    CloudUssConnection, plan_mailboxes, predicted_mailbox, validate_address,
)


def requested_addresses(params):
    if params['email_address'] is not None:
        return [validate_address(params['email_address'])]
    if not params['email_addresses']:
        raise MailadminError('email_addresses must name at least one address')
    return [validate_address(address) for address in params['email_addresses']]


def run(m):
    params = m.params
    addresses = requested_addresses(params)
    state, executive = params['state'], params['executive']
    conn = CloudUssConnection(m)
    plan = plan_mailboxes(addresses, conn.find(addresses), state, executive)

    for record in plan['executive_mismatch']:
        flags = (str(record['executive']).lower(), str(bool(executive)).lower())
        m.warn('CloudUSS mailbox %s exists with executive=%s, not %s as requested; CloudUSS has no call '
               'that changes the flag of an existing mailbox, so it was left as it is (remove and add it '
               'again to change it)' % ((record['email_address'],) + flags))

    changed = bool(plan['add'] or plan['remove'])
    if plan['add']:
        if m.check_mode:
            affected = [predicted_mailbox(address, executive) for address in plan['add']]
        else:
            affected = conn.add(plan['add'], executive)
    elif plan['remove']:
        affected = plan['remove']
        if not m.check_mode:
            conn.remove(plan['remove'])
    else:
        affected = []

    return m.result(changed, before=dict(email_addresses=plan['before']),
                    after=dict(email_addresses=plan['after']),
                    mailboxes=affected, unchanged_addresses=plan['unchanged'])


def main():
    MailadminModule(
        'clouduss',
        dict(
            email_address=dict(type='str', aliases=['email']),
            email_addresses=dict(type='list', elements='str'),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
            executive=dict(type='bool', default=False),
        ),
        mutually_exclusive=[('email_address', 'email_addresses')],
        required_one_of=[('email_address', 'email_addresses')],
    ).run(run)


if __name__ == '__main__':
    main()
