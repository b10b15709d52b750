#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: mail_list_permissions
short_description: Manage who may send to a Yandex 360 mailing list
version_added: 0.1.0
description:
  - Grants or revokes the right to send to the mailing-list address of a Yandex 360 group or department.
  - Senders are compared as C((type, id, org_id)) after every reference was resolved, so one sender written
    two ways (login and address, for example) is one sender, and duplicates collapse.
  - All references are resolved before any change; the module then sends the fewest C(revoke) and C(grant)
    actions needed (revokes first) in one C(update-permissions) request, and no request when nothing changes.
    It never uses the API's C(overwrite) action.
  - A list without any sender restriction holds one C(anonymous) grant, which lets anyone send, outsiders
    included. The module manages grants literally; see the notes for what this means for O(state=present).
author: mailops.mailadmin contributors (@mailops)
options:
  mail_list:
    description:
      - The mailing list, by its C(emailId) or by the address (or an alias address) of the group or department
        that owns it.
      - A group or department without an address has no mailing list; naming one fails before any change.
    type: str
    required: true
  senders:
    description:
      - The senders to add, remove, or (with O(exclusive=true)) to have exactly.
      - With O(state=present) and O(exclusive=true), V([]) means B(nobody may send to the list).
    type: list
    elements: dict
    required: true
    suboptions:
      type:
        description:
          - V(user) is a person of the organization; V(group) and V(department) every member of it;
            V(shared_mailbox) a shared mailbox.
          - V(organization) is every employee of the organization (shared mailboxes included, no outsiders).
          - V(anonymous) is anyone at all, outsiders included; it is what a list without a restriction holds.
        type: str
        choices: [user, group, department, shared_mailbox, organization, anonymous]
        default: user
      id:
        description:
          - Who the sender is. Required for V(user), V(group), V(department) and V(shared_mailbox);
            not needed for V(organization) and V(anonymous).
          - A user is named by numeric id, login, or email address (primary or alias), case-insensitively.
            A group or department by its numeric id or its mailing-list address. A shared mailbox by its
            id or address.
          - For an outside contact (O(senders[].org_id=0)) the numeric id is taken as given and not looked up
            in the directory.
        type: str
      org_id:
        description:
          - The organization the sender belongs to; defaults to the module's O(org_id).
          - V(0) marks an outside contact.
          - 'Ignored for V(anonymous), which is always sent as C({"type": "anonymous", "id": 0, "org_id": 0}).'
        type: int
  state:
    description:
      - V(present) gives the O(senders) the right to send; V(absent) takes it away from them.
    type: str
    choices: [present, absent]
    default: present
  exclusive:
    description:
      - With O(state=present), senders not in O(senders) lose the right to send, so the list's senders become
        exactly O(senders). This removes the C(anonymous) grant of an unrestricted list unless O(senders)
        names V(anonymous).
      - Not allowed with O(state=absent).
    type: bool
    default: false
extends_documentation_fragment:
  - mailops.mailadmin.y360
  - mailops.mailadmin.connection
  - mailops.mailadmin.attributes
  - mailops.mailadmin.attributes.actiongroup_y360
notes:
  - Mailing-list calls go to O(cloud_api_url); the list and the senders are resolved through the directory
    on O(api_url). The token needs the C(ya360_admin:mail_read_mail_list_permissions) and
    C(ya360_admin:mail_write_mail_list_permissions) scopes plus the directory read scopes.
  - On a list without a restriction (it holds the C(anonymous) grant) anyone may already send. O(state=present)
    without O(exclusive) still grants the named senders explicitly and keeps C(anonymous), so the list stays
    open to everyone, and the module warns about it. The explicit grants take effect once C(anonymous) is
    removed, by O(exclusive=true) or by O(state=absent) of a V(anonymous) sender.
  - Removing the last sender (for example C(anonymous) with O(state=absent)) leaves a list nobody may send to;
    the module warns when that happens without O(exclusive=true).
  - "To lift every restriction, use O(exclusive=true) with O(senders) C([{type: anonymous}])."
