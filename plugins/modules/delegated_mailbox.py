#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: delegated_mailbox
short_description: Turn delegation of a person's own Yandex 360 mailbox on or off
version_added: 0.1.0
description:
  - Enables or disables delegation of a person's own mailbox in a Yandex 360 for Business organization.
  - Other people can be given access to a person's mailbox (with M(mailops.mailadmin.mailbox_access))
    only while its delegation is on.
  - Turning delegation off removes everyone's access to the mailbox. The module reads who has access
    first, so the diff and RV(removed_actors) name everyone who loses it, in check mode too.
author: mailops.mailadmin contributors (@mailops)
options:
  mailbox:
    description:
      - The person whose own mailbox is meant, by user id, login, or email address (primary or alias),
        matched case-insensitively.
      - A shared mailbox is an error here; shared mailboxes need no delegation.
    type: str
    required: true
    aliases: [owner, resource_id]
  state:
    description:
      - V(present) turns delegation on, V(absent) turns it off (and removes everyone's access).
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - mailops.mailadmin.y360
  - mailops.mailadmin.connection
  - mailops.mailadmin.attributes
  - mailops.mailadmin.attributes.actiongroup_y360
notes:
  - Whether delegation is on is read from the organization's list of delegated mailboxes, all pages.
  - Enabling delegation counts against the organization's limit of 2,500 delegated mailboxes even
    before anyone has access.
seealso:
  - module: mailops.mailadmin.delegated_mailbox_info
  - module: mailops.mailadmin.mailbox_access
  - module: mailops.mailadmin.mailbox_access_info
'''

EXAMPLES = r'''
- name: Let colleagues be given access to Alice's mailbox
  mailops.mailadmin.delegated_mailbox:
    mailbox: alice@example.com
    token: "{{ y360_token }}"
    org_id: 1234567

- name: Turn delegation off for a leaver (everyone loses access)
  module_defaults:
    group/mailops.mailadmin.y360:
      token: "{{ y360_token }}"
      org_id: 1234567
  block:
    - name: Disable delegation of Bob's mailbox
      mailops.mailadmin.delegated_mailbox:
        mailbox: bob
        state: absent
      register: bob_delegation

    - name: Show who lost access
      ansible.builtin.debug:
        msg: "{{ bob_delegation.removed_actors | map(attribute='email') | list }}"
'''

RETURN = r'''
changes:
  description:
    - The change records of the run, one per change made (or, in check mode, that a real run would make);
      empty when nothing changes, and C(changed) is true exactly when it is not empty.
    - Removals first, then by RV(changes[].object) and RV(changes[].subject). A check-mode run and the real run
      after it list the same records, apart from RV(changes[].request_id).
    - Also returned when the module fails half way, listing what was sent before the failure.
  returned: always
  type: list
  elements: dict
  contains:
    service:
      description: V(y360) or V(clouduss).
      type: str
    kind:
      description: V(delegation), V(mailbox_access), V(mail_list_sender), V(shared_mailbox), V(mail_forward),
        V(mail_autoreply) or V(clouduss_mailbox).
      type: str
    action:
      description: V(create), V(update) or V(delete).
      type: str
    object:
      description: The thing changed, by its address where one exists.
      type: str
    subject:
      description: Whom the change is about (the actor's address for access), or V(null).
      type: str
    before:
      description: The managed value before the change (V(null) where it did not exist).
      type: raw
    after:
      description: The managed value after the change (V(null) where it no longer exists).
      type: raw
    summary:
      description: One sentence a person reads.
      type: str
    request_id:
      description: The request id the API answered for the write; V(null) in check mode or when the API sent none.
      type: str
  sample:
    - service: y360
      kind: mailbox_access
      action: create
      object: support@example.com
      subject: dave@example.com
      before: null
      after: [shared_mailbox_reader, shared_mailbox_sender]
      summary: grant shared_mailbox_reader, shared_mailbox_sender on support@example.com to dave@example.com
      request_id: 6f1c2d3e-0000-4000-8000-000000000001
mailbox:
  description: The mailbox after the run (in check mode, as the run would leave it).
  returned: success
  type: dict
  contains:
    resource_id:
      description: Id of the mailbox, which is its owner's user id.
      type: str
      sample: "1130000000000001"
    email:
      description: The owner's primary address.
      type: str
      sample: alice@example.com
    delegated:
      description: Whether delegation is on.
      type: bool
      sample: true
removed_actors:
  description:
    - The people who lost (or, in check mode, would lose) access because delegation was turned off,
      sorted by address. Empty when nobody did.
  returned: success
  type: list
  elements: dict
  sample: [{actor_id: "1130000000000004", email: dave@example.com, roles: [shared_mailbox_reader]}]
  contains:
    actor_id:
      description: User id of the person.
      type: str
      sample: "1130000000000004"
    email:
      description: Their primary address (empty when the directory does not know the id).
      type: str
      sample: dave@example.com
    roles:
      description: The roles they held, sorted.
      type: list
      elements: str
      sample: [shared_mailbox_reader]
'''

from ansible_collections.mailops.mailadmin.plugins.module_utils import _access_engine as engine
from ansible_collections.mailops.mailadmin.plugins.module_utils._access import access_list
from ansible_collections.mailops.mailadmin.plugins.module_utils._access_view import (
    actors_view, delegation_action, emails_by_id, resolve_delegation_owner,
)
from ansible_collections.mailops.mailadmin.plugins.module_utils._module import MailadminModule, require_non_empty
from ansible_collections.mailops.mailadmin.plugins.module_utils._y360 import Y360Connection


def run(m):
    ref = require_non_empty(m.params['mailbox'], 'mailbox')
    conn = Y360Connection(m)
    owner = resolve_delegation_owner(conn.directory, ref)
    resource_id = owner['id']
    delegated = conn.mailboxes.is_delegated(resource_id)
    action = delegation_action(m.params['state'], delegated)

    emails = emails_by_id(conn.directory.users())
    # Nobody can have access while delegation is off; when it is on, read who has access only
    # when someone will lose it or the diff shows it.
    actors = {}
    if delegated and (action == 'disable' or m.diff_mode):
        actors = conn.mailboxes.actors(resource_id)
    removed_actors = access_list(actors, emails) if action == 'disable' else []

    plan = engine.AccessPlan(emails)
    plan.add(owner, actors, enable=action == 'enable', disable=action == 'disable')
    records = plan.records()
    if plan and not m.check_mode:
        records = engine.apply(conn, plan, reach={})[0]

    delegated_after = delegated if action is None else action == 'enable'
    before = dict(delegated=delegated, actors=actors_view(actors, emails))
    after = dict(delegated=delegated_after, actors={} if action == 'disable' else before['actors'])
    return m.changes_result(
        records, before, after,
        mailbox=dict(resource_id=resource_id, email=owner['email'], delegated=delegated_after),
        removed_actors=removed_actors,
    )


def main():
    MailadminModule('y360', dict(
        mailbox=dict(type='str', required=True, aliases=['owner', 'resource_id']),
        state=dict(type='str', default='present', choices=['present', 'absent']),
    )).run(run)


if __name__ == '__main__':
    main()
