#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: mail_forward
short_description: Forward a person's new Yandex 360 mail to another address of the organization
version_added: 0.1.0
description:
  - Creates or removes a forwarding rule on a person's own mailbox in a Yandex 360 for Business
    organization, for example to hand a leaver's mail over to a successor.
  - There is one rule per person and target address. The API cannot change a rule, so a rule whose
    O(keep_copy) differs is deleted and created again; RV(changes) shows that as one V(update).
  - B(The API lists only rules an administrator created through the API.) Rules people made
    themselves in the mail interface are invisible to it, so this module neither sees nor changes them.
author: mailops.mailadmin contributors (@mailops)
options:
  user:
    description:
      - The person whose mail is forwarded, by user id, login, or email address (primary or alias),
        matched case-insensitively.
      - A shared mailbox or a mailing list is an error here.
    type: str
    required: true
  address:
    description:
      - Where the mail goes. Yandex 360 forwards only to addresses of the organization's own domains,
        without confirmation; the module checks before any write that the address is on one of them
        and belongs to a person, a mailing list or a shared mailbox of the organization (not to O(user)).
      - Compared case-insensitively with the address of existing rules.
    type: str
    required: true
  keep_copy:
    description:
      - Whether a copy of each forwarded message stays in O(user)'s mailbox (the API's C(withStore)).
    type: bool
    default: true
  name:
    description:
      - The rule's name, used when the rule is created.
      - When omitted, a new rule is named C(forward to <address>) and a rule that is replaced keeps its name.
      - The name of an existing rule whose O(keep_copy) already matches is left as it is.
    type: str
  state:
    description:
      - V(present) makes sure the rule exists with this O(keep_copy); V(absent) removes every rule
        of O(user) that forwards to O(address).
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - mailops.mailadmin.y360
  - mailops.mailadmin.connection
  - mailops.mailadmin.attributes
  - mailops.mailadmin.attributes.actiongroup_y360
notes:
  - Needs the OAuth scopes C(ya360_admin:mail_read_user_settings) and C(ya360_admin:mail_write_user_settings).
  - When a replacement's delete succeeds and its create fails, the task fails saying that the old
    rule was removed, and its RV(changes) holds the V(delete) that was done. Running the task again
    creates the rule.
seealso:
  - module: mailops.mailadmin.mail_autoreply
'''

EXAMPLES = r'''
- name: Forward a leaver's mail to their successor, keeping a copy
  mailops.mailadmin.mail_forward:
    user: bob@example.com
    address: carol@example.com
    token: "{{ y360_token }}"
    org_id: 1234567

- name: Forward without keeping a copy, with credentials from module_defaults
  module_defaults:
    group/mailops.mailadmin.y360:
      token: "{{ y360_token }}"
      org_id: 1234567
  mailops.mailadmin.mail_forward:
    user: bob
    address: support@example.com
    keep_copy: false
    name: hand-over to support

- name: Stop forwarding Bob's mail to Carol
  mailops.mailadmin.mail_forward:
    user: bob@example.com
    address: carol@example.com
    state: absent
    token: "{{ y360_token }}"
    org_id: 1234567
'''

RETURN = r'''
rule:
  description:
    - The forwarding rule after the run (in check mode, as the run would leave it); null when there is none.
  returned: success
  type: dict
  contains:
    rule_id:
      description: The rule's id; null in check mode for a rule not created yet.
      type: str
      sample: "5500000000000002"
    name:
      description: The rule's name.
      type: str
      sample: forward to carol@example.com
    address:
      description: Where the mail goes.
      type: str
      sample: carol@example.com
    keep_copy:
      description: Whether a copy stays in the person's mailbox.
      type: bool
      sample: true
changes:
  description:
    - The change records of the run (empty when nothing changed), the same in check mode except RV(changes[].request_id).
    - A rule replaced by delete and create is one V(update) record carrying the create's request id.
  returned: always
  type: list
  elements: dict
  sample:
    - service: y360
      kind: mail_forward
      action: create
      object: bob@example.com
      subject: carol@example.com
      before: null
      after: {address: carol@example.com, keep_copy: true}
      summary: forward mail of bob@example.com to carol@example.com (keeping a copy)
      request_id: 9f86d081884c7d659a2feaa0c55ad015
  contains:
    service:
      description: Always V(y360).
      type: str
    kind:
      description: Always V(mail_forward).
      type: str
    action:
      description: V(create), V(update) (O(keep_copy) changed) or V(delete).
      type: str
    object:
      description: The address of the person whose mail is forwarded.
      type: str
    subject:
      description: The forward's target address.
      type: str
    before:
      description: V({address, keep_copy}) before the change, null when there was no rule.
      type: dict
    after:
      description: V({address, keep_copy}) after the change, null once removed.
      type: dict
    summary:
      description: One sentence a person reads.
      type: str
    request_id:
      description: The request id the API answered for the write; null in check mode.
      type: str
'''

from ansible_collections.mailops.mailadmin.plugins.module_utils._module import MailadminModule, require_non_empty
from ansible_collections.mailops.mailadmin.plugins.module_utils._y360 import Y360Connection
from ansible_collections.mailops.mailadmin.plugins.module_utils._y360_rules import (
    MailRules, apply_steps, check_address_syntax, check_forward_target, forward_view, ordered_steps,
    plan_forward, resolve_rule_owner,
)


def run(m):
    params = m.params
    user_ref = require_non_empty(params['user'], 'user')
    address = require_non_empty(params['address'], 'address')
    name = require_non_empty(params['name'], 'name')
    check_address_syntax(address)

    conn = Y360Connection(m)
    owner = resolve_rule_owner(conn.directory, user_ref)
    if params['state'] == 'present':
        check_forward_target(conn.directory, owner, address)
    rules = MailRules(conn)
    forwards = rules.list(owner['id'])['forwards']
    steps, rule = plan_forward(forwards, owner['email'] or owner['id'], address, params['keep_copy'], name,
                               params['state'])
    steps = ordered_steps(steps)
    changes = [step['record'] for step in steps]
    if steps and not m.check_mode:
        changes, rule_id = apply_steps(
            steps,
            delete=lambda old: rules.delete(owner['id'], old['rule_id']),
            create=lambda new: rules.create_forward(owner['id'], new['name'], new['address'], new['keep_copy']))
        if rule is not None:
            rule = dict(rule, rule_id=rule_id)

    if steps:
        before = forward_view(steps[0]['delete']) or {}
    else:
        before = forward_view(rule) or {}
    return m.changes_result(changes, before, forward_view(rule) or {}, rule=rule)


def main():
    MailadminModule('y360', dict(
        user=dict(type='str', required=True),
        address=dict(type='str', required=True),
        keep_copy=dict(type='bool', default=True),
        name=dict(type='str'),
        state=dict(type='str', default='present', choices=['present', 'absent']),
    )).run(run)


if __name__ == '__main__':
    main()