seealso:
  - module: mailops.mailadmin.mail_list_permissions_info
'''

EXAMPLES = r'''
- name: Only the Sales group and Alice may send to all@example.com
  mailops.mailadmin.mail_list_permissions:
    mail_list: all@example.com
    senders:
      - type: group
        id: sales@example.com
      - id: alice@example.com
    exclusive: true
  module_defaults:
    group/mailops.mailadmin.y360:
      token: "{{ y360_token }}"
      org_id: "{{ y360_org_id }}"

- name: Let every employee and one outside partner send to support-team@example.com
  mailops.mailadmin.mail_list_permissions:
    mail_list: support-team@example.com
    senders:
      - type: organization
      - id: "1130000000009001"
        org_id: 0

- name: Bob may no longer send to the Engineering list
  mailops.mailadmin.mail_list_permissions:
    mail_list: eng@example.com
    senders:
      - id: bob
    state: absent

- name: Nobody may send to the list
  mailops.mailadmin.mail_list_permissions:
    mail_list: "1130000000000951"
    senders: []
    exclusive: true

- name: Lift the restriction again (anyone may send)
  mailops.mailadmin.mail_list_permissions:
    mail_list: all@example.com
    senders:
      - type: anonymous
    exclusive: true
'''

RETURN = r'''
mail_list_id:
  description: The C(emailId) of the mailing list.
  returned: success
  type: str
  sample: "1130000000000951"
senders:
  description:
    - Who may send to the list after the run (what it would be, in check mode), sorted by type and id.
    - An C(anonymous) sender means anyone may send.
  returned: success
  type: list
  elements: dict
  contains:
    type:
      description: The subject type.
      type: str
      sample: user
    id:
      description: The subject id; the organization id for C(organization), V(0) for C(anonymous).
      type: str
      sample: "1130000000000001"
    org_id:
      description: The subject's organization; V(0) for an outside contact and for C(anonymous).
      type: int
      sample: 1234567
    email:
      description: The address of a user, group, department or shared mailbox of the organization; empty when unknown.
      type: str
      sample: alice@example.com
  sample:
    - {type: group, id: "1", org_id: 1234567, email: sales@example.com}
    - {type: user, id: "1130000000000001", org_id: 1234567, email: alice@example.com}
changes:
  description:
    - One change record per sender allowed or no longer allowed (that would be, in check mode); V([]) when nothing
      changes. C(changed) is true exactly when this list is not empty.
    - Removals come first, then by list address and sender. A check-mode run returns the same list as the real run
      that follows it, except RV(changes[].request_id).
  returned: always
  type: list
  elements: dict
  contains:
    service:
      description: Always V(y360).
      type: str
      sample: y360
    kind:
      description: Always V(mail_list_sender).
      type: str
      sample: mail_list_sender
    action:
      description: V(create) for a sender allowed, V(delete) for a sender no longer allowed.
      type: str
      choices: [create, delete]
      sample: create
    object:
      description: The mailing list's address.
      type: str
      sample: sales@example.com
    subject:
      description:
        - The sender as C(type:address), for example V(user:bob@example.com) or V(group:sales@example.com);
          C(type:id) for an outside contact or a sender whose address is unknown; V(organization) or V(anonymous).
      type: str
      sample: user:bob@example.com
    before:
      description: V(true) when the sender was allowed before, else V(null).
      type: bool
      sample: null
    after:
      description: V(true) when the sender is allowed after the run, else V(null).
      type: bool
      sample: true
    summary:
      description: The change in one sentence.
      type: str
      sample: allow user:bob@example.com to send to sales@example.com
    request_id:
      description:
        - The C(Yandex-Cloud-Request-ID) of the one C(update-permissions) request that made the change;
          V(null) in check mode or when the API sent none.
      type: str
      sample: 2f1c9a7e-4b1d-4c55-9a0e-6d3b8f2e1a77
  sample:
    - service: y360
      kind: mail_list_sender
      action: delete
      object: all@example.com
      subject: anonymous
      before: true
      after: null
      summary: stop anonymous from sending to all@example.com
      request_id: 2f1c9a7e-4b1d-4c55-9a0e-6d3b8f2e1a77
    - service: y360
      kind: mail_list_sender
      action: create
      object: all@example.com
      subject: group:sales@example.com
      before: null
      after: true
      summary: allow group:sales@example.com to send to all@example.com
      request_id: 2f1c9a7e-4b1d-4c55-9a0e-6d3b8f2e1a77
