#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: mailbox_access
short_description: Set people's roles on a Yandex 360 delegated or shared mailbox
version_added: 0.1.0
description:
  - Grants, changes or removes the access of one or several people (actors) to one Yandex 360
    mailbox, either a person's own mailbox with delegation turned on or a shared mailbox.
  - Roles are compared as sets, so the order of O(roles) does not matter, and
    V(shared_mailbox_owner) already holds every other role
    (V([shared_mailbox_owner, shared_mailbox_sender]) equals V([shared_mailbox_owner])).
    An actor whose roles are already right gets no request at all.
  - Every reference is resolved and every limit is checked before the first change is sent.
    The mailbox must be a shared mailbox or have delegation turned on
    (see M(mailops.mailadmin.delegated_mailbox)); no more than 40 people may reach one mailbox
    besides its owner, and one person may reach no more than 40 mailboxes besides their own.
  - Access changes are asynchronous in the API. The module sends every change at once
    (removals before grants), then with O(wait=true) waits for all of them and reads the mailbox
    back to confirm the result.
author: mailops.mailadmin contributors (@mailops)
options:
  mailbox:
    description:
      - The mailbox to give access to.
      - A person's own mailbox by user id, login or email address (primary or alias), or a shared
        mailbox by id or address. Matching is case-insensitive.
    type: str
    required: true
  actor:
    description:
      - One person whose access to set, by user id, login or email address (primary or alias).
      - Use either O(actor) with O(roles) or O(access).
    type: str
  roles:
    description:
      - The roles O(actor) should have on the mailbox. They replace the actor's current roles.
      - Required with O(actor) when O(state=present); an empty list is refused (use O(state=absent)
        to remove access). Ignored when O(state=absent).
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
  access:
    description:
      - Several actors with their roles, handled in one task.
      - Each person may appear only once (a person written two ways, say by login and by address,
        is refused).
    type: list
    elements: dict
    suboptions:
      actor:
        description: The person, by user id, login or email address (primary or alias).
        type: str
        required: true
      roles:
        description:
          - The roles this person should have. Required and not empty when O(state=present);
            ignored when O(state=absent).
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
      - V(present) gives the named actors exactly the given roles.
      - V(absent) removes the named actors' access to the mailbox (whatever their roles).
    type: str
    choices: [present, absent]
    default: present
  exclusive:
    description:
      - With O(access) and O(state=present), everyone not listed in O(access) loses their access to
        the mailbox, so the task describes the mailbox's whole access list.
      - The owner of a delegated mailbox is never removed.
    type: bool
    default: false
  notify:
    description:
      - Who gets an email about each change. V(all) the mailbox owner and the actor,
        V(delegates) only the actor, V(none) nobody.
      - The default V(none) keeps re-runs and automation from emailing people unasked.
    type: str
    choices: [all, delegates, none]
    default: none
  wait:
    description:
      - Wait until every access change is done, then read the mailbox back and fail if its access
        differs from what was asked.
      - With V(false) the module returns as soon as the changes are accepted; RV(access) is then
        the predicted result and every task is V(running).
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait for the access changes, all together, with O(wait=true).
      - A change still running then fails the module, naming the actor and the task id.
    type: int
    default: 120
  delegation_planned:
    description:
      - Check mode only. Set it to the C(changed) state of the M(mailops.mailadmin.delegated_mailbox)
        task that turns delegation of this person's mailbox on earlier in the same run, for example
        C({{ delegation is changed }}).
      - In check mode that task only plans the change, so the mailbox is not delegation-enabled yet
        and this module would refuse it. With V(true) it plans against the mailbox as it will be
        once delegation is on (nobody has access yet), so the plan shows every access change the
        real run makes.
      - Ignored outside check mode, and for shared mailboxes.
    type: bool
    default: false
extends_documentation_fragment:
  - mailops.mailadmin.y360
  - mailops.mailadmin.connection
  - mailops.mailadmin.attributes
  - mailops.mailadmin.attributes.actiongroup_y360
notes:
  - The API runs each change as a task; a task that ends in V(error) fails the module with the
    actor's address and the task id. Changes of other actors sent in the same run are not undone.
  - Only the owner of a delegated mailbox has it as their own; naming them as O(actor) of their
    own mailbox is refused.
seealso:
  - module: mailops.mailadmin.delegated_mailbox
  - module: mailops.mailadmin.mailbox_access_info
