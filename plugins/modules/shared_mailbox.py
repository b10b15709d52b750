#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: shared_mailbox
short_description: Create, rename or delete a Yandex 360 shared mailbox
version_added: 0.1.0
description:
  - Creates a shared mailbox of a Yandex 360 for Business organization, changes its name or
    description, or deletes it.
  - "B(Deleting a shared mailbox deletes all of its mail), and everyone's access to it, for good:
    there is no undo. The result carries a warning whenever the module deletes one."
  - Who can reach a shared mailbox is managed with M(mailops.mailadmin.mailbox_access).
author: mailops.mailadmin contributors (@mailops)
options:
  mailbox:
    description:
      - The shared mailbox's address, matched case-insensitively. For an existing mailbox its id
        works too; a new one needs its address.
      - The address of a new mailbox must be on one of the organization's domains and free. An
        address (or id, or login) that belongs to a person fails before anything is sent, in both
        states, as does a group's or department's mailing-list address when creating.
    type: str
    required: true
    aliases: [email]
  name:
    description:
      - The mailbox's display name. Required to create one; must not be empty.
      - When omitted, an existing mailbox keeps its name.
    type: str
  description:
    description:
      - A description of the mailbox. A new mailbox gets an empty one when omitted.
      - When omitted, an existing mailbox keeps its description; V('') clears it.
    type: str
  state:
    description:
      - V(present) creates the mailbox, or updates its name and description where given and different.
      - V(absent) deletes the mailbox B(and all its mail).
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - mailops.mailadmin.y360
  - mailops.mailadmin.connection
  - mailops.mailadmin.attributes
  - mailops.mailadmin.attributes.actiongroup_y360
notes:
  - Needs the OAuth scopes C(ya360_admin:mail_read_shared_mailbox_inventory),
    C(ya360_admin:mail_write_shared_mailbox_inventory) and C(directory:read_users) (plus
    C(directory:read_groups) and C(directory:read_departments) to create one).
  - The address of a shared mailbox cannot be changed; to move one, create a new mailbox.
  - The organization may hold at most 2,500 shared mailboxes.
  - A creation that met a server error, a timeout or a dropped connection is not sent again (had it
    been processed, the second attempt would find the address taken); run the task again, it finds
    the mailbox if it was created.
seealso:
  - module: mailops.mailadmin.shared_mailbox_info
  - module: mailops.mailadmin.mailbox_access
'''

EXAMPLES = r'''
- name: Create the support mailbox
  mailops.mailadmin.shared_mailbox:
    mailbox: support@example.com
    name: Support
    description: Customer support inbox
    token: "{{ y360_token }}"
    org_id: 1234567

- name: Create a mailbox and give the team access to it
  module_defaults:
    group/mailops.mailadmin.y360:
      token: "{{ y360_token }}"
      org_id: 1234567
  block:
    - name: Create the HR mailbox
      mailops.mailadmin.shared_mailbox:
        mailbox: hr@example.com
        name: HR

    - name: Let Alice own it
      mailops.mailadmin.mailbox_access:
        mailbox: hr@example.com
        actor: alice@example.com
        roles: [shared_mailbox_owner]

- name: Rename it, leaving its description as it is
  mailops.mailadmin.shared_mailbox:
    mailbox: hr@example.com
    name: People team
    token: "{{ y360_token }}"
    org_id: 1234567

- name: Delete it with all its mail (there is no undo)
  mailops.mailadmin.shared_mailbox:
    mailbox: hr@example.com
    state: absent
    token: "{{ y360_token }}"
    org_id: 1234567
'''

RETURN = r'''
mailbox:
  description:
    - The shared mailbox after the run (in check mode, as the run would leave it); null once
      deleted, or when it does not exist and O(state=absent).
  returned: success
  type: dict
  contains:
    id:
      description: The mailbox's id; null in check mode for a mailbox that would be created.
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
      description: Its description.
      type: str
      sample: Customer support inbox
