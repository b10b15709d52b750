#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: mailbox_access_info
short_description: Show who can reach a Yandex 360 mailbox, or which mailboxes a person can reach
version_added: 0.1.0
description:
  - With O(mailbox), lists the people who have access to one delegated or shared mailbox of a
    Yandex 360 for Business organization, and their roles.
  - With O(actor), lists every delegated or shared mailbox one person has access to, and their roles.
  - A person's own mailbox whose delegation is off gives an empty list.
author: mailops.mailadmin contributors (@mailops)
options:
  mailbox:
    description:
      - The mailbox whose actors to list. A person's own mailbox by user id, login, or email address
        (primary or alias), or a shared mailbox by id or address; matched case-insensitively.
      - Exactly one of O(mailbox) and O(actor) is required.
    type: str
  actor:
    description:
      - The person whose access to list, by user id, login, or email address (primary or alias),
        matched case-insensitively.
      - Exactly one of O(mailbox) and O(actor) is required.
    type: str
extends_documentation_fragment:
  - mailops.mailadmin.y360
  - mailops.mailadmin.connection
  - mailops.mailadmin.attributes.info_module
  - mailops.mailadmin.attributes.actiongroup_y360
notes:
  - Roles are shown in canonical form, sorted; V(shared_mailbox_owner) already holds every other
    role, so it is shown alone.
seealso:
  - module: mailops.mailadmin.mailbox_access
  - module: mailops.mailadmin.delegated_mailbox_info
'''

EXAMPLES = r'''
- name: Who can reach the support mailbox?
  mailops.mailadmin.mailbox_access_info:
    mailbox: support@example.com
    token: "{{ y360_token }}"
    org_id: 1234567
  register: support_access

- name: What can Bob reach?
  module_defaults:
    group/mailops.mailadmin.y360:
      token: "{{ y360_token }}"
      org_id: 1234567
  block:
    - name: Read Bob's access
      mailops.mailadmin.mailbox_access_info:
        actor: bob@example.com
      register: bob_access

    - name: List the mailboxes
      ansible.builtin.debug:
        msg: "{{ bob_access.access | map(attribute='mailbox_email') | list }}"
'''

RETURN = r'''
access:
  description:
    - One entry per person and mailbox, sorted by mailbox address, mailbox id, person's address and
      person's id.
  returned: success
  type: list
  elements: dict
  sample:
    - mailbox_id: "1130000000000501"
      mailbox_type: shared
      mailbox_email: support@example.com
      actor_id: "1130000000000002"
      actor_email: bob@example.com
      roles: [shared_mailbox_reader, shared_mailbox_sender]
  contains:
    mailbox_id:
      description: Id of the mailbox; for a person's own mailbox, the owner's user id.
      type: str
      sample: "1130000000000501"
    mailbox_type:
      description: V(delegated) for a person's own mailbox, V(shared) for a shared mailbox.
      type: str
      sample: shared
    mailbox_email:
      description: Address of the mailbox (empty when unknown).
      type: str
      sample: support@example.com
    actor_id:
      description: User id of the person who has access.
      type: str
      sample: "1130000000000002"
    actor_email:
      description: Their primary address (empty when the directory does not know the id).
      type: str
      sample: bob@example.com
    roles:
      description: Their roles on the mailbox, sorted.
      type: list
      elements: str
      sample: [shared_mailbox_reader, shared_mailbox_sender]
'''

from ansible_collections.mailops.mailadmin.plugins.module_utils._access_view import (
    access_row, actors_when_delegation_may_be_off, emails_by_id, reached_mailboxes, sort_access,
)
from ansible_collections.mailops.mailadmin.plugins.module_utils._module import MailadminModule, require_non_empty
from ansible_collections.mailops.mailadmin.plugins.module_utils._y360 import Y360Connection


def mailbox_rows(conn, emails, ref):
    """Who can reach one mailbox."""
    mailbox = conn.directory.resolve_mailbox(ref)
    if mailbox['type'] == 'shared':
        mailbox_type, actors = 'shared', conn.mailboxes.actors(mailbox['id'])
    else:
        mailbox_type, actors = 'delegated', actors_when_delegation_may_be_off(conn.mailboxes, mailbox['id'])
    return [access_row(mailbox['id'], mailbox_type, mailbox['email'], actor_id, emails.get(actor_id), roles)
            for actor_id, roles in actors.items()]


def actor_rows(conn, emails, ref):
    """Which mailboxes one person can reach."""
    actor = conn.directory.resolve_user(ref, what='actor')
    return [access_row(row['mailbox_id'], row['mailbox_type'], row['mailbox_email'], actor['id'], actor['email'],
                       row['roles'])
            for row in reached_mailboxes(conn, emails, actor['id'])]


def run(m):
    mailbox_ref = require_non_empty(m.params['mailbox'], 'mailbox')
    actor_ref = require_non_empty(m.params['actor'], 'actor')
    conn = Y360Connection(m)
    emails = emails_by_id(conn.directory.users())
    if mailbox_ref is not None:
        rows = mailbox_rows(conn, emails, mailbox_ref)
    else:
        rows = actor_rows(conn, emails, actor_ref)
    return m.result(False, access=sort_access(rows))


def main():
    MailadminModule(
        'y360',
        dict(
            mailbox=dict(type='str'),
            actor=dict(type='str'),
        ),
        mutually_exclusive=[('mailbox', 'actor')],
        required_one_of=[('mailbox', 'actor')],
    ).run(run)


if __name__ == '__main__':
    main()
