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
  - All addresses that need adding are added in one request, and all that need removing are removed in one
    request (the removal first when a run does both); nothing is sent when nothing changes.
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
      - Several addresses to manage in one run (and one write request per kind of change).
      - Each item is an address, or a dict with the keys C(email_address) (required) and C(executive)
        (a boolean that replaces O(executive) for this address when it is added).
      - Duplicates are ignored, compared case-insensitively; the same address asked with two different
        C(executive) flags fails before any request.
      - May be V([]) only with O(exclusive=true), which then removes every registered address.
    type: list
    elements: raw
  state:
    description:
      - V(present) adds the addresses that are missing; V(absent) removes those that exist.
    type: str
    choices: [present, absent]
    default: present
  executive:
    description:
      - Mark new mailboxes as executive (VIP) mailboxes; a dict item of O(email_addresses) may set its own flag.
      - Applied only when a mailbox is added. CloudUSS has no call that changes the flag of an existing
        mailbox, so an existing mailbox whose flag differs is left as it is and reported with a warning;
        remove and re-add it to change the flag.
    type: bool
    default: false
  exclusive:
    description:
      - With V(true), the registered mailboxes become exactly O(email_addresses) - every registered address not
        listed is removed, in the same one C(DELETE) request. This reads the full list of registered mailboxes
        (all pages) instead of searching for the listed addresses.
      - Only with O(email_addresses) and O(state=present).
    type: bool
    default: false
  max_removals:
    description:
      - When a run would remove more mailboxes than this (with O(exclusive=true) or O(state=absent)), it fails
        before any write, naming the count.
      - V(-1) means no limit.
    type: int
    default: 20
extends_documentation_fragment:
  - mailops.mailadmin.clouduss
  - mailops.mailadmin.connection
  - mailops.mailadmin.attributes
  - mailops.mailadmin.attributes.actiongroup_clouduss
notes:
  - When both O(access_token) and O(username) are set, the token is used and no login is made.
  - Reads are kept few - one search (all pages) per distinct domain of the requested addresses; when only one
    address of a domain is requested, that address itself is the search term. With O(exclusive=true) the whole
    list is read once instead.
  - When one run both removes and adds (O(exclusive=true)) and the second request fails, the failure result's
    C(changes) lists the removal that was already made.
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

    - name: Register exactly these mailboxes (the CEO as an executive); remove every other registration
      mailops.mailadmin.clouduss_mailbox:
        email_addresses:
          - email_address: ceo@example.com
            executive: true
          - jane.doe@example.com
          - support@example.com
        exclusive: true
        max_removals: 5
'''

RETURN = r'''
mailboxes:
  description:
    - The mailboxes removed, then those added (or that would be, in check mode); empty when nothing changed.
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
changes:
  description:
    - One change record per address added or removed (that would be, in check mode); V([]) when nothing changes.
      C(changed) is true exactly when this list is not empty.
    - Removals come first, then by address. A check-mode run returns the same list as the real run that follows
      it, except RV(changes[].request_id).
  returned: always
  type: list
  elements: dict
  contains:
    service:
      description: Always V(clouduss).
      type: str
      sample: clouduss
    kind:
      description: Always V(clouduss_mailbox).
      type: str
      sample: clouduss_mailbox
    action:
      description: V(create) for an address registered, V(delete) for an address removed.
      type: str
      choices: [create, delete]
      sample: create
    object:
      description: The address.
      type: str
      sample: jane.doe@example.com
    subject:
      description: Always V(null).
      type: str
      sample: null
    before:
      description: C({executive}) of the registered mailbox before the run; V(null) when it was not registered.
      type: dict
      sample: null
    after:
      description: C({executive}) of the mailbox after the run; V(null) once removed.
      type: dict
      sample: {executive: false}
    summary:
      description: The change in one sentence.
      type: str
      sample: register jane.doe@example.com in CloudUSS
    request_id:
      description:
        - The C(X-Request-Id) of the C(POST) (additions) or C(DELETE) (removals) answer; V(null) in check mode
          or when CloudUSS sent none.
      type: str
      sample: null
  sample:
    - service: clouduss
      kind: clouduss_mailbox
      action: delete
      object: john.roe@example.com
      subject: null
      before: {executive: false}
      after: null
      summary: remove john.roe@example.com from CloudUSS
      request_id: null
    - service: clouduss
      kind: clouduss_mailbox
      action: create
      object: ceo@example.com
      subject: null
      before: null
      after: {executive: true}
      summary: register ceo@example.com in CloudUSS as an executive mailbox
      request_id: null