changes:
  description:
    - What the run changed (or, in check mode, would change), as at most one change record of kind
      V(shared_mailbox) with the action V(create), V(update) (name or description) or V(delete).
    - C(before) and C(after) are C({name, description}), null on the side where the mailbox does not exist.
  returned: success
  type: list
  elements: dict
  sample:
    - service: y360
      kind: shared_mailbox
      action: update
      object: support@example.com
      subject: null
      before: {name: Support, description: Customer support inbox}
      after: {name: Customer care, description: Customer support inbox}
      summary: "change shared mailbox support@example.com: name from 'Support' to 'Customer care'"
      request_id: 0f1e2d3c4b5a69788796a5b4c3d2e1f0
  contains:
    service:
      description: Always V(y360).
      type: str
    kind:
      description: Always V(shared_mailbox).
      type: str
    action:
      description: V(create), V(update) or V(delete).
      type: str
    object:
      description: The mailbox's address.
      type: str
    subject:
      description: Always null.
      type: str
    before:
      description: C({name, description}) before the run, null when the mailbox did not exist.
      type: dict
    after:
      description: C({name, description}) after the run, null once deleted.
      type: dict
    summary:
      description: One sentence saying what changed.
      type: str
    request_id:
      description: The request id the API answered for the write; null in check mode or when it sent none.
      type: str
'''

from ansible_collections.mailops.mailadmin.plugins.module_utils._changes import with_request_id
from ansible_collections.mailops.mailadmin.plugins.module_utils._module import MailadminModule, require_non_empty
from ansible_collections.mailops.mailadmin.plugins.module_utils._shared_mailbox import (
    check_new_address, find_for_write, plan_shared_mailbox,
)
from ansible_collections.mailops.mailadmin.plugins.module_utils._y360 import Y360Connection

MAIL_LOSS_WARNING = ('%s the shared mailbox %s (id %s) with all its mail and everyone\'s access to it; '
                     'this cannot be undone')


def diff_view(details):
    """The diff's view of the managed state."""
    if details is None:
        return dict(state='absent')
    return dict(state='present', email=details['email'], name=details['name'],
                description=details['description'])


def apply(mailboxes, record, current, email):
    """Send the write of one change record: ``(details after, record with its request id)``."""
    after = record['after']
    if record['action'] == 'create':
        details, request_id = mailboxes.create_shared(email, after['name'], after['description'])
    elif record['action'] == 'update':
        details, request_id = mailboxes.update_shared(current['id'], after['name'], after['description'])
    else:
        details, request_id = mailboxes.delete_shared(current['id'])
    return details, with_request_id(record, request_id)


def run(m):
    params = m.params
    ref = require_non_empty(params['mailbox'], 'mailbox')
    name, description, state = params['name'], params['description'], params['state']
    if name is not None and not name.strip():
        m.fail('name must not be empty: a shared mailbox needs a name')
    conn = Y360Connection(m)
    current = find_for_write(conn.directory, ref)
    if current is None and state == 'present':
        if ref.isdigit():
            m.fail('No shared mailbox of organization %s has the id %s; to create one, give its address'
                   % (conn.org_id, ref), reference=ref)
        if name is None:
            m.fail('name is required to create the shared mailbox %s' % ref, reference=ref)
        check_new_address(conn.directory, ref)
    email = current['email'] if current is not None else ref

    changes = plan_shared_mailbox(email, current, state, name, description)
    after = current
    if changes:
        record = changes[0]
        if record['action'] == 'delete':
            m.warn(MAIL_LOSS_WARNING % ('Would delete' if m.check_mode else 'Deleted', email, current['id']))
        if m.check_mode:
            after = None if record['after'] is None else dict(
                id=current['id'] if current else None, email=email, **record['after'])
        else:
            after, done = apply(conn.mailboxes, record, current, email)
            changes = [done]

    mailbox = None if after is None else dict(id=after['id'], email=after['email'], name=after['name'],
                                              description=after['description'])
    return m.changes_result(changes, diff_view(current), diff_view(after), mailbox=mailbox)


def main():
    MailadminModule('y360', dict(
        mailbox=dict(type='str', required=True, aliases=['email']),
        name=dict(type='str'),
        description=dict(type='str'),
        state=dict(type='str', default='present', choices=['present', 'absent']),
    )).run(run)


if __name__ == '__main__':
    main()