'''

EXAMPLES = r'''
- name: Manage mailbox access
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/mailops.mailadmin.y360:
      token: "{{ y360_token }}"
      org_id: 1234567
  tasks:
    - name: Let Bob read and send from the support mailbox
      mailops.mailadmin.mailbox_access:
        mailbox: support@example.com
        actor: bob
        roles:
          - shared_mailbox_reader
          - shared_mailbox_sender

    - name: Exactly these people may reach Alice's mailbox; everyone else loses access
      mailops.mailadmin.mailbox_access:
        mailbox: alice@example.com
        access:
          - actor: carol@example.com
            roles: [shared_mailbox_owner]
          - actor: dave
            roles: [shared_mailbox_reader]
        exclusive: true
        notify: delegates

    - name: Remove Frank's access to the billing mailbox
      mailops.mailadmin.mailbox_access:
        mailbox: billing@example.com
        actor: frank@example.com
        state: absent

    - name: Turn on delegation of Erin's mailbox
      mailops.mailadmin.delegated_mailbox:
        mailbox: erin@example.com
      register: erin_delegation

    - name: Let Dave read Erin's mail (under --check the plan shows this too)
      mailops.mailadmin.mailbox_access:
        mailbox: erin@example.com
        actor: dave@example.com
        roles: [shared_mailbox_reader]
        delegation_planned: "{{ erin_delegation is changed }}"

    - name: Send the changes without waiting for them
      mailops.mailadmin.mailbox_access:
        mailbox: info@example.com
        access:
          - actor: erin
            roles: [shared_mailbox_half_sender]
        wait: false
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
mailbox_id:
  description: The id of the mailbox (the owner's user id for a delegated mailbox).
  returned: success
  type: str
  sample: "1130000000000001"
access:
  description:
    - Everyone who can reach the mailbox after the run, sorted by email address.
    - Read back from the API with O(wait=true); predicted in check mode and with O(wait=false).
  returned: success
  type: list
  elements: dict
  contains:
    actor_id:
      description: The person's user id.
      type: str
      sample: "1130000000000004"
    email:
      description: The person's primary address (empty when the directory does not know the id).
      type: str
      sample: dave@example.com
    roles:
      description: The person's roles, sorted; V(shared_mailbox_owner) stands alone as it holds every other role.
      type: list
      elements: str
      sample: [shared_mailbox_reader]
  sample:
    - actor_id: "1130000000000003"
      email: carol@example.com
      roles: [shared_mailbox_owner]
    - actor_id: "1130000000000004"
      email: dave@example.com
      roles: [shared_mailbox_reader]
tasks:
  description:
    - The access tasks sent, one per actor whose access changed; empty in check mode and when
      nothing needed changing.
    - Also returned when the module fails because of a task.
  returned: always
  type: list
  elements: dict
  contains:
    actor_id:
      description: The person whose access the task changes.
      type: str
      sample: "1130000000000004"
    task_id:
      description: The API's task id.
      type: str
      sample: "7700000000000001"
    status:
      description: V(complete), V(error), or V(running) (with O(wait=false), or at the timeout).
      type: str
      sample: complete
  sample:
    - actor_id: "1130000000000004"
      task_id: "7700000000000001"
      status: complete
'''

from ansible_collections.mailops.mailadmin.plugins.module_utils import _access
from ansible_collections.mailops.mailadmin.plugins.module_utils import _access_engine as engine
from ansible_collections.mailops.mailadmin.plugins.module_utils._access_engine import AccessPlan
from ansible_collections.mailops.mailadmin.plugins.module_utils._access_view import emails_by_id
from ansible_collections.mailops.mailadmin.plugins.module_utils._http import MailadminError, map_concurrently
from ansible_collections.mailops.mailadmin.plugins.module_utils._module import MailadminModule, require_non_empty
from ansible_collections.mailops.mailadmin.plugins.module_utils._y360 import (
    NOTIFY_CHOICES, ROLES, Y360Connection, normalize_roles,
)

TASK_FIELDS = ('actor_id', 'task_id', 'status')


def requested_access(params):
    """``[(reference, roles or None)]`` from ``actor``/``roles`` or ``access``, validated."""
    present = params['state'] == 'present'
    if params['exclusive'] and not present:
        raise MailadminError('exclusive applies only with state=present')
    if params['actor'] is not None:
        entries = [(params['actor'], params['roles'])]
    else:
        entries = [(entry['actor'], entry.get('roles')) for entry in params['access']]
    requested = []
    for reference, roles in entries:
        reference = require_non_empty(reference, 'actor')
        if present and roles is None:
            raise MailadminError('roles is required for actor %r when state=present' % reference)
        if present and not roles:
            raise MailadminError('roles of actor %r is empty: to remove access use state=absent' % reference)
        requested.append((reference, roles))
    return requested


def resolve_actors(directory, mailbox, requested):
    """``{actor_id: roles}``; every unknown, duplicate or owner reference fails before any write."""
    resolved, unknown = [], []
    for reference, roles in requested:
        try:
            resolved.append((reference, directory.resolve_user(reference, what='actor')['id'], roles))
        except MailadminError:
            unknown.append(reference)
    if unknown:
        raise MailadminError('Unknown actor%s %s: no user of organization %s has this id, login or address. '
                             'Nothing was changed.' % ('s' if len(unknown) > 1 else '',
                                                       ', '.join(repr(ref) for ref in unknown),
                                                       directory.conn.org_id))
    duplicates = _access.find_duplicates([(reference, actor_id) for reference, actor_id, _roles in resolved])
    if duplicates:
        raise MailadminError('Each person may appear only once in access: %s' % '; '.join(
            '%s name the same person %s' % (
                ' and '.join(repr(ref) for ref in refs), directory.email_of(actor_id) or actor_id)
            for actor_id, refs in sorted(duplicates.items())))
    for reference, actor_id, _roles in resolved:
        if mailbox['type'] == 'user' and actor_id == mailbox['id']:
            raise MailadminError('Actor %r is the owner of the mailbox %s: the owner always has their own '
                                 'mailbox and cannot be given roles on it' % (reference, mailbox['email']))
    return {actor_id: normalize_roles(roles) for _reference, actor_id, roles in resolved}


def read_current(conn, mailbox, planned=False):
    """The mailbox's actors, after checking it can have any (one round of concurrent reads)."""
    def attempt(read):
        try:
            return read(), None
        except MailadminError as exc:
            return None, exc

    reads = [lambda: conn.mailboxes.actors(mailbox['id'])]
    if mailbox['type'] == 'user':
        reads.append(lambda: conn.mailboxes.is_delegated(mailbox['id']))
    answers = map_concurrently(attempt, reads)
    if mailbox['type'] == 'user':
        delegated, error = answers[1]
        if error is not None:
            raise error
        if not delegated and planned:
            # Delegation is turned on by an earlier task of this check-mode run: nobody has
            # access to a freshly delegated mailbox, whatever the actors read answered.
            return {}
        if not delegated:
            raise MailadminError(
                'Delegation is not enabled for the mailbox of %s, so nobody can be given access to it. '
                'Enable it first with mailops.mailadmin.delegated_mailbox. Nothing was changed.'
                % (mailbox['email'] or mailbox['id']), mailbox_id=mailbox['id'])
    current, error = answers[0]
    if error is not None:
        raise error
    return current


def run(m):
    params = m.params
    requested = requested_access(params)
    conn = Y360Connection(m)
    directory = conn.directory
    mailbox = directory.resolve_mailbox(require_non_empty(params['mailbox'], 'mailbox'))
    desired = resolve_actors(directory, mailbox, requested)
    current = read_current(conn, mailbox, planned=m.check_mode and params['delegation_planned'])

    changes, after = _access.plan_access(current, desired, params['state'], params['exclusive'],
                                         keep=(mailbox['id'],))
    # Actors are people: their addresses come from the directory already read (no extra request).
    names = emails_by_id(directory.users())
    plan = AccessPlan(names)
    plan.add(mailbox, current, changes)
    engine.check_mailbox_limits(plan)
    reach = engine.read_reach(conn, engine.gaining_actors(plan))
    engine.check_actor_limits(plan, reach)

    records, tasks = plan.records(), []
    if plan and not m.check_mode:
        records, tasks, actual = engine.apply(conn, plan, reach, params['notify'], params['wait'],
                                              params['wait_timeout'], task_fields=TASK_FIELDS)
        after = actual[mailbox['id']]

    return m.changes_result(
        records,
        before=_access.diff_view(mailbox['email'], current, names),
        after=_access.diff_view(mailbox['email'], after, names),
        mailbox_id=mailbox['id'],
        access=_access.access_list(after, names),
        tasks=tasks,
    )


def main():
    role_spec = dict(type='list', elements='str', choices=list(ROLES))
    argument_spec = dict(
        mailbox=dict(type='str', required=True),
        actor=dict(type='str'),
        roles=role_spec,
        access=dict(type='list', elements='dict', options=dict(
            actor=dict(type='str', required=True),
            roles=dict(role_spec),
        )),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        exclusive=dict(type='bool', default=False),
        notify=dict(type='str', choices=list(NOTIFY_CHOICES), default='none'),
        wait=dict(type='bool', default=True),
        wait_timeout=dict(type='int', default=120),
        delegation_planned=dict(type='bool', default=False),
    )
    MailadminModule(
        'y360', argument_spec,
        mutually_exclusive=[('actor', 'access'), ('roles', 'access')],
        required_one_of=[('actor', 'access')],
        required_if=[('exclusive', True, ('access',))],
    ).run(run)


if __name__ == '__main__':
    main()