unchanged_addresses:
  description: The requested addresses that needed no change, as given.
  returned: always
  type: list
  elements: str
  sample: [ceo@example.com]
'''

from ansible_collections.mailops.mailadmin.plugins.module_utils._changes import count_removals
from ansible_collections.mailops.mailadmin.plugins.module_utils._http import MailadminError
from ansible_collections.mailops.mailadmin.plugins.module_utils._module import MailadminModule
from ansible_collections.mailops.mailadmin.plugins.module_utils._clouduss import (
    CloudUssConnection, plan_mailboxes, predicted_mailbox, wanted_mailboxes,
)


def requested_mailboxes(params):
    """The wanted ``[{email_address, executive}]``; every check that needs no request."""
    if params['max_removals'] < -1:
        raise MailadminError('max_removals must be -1 (no limit) or a count of 0 or more, not %s'
                             % params['max_removals'])
    if params['exclusive'] and (params['email_addresses'] is None or params['state'] != 'present'):
        raise MailadminError('exclusive=true needs email_addresses and state=present')
    if params['email_address'] is not None:
        return wanted_mailboxes([params['email_address']], params['executive'])
    if not params['email_addresses'] and not params['exclusive']:
        raise MailadminError('email_addresses must name at least one address (or use exclusive=true to '
                             'remove every registered address)')
    return wanted_mailboxes(params['email_addresses'], params['executive'])


def check_removals(changes, max_removals):
    removals = count_removals(changes)
    if 0 <= max_removals < removals:
        raise MailadminError('This run would remove %d CloudUSS mailboxes, more than max_removals=%d; nothing was '
                             'changed. Raise max_removals (-1 for no limit) if this is intended.'
                             % (removals, max_removals), removals=removals)


def run(m):
    params = m.params
    wanted = requested_mailboxes(params)
    state, exclusive = params['state'], params['exclusive']
    conn = CloudUssConnection(m)
    addresses = [item['email_address'] for item in wanted]
    if exclusive:
        existing = conn.all_mailboxes()
    else:
        existing = conn.find(addresses) if addresses else {}
    plan = plan_mailboxes(wanted, existing, state, exclusive)
    check_removals(plan['changes'], params['max_removals'])

    for record in plan['executive_mismatch']:
        flags = (str(record['executive']).lower(), str(not record['executive']).lower())
        m.warn('CloudUSS mailbox %s exists with executive=%s, not %s as requested; CloudUSS has no call '
               'that changes the flag of an existing mailbox, so it was left as it is (remove and add it '
               'again to change it)' % ((record['email_address'],) + flags))

    if m.check_mode:
        affected = plan['remove'] + [predicted_mailbox(item['email_address'], item['executive'])
                                     for item in plan['add']]
        changes = plan['changes']
    else:
        affected, changes = conn.apply(plan)

    return m.changes_result(changes, before=dict(email_addresses=plan['before']),
                            after=dict(email_addresses=plan['after']),
                            mailboxes=affected, unchanged_addresses=plan['unchanged'])


def main():
    MailadminModule(
        'clouduss',
        dict(
            email_address=dict(type='str', aliases=['email']),
            email_addresses=dict(type='list', elements='raw'),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
            executive=dict(type='bool', default=False),
            exclusive=dict(type='bool', default=False),
            max_removals=dict(type='int', default=20),
        ),
        mutually_exclusive=[('email_address', 'email_addresses')],
        required_one_of=[('email_address', 'email_addresses')],
    ).run(run)


if __name__ == '__main__':
    main()