role_actions:
  description:
    - The role actions sent in the one C(update-permissions) request (that would be sent, in check mode),
      revokes first; V([]) when nothing changes. Ids are shown as strings; the request carries them as integers.
  returned: success
  type: list
  elements: dict
  sample:
    - type: revoke
      roles: [mail_list_sender]
      subjects: [{type: anonymous, id: "0", org_id: 0}]
    - type: grant
      roles: [mail_list_sender]
      subjects:
        - {type: group, id: "1", org_id: 1234567}
        - {type: user, id: "1130000000000001", org_id: 1234567}
'''

from ansible_collections.mailops.mailadmin.plugins.module_utils._changes import with_request_id
from ansible_collections.mailops.mailadmin.plugins.module_utils._module import MailadminModule, require_non_empty
from ansible_collections.mailops.mailadmin.plugins.module_utils._y360 import Y360Connection
from ansible_collections.mailops.mailadmin.plugins.module_utils._y360_mail_lists import (
    ANONYMOUS, SUBJECT_TYPES, MailListPermissions, apply_changes, parse_senders, plan_changes,
    printable_actions, role_actions, sender_label, sender_records,
)


def run(m):
    params = m.params
    mail_list_ref = require_non_empty(params['mail_list'], 'mail_list')
    if params['exclusive'] and params['state'] == 'absent':
        m.fail('exclusive=true only applies with state=present')
    parsed = parse_senders(params['senders'], params['org_id'])

    conn = Y360Connection(m)
    lists = MailListPermissions(conn)
    mail_list = lists.mail_list(mail_list_ref)
    desired = lists.resolve(parsed)
    current = lists.senders(mail_list['mail_list_id'])

    revoke, grant = plan_changes(current, desired, params['state'], params['exclusive'])
    actions = role_actions(revoke, grant)
    after = apply_changes(current, revoke, grant)
    changes = sender_records(mail_list['email'], revoke, grant, lists.emails(revoke + grant, desired))
    if actions and not m.check_mode:
        request_id = lists.update(mail_list['mail_list_id'], actions)
        changes = [with_request_id(change, request_id) for change in changes]

    if grant and ANONYMOUS in after and ANONYMOUS not in grant:
        m.warn('Mailing list %s has no sender restriction (it holds the anonymous grant): anyone may send, '
               'and the senders granted now matter only once the anonymous grant is removed'
               % mail_list['email'])
    if actions and not after and not params['exclusive']:
        m.warn('Nobody may send to mailing list %s any more' % mail_list['email'])

    before_list = lists.describe(current, desired)
    after_list = lists.describe(after, desired)
    return m.changes_result(
        changes,
        before=dict(mail_list=mail_list['email'], senders=labels(before_list, conn.org_id)),
        after=dict(mail_list=mail_list['email'], senders=labels(after_list, conn.org_id)),
        mail_list_id=mail_list['mail_list_id'],
        senders=after_list,
        role_actions=printable_actions(actions),
    )


def labels(senders, org_id):
    return sorted(sender_label(sender, org_id) for sender in senders)


def main():
    argument_spec = dict(
        mail_list=dict(type='str', required=True),
        senders=dict(type='list', elements='dict', required=True, options=dict(
            type=dict(type='str', choices=list(SUBJECT_TYPES), default='user'),
            id=dict(type='str'),
            org_id=dict(type='int'),
        )),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        exclusive=dict(type='bool', default=False),
    )
    MailadminModule('y360', argument_spec).run(run)


if __name__ == '__main__':
    main()
