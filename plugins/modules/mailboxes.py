#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: mailboxes
short_description: Manage the mailbox sharing of a whole Yandex 360 organization as one configuration
version_added: 0.1.0
description:
  - A resource module in the style of Ansible's network resource modules. One task reads, plans and converges
    every listed mailbox, or the whole organization - delegated mailboxes (a person's own mailbox with delegation
    on), shared mailboxes, and who can reach each of them with which roles.
  - O(state=gathered) returns the current configuration in exactly the O(config) shape; fed back as O(config)
    with O(state=replaced) or O(state=overridden) it changes nothing, so an organization can be exported,
    committed and managed by merge request.
  - The directory and the mailbox lists are read once per run; the actors of the mailboxes are read
    concurrently with a bound, every change is sent concurrently, and the access tasks are polled together.
  - Every reference is resolved and every limit is checked before the first write. In check mode the plan is
    exact, also for mailboxes whose delegation the same run turns on.
author: mailops.mailadmin contributors (@mailops)
options:
  config:
    description:
      - The mailboxes and who can reach them.
    type: list
    elements: dict
    default: []
    suboptions:
      mailbox:
        description:
          - A person's own mailbox by user id, login or address, or a shared mailbox by id or address.
        type: str
        required: true
      type:
        description:
          - V(delegated) for a person's own mailbox, V(shared) for a shared mailbox.
          - Found out from the directory and the list of shared mailboxes; required only for a shared mailbox that
            does not exist yet. A value that contradicts what the mailbox is fails before any write.
        type: str
        choices: [delegated, shared]
      name:
        description:
          - Shared mailboxes only. A missing shared mailbox is created with this name (required then); a
            different name is changed. Omitted means not managed.
        type: str
      description:
        description:
          - Shared mailboxes only. Omitted means not managed (a new shared mailbox gets an empty description).
        type: str
      access:
        description:
          - Who can reach the mailbox, and with which roles.
          - B(Omitted means not managed; V([]) means nobody) (besides a person's own access to their own mailbox).
        type: list
        elements: dict
        suboptions:
          actor:
            description: The person, by user id, login or address.
            type: str
            required: true
          roles:
            description: Their roles, compared as sets (V(shared_mailbox_owner) holds every other role).
            type: list
            elements: str
            required: true
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
      - V(merged) creates missing shared mailboxes, turns delegation on for listed person mailboxes, adds listed
        actors and sets their roles; nothing is taken away.
      - V(replaced) does what V(merged) does, and each listed mailbox's access becomes exactly its O(config[].access).
      - V(overridden) does what V(replaced) does, and every mailbox of the organization that is not listed loses every
        actor, and every person's mailbox not listed gets delegation turned off. Shared mailboxes are never deleted
        (use M(mailops.mailadmin.shared_mailbox) with O(mailops.mailadmin.shared_mailbox#module:state=absent)).
      - V(deleted) takes every actor away from the listed mailboxes and turns delegation off for listed person
        mailboxes; with O(config=[]) it means every mailbox of the organization.
      - V(gathered) only reads, and returns RV(gathered).
    type: str
    choices: [merged, replaced, overridden, deleted, gathered]
    default: merged
  max_removals:
    description:
      - When a run would take away more grants and delegations together than this (the grants that go with a
        delegation turned off included), it fails before any write, naming the count. V(-1) means no limit.
    type: int
    default: 20
  notify:
    description:
      - Who gets an email about each access change. V(all) the mailbox owner and the actor, V(delegates) only
        the actor, V(none) nobody.
    type: str
    choices: [all, delegates, none]
    default: none
  wait:
    description:
      - Wait until every access change is done and read the changed mailboxes back.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait for the access changes, all together.
    type: int
    default: 120
extends_documentation_fragment:
  - mailops.mailadmin.y360
  - mailops.mailadmin.connection
  - mailops.mailadmin.attributes
  - mailops.mailadmin.attributes.actiongroup_y360
notes:
  - A read that fails fails the task; it is never taken as "nothing there", so it never causes a removal.
  - Person mailboxes whose delegation is off have no configuration and are not gathered.
  - Documented limits are checked before any write - 2,500 delegated mailboxes per organization, 40 actors per
    mailbox besides its owner, 40 mailboxes per person besides their own.
seealso:
  - module: mailops.mailadmin.mailbox_access
  - module: mailops.mailadmin.actor_access
  - module: mailops.mailadmin.shared_mailbox
'''

EXAMPLES = r'''
- name: Read the whole organization's mailbox sharing
  mailops.mailadmin.mailboxes:
    state: gathered
  register: org

- name: Make the listed mailboxes exactly so (check first with --check --diff)
  mailops.mailadmin.mailboxes:
    state: replaced
    config:
      - mailbox: support@example.com
        type: shared
        name: Support
        access:
          - actor: alice@example.com
            roles: [shared_mailbox_owner]
          - actor: bob@example.com
            roles: [shared_mailbox_reader, shared_mailbox_sender]
      - mailbox: ceo@example.com
        access:
          - actor: assistant@example.com
            roles: [shared_mailbox_reader]

- name: Converge the whole organization to a committed file, allowing up to 50 removals
  mailops.mailadmin.mailboxes:
    state: overridden
    config: "{{ mailadmin_mailboxes }}"
    max_removals: 50
'''

RETURN = r'''
gathered:
  description:
    - With O(state=gathered), the current configuration in exactly the O(config) shape - every delegated and
      shared mailbox of the organization (or only the listed ones), sorted by address, actors by address, roles
      sorted; addresses instead of ids wherever an address exists; C(access) always present.
  returned: when state is gathered
  type: list
  elements: dict
  sample:
    - {mailbox: alice@example.com, type: delegated, access: [{actor: dave@example.com, roles: [shared_mailbox_reader]}]}
    - {mailbox: support@example.com, type: shared, name: Support, description: Customer support inbox,
       access: [{actor: bob@example.com, roles: [shared_mailbox_reader, shared_mailbox_sender]}]}
before:
  description: The managed mailboxes before the run, in the O(config) shape.
  returned: when state is not gathered
  type: list
  elements: dict
after:
  description: The managed mailboxes after the run (predicted in check mode), in the O(config) shape.
  returned: when state is not gathered
  type: list
  elements: dict
tasks:
  description: The access tasks sent; empty in check mode.
  returned: when state is not gathered
  type: list
  elements: dict
  sample:
    - {mailbox_id: "1130000000000501", actor_id: "1130000000000002", task_id: "7700000000000001", status: complete}
'''

from ansible_collections.mailops.mailadmin.plugins.module_utils import _access
from ansible_collections.mailops.mailadmin.plugins.module_utils import _access_engine as engine
from ansible_collections.mailops.mailadmin.plugins.module_utils import _changes
from ansible_collections.mailops.mailadmin.plugins.module_utils import _org_config as org_config
from ansible_collections.mailops.mailadmin.plugins.module_utils._access_view import emails_by_id
from ansible_collections.mailops.mailadmin.plugins.module_utils._http import MailadminError, map_concurrently
from ansible_collections.mailops.mailadmin.plugins.module_utils._module import MailadminModule
from ansible_collections.mailops.mailadmin.plugins.module_utils._shared_mailbox import (
    check_new_address, plan_shared_mailbox,
)
from ansible_collections.mailops.mailadmin.plugins.module_utils._y360 import (
    MAX_DELEGATED_PER_ORG, NOTIFY_CHOICES, ROLES, Y360Connection, normalize_roles,
)

NEW = 'new:'   # id prefix of a shared mailbox the run creates (its real id is known once created)


class Organization:
    """What one run reads: people, the mailbox lists, shared details, and actors of mailboxes."""

    def __init__(self, conn):
        self.conn = conn
        self.directory = conn.directory
        # One round: the directory and both mailbox lists at once.
        map_concurrently(lambda read: read(), [self.directory.users, conn.mailboxes.delegated, conn.mailboxes.shared])
        self.names = emails_by_id(self.directory.users())
        self.delegated = conn.mailboxes.delegated()
        self.shared = conn.mailboxes.shared()
        self.details = {}

    def read_shared_details(self):
        self.details = {details['id']: details for details in self.directory.all_shared(engine.CONCURRENCY)}

    def mailbox(self, mailbox_id):
        if mailbox_id in self.shared:
            details = self.details.get(mailbox_id) or {}
            return dict(id=mailbox_id, email=details.get('email') or '', type='shared', new=False)
        return dict(id=mailbox_id, email=self.names.get(mailbox_id) or '', type='user', new=False)

    def read_actors(self, mailbox_ids):
        """``{mailbox_id: actor map}``; a mailbox the lists say nobody reaches costs no request."""
        counts = dict(self.shared, **self.delegated)
        wanted = sorted(mailbox_id for mailbox_id in mailbox_ids if counts.get(mailbox_id))
        maps = dict(zip(wanted, map_concurrently(self.conn.mailboxes.actors, wanted, engine.CONCURRENCY)))
        return {mailbox_id: maps.get(mailbox_id, {}) for mailbox_id in mailbox_ids}


def resolve_item(org, item):
    """``{id, email, type, new}`` of one config item's mailbox; contradictions fail naming the value."""
    ref = str(item['mailbox']).strip()
    user = org.directory.find_user(ref)
    if user is not None:
        if item.get('type') == 'shared':
            raise MailadminError('config item %r has type: shared, but it is the address of the person %s: a '
                                 "person's mailbox is type: delegated. Nothing was changed." % (ref, user['email']),
                                 reference=ref)
        if item.get('name') is not None or item.get('description') is not None:
            raise MailadminError('config item %r is the mailbox of the person %s: name and description apply only '
                                 'to shared mailboxes. Nothing was changed.' % (ref, user['email']), reference=ref)
        return dict(id=user['id'], email=user['email'], type='user', new=False)
    shared = org.directory.find_shared(ref)
    if shared is not None:
        if item.get('type') == 'delegated':
            raise MailadminError('config item %r has type: delegated, but it is the shared mailbox %s. Nothing was '
                                 'changed.' % (ref, shared['email']), reference=ref)
        return dict(id=shared['id'], email=shared['email'], type='shared', new=False)
    if item.get('type') != 'shared':
        raise MailadminError('Unknown mailbox %r in config: neither a person nor a shared mailbox of organization %s '
                             '(to create a shared mailbox, give it type: shared and a name). Nothing was changed.'
                             % (ref, org.conn.org_id), reference=ref)
    if not item.get('name'):
        raise MailadminError('config item %r is a new shared mailbox: it needs a name. Nothing was changed.' % ref,
                             reference=ref)
    check_new_address(org.directory, ref)
    return dict(id=NEW + ref.lower(), email=ref, type='shared', new=True)


def resolve_access(org, mailbox, item):
    """``{actor_id: roles}`` of one item, or None when its access is not managed."""
    if item.get('access') is None:
        return None
    resolved, unknown = [], []
    for entry in item['access']:
        user = org.directory.find_user(str(entry['actor']).strip())
        if user is None:
            unknown.append(entry['actor'])
        else:
            resolved.append((entry['actor'], user['id'], entry.get('roles')))
    if unknown:
        raise MailadminError('Unknown actor%s %s on mailbox %s: no user of organization %s has this id, login or '
                             'address. Nothing was changed.' % ('s' if len(unknown) > 1 else '',
                                                                ', '.join(repr(ref) for ref in unknown),
                                                                mailbox['email'], org.conn.org_id))
    duplicates = _access.find_duplicates([(ref, actor_id) for ref, actor_id, dummy in resolved])
    if duplicates:
        raise MailadminError('Each person may appear only once in the access of %s: %s' % (mailbox['email'], '; '.join(
            '%s name the same person' % ' and '.join(repr(ref) for ref in refs)
            for dummy, refs in sorted(duplicates.items()))))
    for ref, actor_id, dummy in resolved:
        if mailbox['type'] == 'user' and actor_id == mailbox['id']:
            raise MailadminError('Actor %r is the owner of the mailbox %s: the owner always has their own mailbox and '
                                 'cannot be given roles on it' % (ref, mailbox['email']))
    return {actor_id: normalize_roles(roles) for dummy, actor_id, roles in resolved}


def resolve_config(org, config):
    """``[(item, mailbox, desired)]``; duplicates (one mailbox named twice) fail before any write."""
    resolved = [(item, resolve_item(org, item)) for item in config]
    duplicates = _access.find_duplicates([(item['mailbox'], mailbox['id']) for item, mailbox in resolved])
    if duplicates:
        raise MailadminError('Each mailbox may appear only once in config: %s. Nothing was changed.' % '; '.join(
            '%s name the same mailbox' % ' and '.join(repr(ref) for ref in refs)
            for dummy, refs in sorted(duplicates.items())))
    return [(item, mailbox, resolve_access(org, mailbox, item)) for item, mailbox in resolved]


def gather(org, config):
    """The ``gathered`` configuration: the listed mailboxes, or every one of the organization."""
    if config:
        mailboxes = [mailbox for dummy, mailbox, dummy2 in resolve_config(org, config)
                     if not mailbox['new'] and (mailbox['type'] == 'shared' or mailbox['id'] in org.delegated)]
    else:
        mailboxes = [org.mailbox(mailbox_id) for mailbox_id in list(org.delegated) + list(org.shared)]
    actors = org.read_actors([mailbox['id'] for mailbox in mailboxes])
    return org_config.sort_config(
        org_config.mailbox_view(mailbox, actors[mailbox['id']], org.names, org.details.get(mailbox['id']))
        for mailbox in mailboxes)


def plan_run(org, state, config):
    """``(plan, shared records, views)``: the access plan, the shared-mailbox records and
    ``{mailbox_id: (mailbox, details before, details after)}`` of every managed mailbox."""
    listed = resolve_config(org, config)
    whole = state == 'overridden' or (state == 'deleted' and not config)
    managed = {mailbox['id'] for dummy, mailbox, dummy2 in listed}
    others = [org.mailbox(mailbox_id) for mailbox_id in sorted(set(org.delegated) | set(org.shared))
              if mailbox_id not in managed] if whole else []
    existing = [mailbox['id'] for dummy, mailbox, dummy2 in listed
                if not mailbox['new'] and (mailbox['type'] == 'shared' or mailbox['id'] in org.delegated)]
    actors = org.read_actors(existing + [mailbox['id'] for mailbox in others])

    plan = engine.AccessPlan(org.names)
    shared_records, views = [], {}
    entries = [(item, mailbox, desired, state) for item, mailbox, desired in listed]
    entries += [(None, mailbox, None, 'deleted') for mailbox in others]
    for item, mailbox, desired, mailbox_state in entries:
        delegated = mailbox['id'] in org.delegated
        current = actors.get(mailbox['id'], {})
        changes, enable, disable = org_config.plan_mailbox(mailbox_state, mailbox, current, desired, delegated)
        plan.add(mailbox, current, changes, enable=enable, disable=disable)
        before_details = None if mailbox['new'] else org.details.get(mailbox['id']) if mailbox['type'] == 'shared' else None
        after_details = before_details
        if item is not None and mailbox['type'] == 'shared' and mailbox_state != 'deleted':
            records = plan_shared_mailbox(mailbox['email'], before_details, 'present', item.get('name'),
                                          item.get('description'))
            shared_records.extend(records)
            if records:
                after_details = dict(records[0]['after'])
        views[mailbox['id']] = (mailbox, before_details, after_details)
    delegated_after = len(org.delegated) + len(plan.enable) - len(plan.disable)
    if plan.enable and delegated_after > MAX_DELEGATED_PER_ORG:
        raise MailadminError('This run would give the organization %d delegated mailboxes; the limit is %d. '
                             'Nothing was changed.' % (delegated_after, MAX_DELEGATED_PER_ORG))
    return plan, shared_records, views, whole


def config_views(plan, views, org, side):
    """The managed mailboxes in the config shape, ``before`` or ``after`` the plan."""
    items = []
    for mailbox_id, (mailbox, before_details, after_details) in views.items():
        if side == 'before':
            exists = not mailbox['new'] and (mailbox['type'] == 'shared' or mailbox_id in org.delegated)
            actor_map, details = plan.current[mailbox_id], before_details
        else:
            exists = mailbox['type'] == 'shared' or (mailbox_id not in plan.disable and (
                mailbox_id in org.delegated or mailbox_id in plan.enable))
            actor_map, details = plan.after(mailbox_id), after_details
        if exists:
            items.append(org_config.mailbox_view(mailbox, actor_map, org.names, details))
    return org_config.sort_config(items)


def apply_shared(conn, plan, records):
    """Create and update shared mailboxes; new ones take their real id in the plan. Returns the
    records with request ids."""
    def write(record):
        mailbox_id = NEW + record['object'].lower()
        if record['action'] == 'create':
            details, request_id = conn.mailboxes.create_shared(record['object'], record['after']['name'],
                                                               record['after']['description'])
            return mailbox_id, details, request_id
        mailbox = [box for box in plan.mailboxes.values() if box['email'] == record['object']][0]
        details, request_id = conn.mailboxes.update_shared(mailbox['id'], record['after']['name'],
                                                           record['after']['description'])
        return mailbox['id'], details, request_id

    done, failures = [], []
    for record in records:
        try:
            old_id, details, request_id = write(record)
        except MailadminError as exc:
            failures.append((record, exc))
            continue
        if record['action'] == 'create':
            plan.rekey(old_id, details['id'])
        done.append(_changes.with_request_id(record, request_id))
    if failures:
        record, exc = failures[0]
        details = dict(exc.details)
        details.update(changes=_changes.ordered(done), changed=bool(done))
        raise MailadminError('Yandex 360 refused to %s: %s' % (record['summary'], exc.msg), **details)
    return done


def run(m):
    params = m.params
    state, config = params['state'], params['config']
    org_config.check_config(config, state)
    conn = Y360Connection(m)
    org = Organization(conn)
    if state == 'overridden' or not config or any(org.directory.find_user(item['mailbox']) is None for item in config):
        org.read_shared_details()
    if state == 'gathered':
        return m.result(False, gathered=gather(org, config))

    plan, shared_records, views, whole = plan_run(org, state, config)
    engine.check_mailbox_limits(plan)
    records = _changes.ordered(shared_records + plan.records())
    org_config.check_removals(_changes.count_removals(records), params['max_removals'])
    gaining = engine.gaining_actors(plan)
    if whole:
        # Every mailbox was read: how many each person reaches is known without a request.
        reach = {actor: _access.reach_count(actor, [dict(resource_id=mailbox_id) for mailbox_id in plan.mailboxes
                                                    if plan.current[mailbox_id].get(actor)]) for actor in gaining}
    else:
        reach = engine.read_reach(conn, gaining)
    engine.check_actor_limits(plan, reach)

    before = config_views(plan, views, org, 'before')
    after = config_views(plan, views, org, 'after')
    tasks = []
    if records and not m.check_mode:
        done = apply_shared(conn, plan, shared_records)
        try:
            access_records, tasks, actual = engine.apply(conn, plan, reach, params['notify'], params['wait'],
                                                         params['wait_timeout'])
        except MailadminError as exc:
            exc.details['changes'] = _changes.ordered(done + exc.details.get('changes', []))
            exc.details['changed'] = bool(exc.details['changes'])
            raise
        records = _changes.ordered(done + access_records)
        views = {mailbox['id']: view for mailbox, view in ((view[0], view) for view in views.values())}
        for mailbox_id, actor_map in actual.items():
            plan.current[mailbox_id] = actor_map
            plan.changes[mailbox_id] = {}
        after = config_views(plan, views, org, 'after')
    result = m.changes_result(records, dict(config=before), dict(config=after), tasks=tasks)
    result.update(before=before, after=after)
    return result


def main():
    MailadminModule('y360', dict(
        config=dict(type='list', elements='dict', default=[], options=dict(
            mailbox=dict(type='str', required=True),
            type=dict(type='str', choices=['delegated', 'shared']),
            name=dict(type='str'),
            description=dict(type='str'),
            access=dict(type='list', elements='dict', options=dict(
                actor=dict(type='str', required=True),
                roles=dict(type='list', elements='str', required=True, choices=list(ROLES)),
            )),
        )),
        state=dict(type='str', choices=list(org_config.STATES), default='merged'),
        max_removals=dict(type='int', default=20),
        notify=dict(type='str', choices=list(NOTIFY_CHOICES), default='none'),
        wait=dict(type='bool', default=True),
        wait_timeout=dict(type='int', default=120),
    )).run(run)


if __name__ == '__main__':
    main()
