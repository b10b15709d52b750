#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: actor_access
short_description: Set which Yandex 360 mailboxes one person can reach, and with which roles
version_added: 0.1.0
description:
  - The person-centric twin of M(mailops.mailadmin.mailbox_access) - one task grants, changes or removes one
    person's (actor's) access to any number of delegated or shared mailboxes.
  - Roles are compared as sets, and V(shared_mailbox_owner) already holds every other role; a mailbox whose roles
    are already right gets no request.
  - With O(exclusive=true), mailboxes the person reaches but that are not listed lose this person;
    O(access=[]) with O(exclusive=true) removes every access the person holds, as an offboarding does.
  - What the person reaches is read with one request. Every reference is resolved and every limit is checked
    before the first change; then every change is sent at once, the tasks are polled together, and the result is
    read back with one request.
author: mailops.mailadmin contributors (@mailops)
options:
  actor:
    description:
      - The person, by user id, login or email address (primary or alias), matched case-insensitively.
    type: str
    required: true
  access:
    description:
      - The mailboxes and the roles the person should have on each.
      - Each mailbox may appear only once (a mailbox written two ways is refused).
    type: list
    elements: dict
    default: []
    suboptions:
      mailbox:
        description:
          - A shared mailbox by id or address, or a person's own mailbox with delegation turned on by user id,
            login or address.
        type: str
        required: true
      roles:
        description:
          - The roles on this mailbox. Required and not empty when O(state=present); ignored when O(state=absent).
        type: list
        elements: str
        choices:
          - shared_mailbox_owner
          - shared_mailbox_reader
          - shared_mailbox_editor
          - shared_mailbox_admin
          - shared_mailbox_imap_admin
          - shared_mailbox_sender
          - shared_mailbox_half_sender
  state:
    description:
      - V(present) gives the person exactly the given roles on each listed mailbox.
      - V(absent) removes the person from the listed mailboxes, whatever their roles.
    type: str
    choices: [present, absent]
    default: present
  exclusive:
    description:
      - With O(state=present), mailboxes the person reaches that are not in O(access) lose this person, so the
        task describes everything the person can reach. The person's own mailbox is never touched.
    type: bool
    default: false
  notify:
    description:
      - Who gets an email about each change. V(all) the mailbox owner and the person, V(delegates) only the
        person, V(none) nobody.
    type: str
    choices: [all, delegates, none]
    default: none
  wait:
    description:
      - Wait until every access change is done, then read back what the person reaches and fail if it differs
        from what was asked.
      - With V(false) the module returns as soon as the changes are accepted; RV(access) is then the prediction.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait for the access changes, all together, with O(wait=true).
    type: int
    default: 120
extends_documentation_fragment:
  - mailops.mailadmin.y360
  - mailops.mailadmin.connection
  - mailops.mailadmin.attributes
  - mailops.mailadmin.attributes.actiongroup_y360
notes:
  - Fails before any change on an unknown mailbox, a person's mailbox whose delegation is off (turn it on with
    M(mailops.mailadmin.delegated_mailbox) or M(mailops.mailadmin.mailboxes)), a person who would reach more
    than 40 mailboxes besides their own, or a mailbox that would have more than 40 actors besides its owner.
  - The API runs each change as a task; a task that ends in V(error) fails the module naming the mailbox and the
    task id. Changes on other mailboxes sent in the same run are not undone; RV(changes) lists them.
seealso:
  - module: mailops.mailadmin.mailbox_access
  - module: mailops.mailadmin.mailbox_access_info
'''

EXAMPLES = r'''
- name: Give a new employee the team mailboxes
  mailops.mailadmin.actor_access:
    actor: erin@example.com
    access:
      - mailbox: support@example.com
        roles: [shared_mailbox_reader, shared_mailbox_sender]
      - mailbox: sales@example.com
        roles: [shared_mailbox_reader]

- name: Offboarding - take away every mailbox the leaver can reach
  mailops.mailadmin.actor_access:
    actor: frank@example.com
    access: []
    exclusive: true

- name: Remove Dave from two mailboxes
  mailops.mailadmin.actor_access:
    actor: dave
    access:
      - mailbox: billing@example.com
      - mailbox: alice@example.com
    state: absent
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
actor_id:
  description: The person's user id.
  returned: success
  type: str
  sample: "1130000000000004"
actor_email:
  description: The person's primary address.
  returned: success
  type: str
  sample: erin@example.com
