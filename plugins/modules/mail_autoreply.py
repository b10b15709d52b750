#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: mail_autoreply
short_description: Set or remove an automatic reply on a person's Yandex 360 mailbox
version_added: 0.1.0
description:
  - Creates or removes an automatic reply rule on a person's own mailbox in a Yandex 360 for
    Business organization, for example to tell a leaver's correspondents whom to write to.
  - The rule's O(name) identifies it. The API cannot change a rule, so a rule whose text differs is
    deleted and created again; RV(changes) shows that as one V(update).
  - B(The API lists only rules an administrator created through the API.) Automatic replies people
    set themselves in the mail interface are invisible to it, so this module neither sees nor changes them.
author: mailops.mailadmin contributors (@mailops)
options:
  user:
    description:
      - The person whose mailbox answers, by user id, login, or email address (primary or alias),
        matched case-insensitively.
      - A shared mailbox or a mailing list is an error here.
    type: str
    required: true
  text:
    description:
      - The text of the reply. Required with O(state=present), and must not be empty or blank.
      - Compared exactly with the text of the existing rule (a trailing newline counts).
    type: str
  name:
    description:
      - The rule's name, which identifies it (exact match).
    type: str
    default: autoreply
  state:
    description:
      - V(present) makes sure the rule O(name) exists with O(text); V(absent) removes every
        automatic reply of O(user) named O(name).
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
  - module: mailops.mailadmin.mail_forward
'''

EXAMPLES = r'''
- name: Answer mail sent to a leaver
  mailops.mailadmin.mail_autoreply:
    user: bob@example.com
    text: Bob has left the company. Please write to carol@example.com.
    token: "{{ y360_token }}"
    org_id: 1234567

- name: Remove the automatic reply named "autoreply"
  mailops.mailadmin.mail_autoreply:
    user: bob@example.com
    state: absent
    token: "{{ y360_token }}"
    org_id: 1234567
'''

RETURN = r'''
rule:
  description:
    - The automatic reply after the run (in check mode, as the run would leave it); null when there is none.
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
      sample: autoreply
    text:
      description: The text of the reply.
      type: str
      sample: Bob has left the company. Please write to carol@example.com.
changes:
  description:
    - The change records of the run (empty when nothing changed), the same in check mode except RV(changes[].request_id).
    - A rule replaced by delete and create is one V(update) record carrying the create's request id.
  returned: always
  type: list
  elements: dict
  sample:
    - service: y360
      kind: mail_autoreply
      action: create
      object: bob@example.com
      subject: autoreply
      before: null
      after: {name: autoreply, text: Bob has left the company.}
      summary: set the automatic reply 'autoreply' on bob@example.com
      request_id: 9f86d081884c7d659a2feaa0c55ad015
  contains:
    service:
      description: Always V(y360).
      type: str
    kind:
      description: Always V(mail_autoreply).
      type: str
    action:
      description: V(create), V(update) (the text changed) or V(delete).
      type: str
    object:
      description: The address of the person whose mailbox answers.
      type: str
    subject:
      description: The rule's name.
      type: str
    before:
      description: V({name, text}) before the change, null when there was no rule.
      type: dict
    after:
      description: V({name, text}) after the change, null once removed.
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
    MailRules, apply_steps, autoreply_view, ordered_steps, plan_autoreply, resolve_rule_owner,
)


def run(m):
    params = m.params
    user_ref = require_non_empty(params['user'], 'user')
    name = require_non_empty(params['name'], 'name')
    text = params['text']
    if params['state'] == 'present' and not (text or '').strip():
        m.fail('text must not be empty with state=present: an automatic reply needs a text (got %r)'
               % (text or ''))

    conn = Y360Connection(m)
    owner = resolve_rule_owner(conn.directory, user_ref)
    rules = MailRules(conn)
    autoreplies = rules.list(owner['id'])['autoreplies']
    steps, rule = plan_autoreply(autoreplies, owner['email'] or owner['id'], name, text, params['state'])
    steps = ordered_steps(steps)
    changes = [step['record'] for step in steps]
    if steps and not m.check_mode:
        changes, rule_id = apply_steps(
            steps,
            delete=lambda old: rules.delete(owner['id'], old['rule_id']),
            create=lambda new: rules.create_autoreply(owner['id'], new['name'], new['text']))
        if rule is not None:
            rule = dict(rule, rule_id=rule_id)

    if steps:
        before = autoreply_view(steps[0]['delete']) or {}
    else:
        before = autoreply_view(rule) or {}
    return m.changes_result(changes, before, autoreply_view(rule) or {}, rule=rule)


def main():
    MailadminModule('y360', dict(
        user=dict(type='str', required=True),
        text=dict(type='str'),
        name=dict(type='str', default='autoreply'),
        state=dict(type='str', default='present', choices=['present', 'absent']),
    ), required_if=[('state', 'present', ['text'])]).run(run)


if __name__ == '__main__':
    main()