access:
  description:
    - Every mailbox the person reaches after the run (predicted in check mode and with O(wait=false)), sorted by
      address.
  returned: success
  type: list
  elements: dict
  contains:
    mailbox_id:
      description: The mailbox's id (the owner's user id for a delegated mailbox).
      type: str
    mailbox_type:
      description: V(delegated) or V(shared).
      type: str
    mailbox_email:
      description: The mailbox's address.
      type: str
    roles:
      description: The person's roles on it, sorted.
      type: list
      elements: str
  sample:
    - {mailbox_id: "1130000000000901", mailbox_type: shared, mailbox_email: support@example.com,
       roles: [shared_mailbox_reader, shared_mailbox_sender]}
tasks:
  description: The access tasks sent, one per mailbox whose access changed; empty in check mode.
  returned: always
  type: list
  elements: dict
  contains:
    mailbox_id:
      description: The mailbox the task changes.
      type: str
    task_id:
      description: The API's task id.
      type: str
    status:
      description: V(complete), V(error), or V(running) (with O(wait=false), or at the timeout).
      type: str
  sample:
    - {mailbox_id: "1130000000000901", task_id: "7700000000000001", status: complete}
'''

from ansible_collections.mailops.mailadmin.plugins.module_utils import _access
from ansible_collections.mailops.mailadmin.plugins.module_utils import _access_engine as engine
from ansible_collections.mailops.mailadmin.plugins.module_utils._access_view import (
    emails_by_id, reached_mailboxes,
)
from ansible_collections.mailops.mailadmin.plugins.module_utils._http import MailadminError, map_concurrently
from ansible_collections.mailops.mailadmin.plugins.module_utils._module import MailadminModule, require_non_empty
from ansible_collections.mailops.mailadmin.plugins.module_utils._y360 import (
    NOTIFY_CHOICES, ROLES, Y360Connection, normalize_roles, sorted_roles,
)

TASK_FIELDS = ('mailbox_id', 'task_id', 'status')


def requested_mailboxes(params):
    """``[(reference, roles or None)]``, validated before any request."""
    present = params['state'] == 'present'
    if params['exclusive'] and not present:
        raise MailadminError('exclusive applies only with state=present')
    requested = []
    for entry in params['access']:
        reference = require_non_empty(entry['mailbox'], 'mailbox')
        roles = entry.get('roles')
        if present and roles is None:
            raise MailadminError('roles is required for mailbox %r when state=present' % reference)
        if present and not roles:
            raise MailadminError('roles of mailbox %r is empty: to remove access use state=absent' % reference)
        requested.append((reference, roles))
    return requested


def resolve_actor(directory, ref):
    user = directory.find_user(ref)
    if user is None:
        shared = directory.find_shared(ref) if '@' in ref or ref.isdigit() else None
        if shared is not None:
            raise MailadminError('actor %r is the shared mailbox %s, not a person: only people can be given '
                                 'access. Nothing was changed.' % (ref, shared['email']), reference=ref)
    return directory.resolve_user(ref, what='actor')


def resolve_mailboxes(conn, actor, requested):
    """``[(mailbox, roles)]``; unknown, duplicate, not delegated or own mailboxes fail before any write."""
    directory, resolved, unknown = conn.directory, [], []
    for reference, roles in requested:
        try:
            resolved.append((reference, directory.resolve_mailbox(reference), roles))
        except MailadminError:
            unknown.append(reference)
    if unknown:
        raise MailadminError('Unknown mailbox%s %s: neither a user nor a shared mailbox of organization %s. '
                             'Nothing was changed.' % ('es' if len(unknown) > 1 else '',
                                                       ', '.join(repr(ref) for ref in unknown), conn.org_id))
    duplicates = _access.find_duplicates([(reference, mailbox['id']) for reference, mailbox, dummy in resolved])
    if duplicates:
        raise MailadminError('Each mailbox may appear only once in access: %s' % '; '.join(
            '%s name the same mailbox' % ' and '.join(repr(ref) for ref in refs)
            for dummy, refs in sorted(duplicates.items())))
    for reference, mailbox, dummy in resolved:
        if mailbox['id'] == actor['id']:
            raise MailadminError('Mailbox %r is the own mailbox of %s: a person always has their own mailbox and '
                                 'cannot be given roles on it' % (reference, actor['email']))
    not_delegated = [reference for reference, mailbox, dummy in resolved
                     if mailbox['type'] == 'user' and not conn.mailboxes.is_delegated(mailbox['id'])]
    if not_delegated:
        raise MailadminError(
            'Delegation is not enabled for %s, so nobody can be given access to %s. Enable it first with '
            'mailops.mailadmin.delegated_mailbox or mailops.mailadmin.mailboxes. Nothing was changed.'
            % (', '.join(repr(ref) for ref in not_delegated), 'them' if len(not_delegated) > 1 else 'it'))
    return [(mailbox, roles) for dummy, mailbox, roles in resolved]


def plan_changes(reached, wanted, state, exclusive, actor_id):
    """``{mailbox_id: roles}`` to set (empty = revoke). ``reached``: ``{mailbox_id: roles}`` now;
    ``wanted``: ``{mailbox_id: roles or None}`` listed by the task."""
    changes = {}
    for mailbox_id, roles in wanted.items():
        have = normalize_roles(reached.get(mailbox_id))
        if state == 'absent':
            if have:
                changes[mailbox_id] = frozenset()
        elif have != normalize_roles(roles):
            changes[mailbox_id] = normalize_roles(roles)
    if state == 'present' and exclusive:
        for mailbox_id, roles in reached.items():
            if mailbox_id not in wanted and mailbox_id != actor_id and roles:
                changes[mailbox_id] = frozenset()
    return changes


def run(m):
    params = m.params
    requested = requested_mailboxes(params)
    conn = Y360Connection(m)
    directory = conn.directory
    actor = resolve_actor(directory, require_non_empty(params['actor'], 'actor'))
    emails = emails_by_id(directory.users())
    # What the person reaches now, and the mailbox lists (actor counts, delegation): one round.
    rows, delegated, shared = map_concurrently(lambda read: read(), [
        lambda: reached_mailboxes(conn, emails, actor['id']), conn.mailboxes.delegated, conn.mailboxes.shared])
    listed = resolve_mailboxes(conn, actor, requested)

    mailboxes = {row['mailbox_id']: dict(id=row['mailbox_id'], email=row['mailbox_email'],
                                         type='user' if row['mailbox_type'] == 'delegated' else 'shared')
                 for row in rows}
    mailboxes.update({mailbox['id']: mailbox for mailbox, dummy in listed})
    reached = {row['mailbox_id']: normalize_roles(row['roles']) for row in rows}
    changes = plan_changes(reached, {mailbox['id']: roles for mailbox, roles in listed},
                           params['state'], params['exclusive'], actor['id'])

    plan = engine.AccessPlan({actor['id']: actor['email']}, partial=True)
    for mailbox_id, roles in sorted(changes.items()):
        current = {actor['id']: reached[mailbox_id]} if reached.get(mailbox_id) else {}
        count = delegated.get(mailbox_id, shared.get(mailbox_id, 0))
        plan.add(mailboxes[mailbox_id], current, {actor['id']: roles}, others=max(0, count - len(current)))
    engine.check_mailbox_limits(plan)
    reach = {actor['id']: _access.reach_count(actor['id'], [dict(resource_id=mailbox_id) for mailbox_id in reached])}
    engine.check_actor_limits(plan, reach)

    after = dict(reached)
    for mailbox_id, roles in changes.items():
        after[mailbox_id] = roles
    records, tasks = plan.records(), []
    if plan and not m.check_mode:
        records, tasks, actual = engine.apply(conn, plan, reach, params['notify'], params['wait'],
                                              params['wait_timeout'], task_fields=TASK_FIELDS)
        for mailbox_id, actor_map in actual.items():
            after[mailbox_id] = actor_map.get(actor['id'], frozenset())
    after = {mailbox_id: roles for mailbox_id, roles in after.items() if roles}

    def view(state):
        return dict(actor=actor['email'], access={mailboxes[mailbox_id]['email'] or mailbox_id: sorted_roles(roles)
                                                  for mailbox_id, roles in sorted(state.items())})

    access = sorted(
        (dict(mailbox_id=mailbox_id, mailbox_type='shared' if mailboxes[mailbox_id]['type'] == 'shared' else 'delegated',
              mailbox_email=mailboxes[mailbox_id]['email'], roles=sorted_roles(roles))
         for mailbox_id, roles in after.items()),
        key=lambda row: (row['mailbox_email'].lower(), row['mailbox_id']))
    return m.changes_result(records, before=view(reached), after=view(after), actor_id=actor['id'],
                            actor_email=actor['email'], access=access, tasks=tasks)


def main():
    MailadminModule('y360', dict(
        actor=dict(type='str', required=True),
        access=dict(type='list', elements='dict', default=[], options=dict(
            mailbox=dict(type='str', required=True),
            roles=dict(type='list', elements='str', choices=list(ROLES)),
        )),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        exclusive=dict(type='bool', default=False),
        notify=dict(type='str', choices=list(NOTIFY_CHOICES), default='none'),
        wait=dict(type='bool', default=True),
        wait_timeout=dict(type='int', default=120),
    )).run(run)


if __name__ == '__main__':
    main()
