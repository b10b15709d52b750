# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The access engine: one implementation of planning, checking and applying access changes on
any number of Yandex 360 mailboxes, shared by ``mailbox_access`` (one mailbox, many people),
``actor_access`` (one person, many mailboxes) and ``mailboxes`` (the whole organization).

An :class:`AccessPlan` holds, per mailbox, what it has now and the actors whose roles change,
plus the delegations the run turns on or off. Its records (:meth:`AccessPlan.records`) are the
change records of ``_changes``; :func:`check_limits` refuses a plan that passes a documented
limit before anything is sent; :func:`apply` sends every write with bounded concurrency, polls
every task together and reads the result back once.
"""

from __future__ import annotations

from . import _access, _changes
from ._http import MailadminError, map_concurrently
from ._y360 import MAX_ACTORS_PER_MAILBOX, MAX_MAILBOXES_PER_ACTOR, sorted_roles

# Requests in flight at once for per-actor and per-mailbox calls: the session's connection pool.
CONCURRENCY = 16
TASK_FIELDS = ('mailbox_id', 'actor_id', 'task_id', 'status')


def mailbox_name(mailbox):
    return mailbox['email'] or mailbox['id']


class AccessPlan:
    """What a run changes on a set of mailboxes. Mailboxes are ``{id, email, type}`` with ``type``
    ``user`` (a person's own mailbox) or ``shared``; actor maps are ``{actor_id: frozenset(roles)}``."""

    def __init__(self, names, partial=False):
        self.names = names          # {user id: primary address}
        # partial: the actor maps show only the people the run is about (actor_access), so the
        # result is read back per person and limits count the others from the mailbox lists.
        self.partial = partial
        self.others = {}            # id -> actors of the mailbox not in its actor map
        self.mailboxes = {}         # id -> mailbox
        self.current = {}           # id -> actor map read from the API
        self.changes = {}           # id -> {actor_id: roles} (empty set = revoke)
        self.enable = set()         # ids whose delegation the run turns on
        self.disable = set()        # ids whose delegation the run turns off

    def add(self, mailbox, current, changes=None, enable=False, disable=False, others=0):
        """Add one mailbox. ``disable`` turns its delegation off, which takes every actor's access
        with it; no access change is sent for those actors. ``others``: how many actors the mailbox
        has besides those in ``current`` (with a partial view)."""
        mailbox_id = mailbox['id']
        self.mailboxes[mailbox_id] = mailbox
        self.others[mailbox_id] = others
        self.current[mailbox_id] = dict(current)
        self.changes[mailbox_id] = {} if disable else dict(changes or {})
        if enable:
            self.enable.add(mailbox_id)
        if disable:
            self.disable.add(mailbox_id)

    def rekey(self, old_id, new_id):
        """A mailbox the run created got its real id: file everything under it."""
        for table in (self.mailboxes, self.current, self.changes, self.others):
            table[new_id] = table.pop(old_id)
        self.mailboxes[new_id]['id'] = new_id
        for flags in (self.enable, self.disable):
            if old_id in flags:
                flags.discard(old_id)
                flags.add(new_id)

    def after(self, mailbox_id):
        if mailbox_id in self.disable:
            return {}
        return _access.apply_changes(self.current[mailbox_id], self.changes[mailbox_id])

    def actor(self, actor_id):
        return self.names.get(actor_id) or actor_id

    def set_calls(self):
        """``[(mailbox_id, actor_id, roles)]`` of every access change to send, in a stable order."""
        return [(mailbox_id, actor, self.changes[mailbox_id][actor])
                for mailbox_id in sorted(self.changes) for actor in sorted(self.changes[mailbox_id])]

    def removals(self):
        """How many grants and delegations the plan takes away (what ``max_removals`` counts)."""
        return _changes.count_removals(self.records())

    def records(self):
        """The change records of the whole plan, in the contract's order."""
        records = []
        for mailbox_id, mailbox in self.mailboxes.items():
            name = mailbox_name(mailbox)
            if mailbox_id in self.enable:
                records.append(_changes.delegation_change(name, True))
            if mailbox_id in self.disable:
                records.append(_changes.delegation_change(name, False))
                lost = {actor: frozenset() for actor in self.current[mailbox_id]}
            else:
                lost = {}
            for actor, roles in sorted(dict(self.changes[mailbox_id], **lost).items()):
                records.append(_changes.access_change(
                    name, self.actor(actor), sorted_roles(self.current[mailbox_id].get(actor)), sorted_roles(roles)))
        return _changes.ordered(records)

    def __bool__(self):
        return bool(self.enable or self.disable or any(self.changes.values()))


# -- limits ---------------------------------------------------------------------------------------

def gains_and_losses(plan):
    """``({actor: [mailbox ids gained]}, {actor: [mailbox ids lost]})`` over the whole plan."""
    gains, losses = {}, {}
    for mailbox_id in plan.mailboxes:
        before, after = plan.current[mailbox_id], plan.after(mailbox_id)
        for actor in set(before) | set(after):
            if after.get(actor) and not before.get(actor):
                gains.setdefault(actor, []).append(mailbox_id)
            elif before.get(actor) and not after.get(actor):
                losses.setdefault(actor, []).append(mailbox_id)
    return gains, losses


def gaining_actors(plan):
    return sorted(gains_and_losses(plan)[0])


def check_mailbox_limits(plan):
    """Raise before any write when a mailbox would have more actors than allowed (no reads needed)."""
    for mailbox_id, mailbox in sorted(plan.mailboxes.items()):
        _access.check_mailbox_limit(mailbox_id, mailbox_name(mailbox), plan.current[mailbox_id], plan.after(mailbox_id),
                                    plan.others[mailbox_id])


def check_actor_limits(plan, reach):
    """Raise before any write when a person would reach more mailboxes than allowed.

    ``reach``: ``{actor_id: how many mailboxes besides their own the actor reaches now}`` for
    every actor who gains access somewhere (:func:`gaining_actors`).
    """
    gains, losses = gains_and_losses(plan)
    over = []
    for actor, gained in sorted(gains.items()):
        own = [mailbox_id for mailbox_id in gained if mailbox_id == actor]
        total = reach.get(actor, 0) + len(gained) - len(own) - len([m for m in losses.get(actor, ()) if m != actor])
        if total > MAX_MAILBOXES_PER_ACTOR:
            over.append('%s (%d)' % (plan.actor(actor), total))
    if over:
        raise MailadminError(
            'These people would reach more than %d mailboxes besides their own, the limit: %s. Nothing was changed.'
            % (MAX_MAILBOXES_PER_ACTOR, ', '.join(over)))


def needs_two_phases(plan, reach):
    """Whether grants must wait for the revocations: only when sending them together could pass a
    limit on the API's side before the revocations are done (the API has no ordering guarantee)."""
    gains, dummy = gains_and_losses(plan)
    for mailbox_id in plan.mailboxes:
        current = plan.current[mailbox_id]
        gaining = [actor for actor, roles in plan.changes[mailbox_id].items() if roles and not current.get(actor)]
        count = len([a for a in current if a != mailbox_id]) + plan.others[mailbox_id] + len(gaining)
        if gaining and count > MAX_ACTORS_PER_MAILBOX:
            return True
    return any(reach.get(actor, 0) + len(gained) > MAX_MAILBOXES_PER_ACTOR for actor, gained in gains.items())


def read_reach(conn, actors):
    """``{actor_id: mailboxes reached besides their own}`` for ``actors``, read concurrently."""
    actors = sorted(actors)
    counts = map_concurrently(lambda actor: _access.reach_count(actor, conn.mailboxes.resources(actor)),
                              actors, CONCURRENCY)
    return dict(zip(actors, counts))


# -- applying -------------------------------------------------------------------------------------

class _Progress:
    """Records of what was sent so far, so a failure half way reports them honestly."""

    def __init__(self, plan, task_fields):
        self.plan = plan
        self.task_fields = task_fields
        self.by_key = {(rec['object'], rec['kind'], rec['subject']): rec for rec in plan.records()}
        self.done = []
        self.tasks = []

    def sent(self, mailbox_id, kind, actor, request_id):
        key = (mailbox_name(self.plan.mailboxes[mailbox_id]), kind, None if actor is None else self.plan.actor(actor))
        self.done.append(_changes.with_request_id(self.by_key[key], request_id))

    def sent_disable(self, mailbox_id, request_id):
        self.sent(mailbox_id, 'delegation', None, request_id)
        for actor in self.plan.current[mailbox_id]:
            self.sent(mailbox_id, 'mailbox_access', actor, request_id)

    def fail(self, msg, cause=None):
        """The error to raise: ``msg``, the API details of the first ``cause``, and what was sent."""
        details = dict(cause.details) if cause is not None else {}
        details.update(changes=_changes.ordered(self.done), tasks=self.task_rows(), changed=bool(self.done))
        return MailadminError(msg, **details)

    def task_rows(self):
        return [{key: task[key] for key in self.task_fields} for task in self.tasks]


def _attempt(func):
    def run(item):
        try:
            return item, func(item), None
        except MailadminError as exc:
            return item, None, exc
    return run


def _send_delegations(conn, progress, mailbox_ids, enabled):
    toggle = conn.mailboxes.enable_delegation if enabled else conn.mailboxes.disable_delegation
    failures, causes = [], []
    for mailbox_id, request_id, error in map_concurrently(_attempt(toggle), sorted(mailbox_ids), CONCURRENCY):
        if error is not None:
            failures.append('%s: %s' % (mailbox_name(progress.plan.mailboxes[mailbox_id]), error.msg))
            causes.append(error)
        elif enabled:
            progress.sent(mailbox_id, 'delegation', None, request_id)
        else:
            progress.sent_disable(mailbox_id, request_id)
    if failures:
        raise progress.fail('Yandex 360 refused to turn %s delegation: %s'
                            % ('on' if enabled else 'off', '; '.join(failures)), causes[0])


def _send_roles(conn, progress, calls, notify):
    def send(call):
        mailbox_id, actor, roles = call
        return conn.mailboxes.set_roles(mailbox_id, actor, roles, notify)

    failures, causes = [], []
    for call, answer, error in map_concurrently(_attempt(send), calls, CONCURRENCY):
        mailbox_id, actor, dummy = call
        if error is not None:
            causes.append(error)
            failures.append('%s on %s: %s' % (progress.plan.actor(actor),
                                              mailbox_name(progress.plan.mailboxes[mailbox_id]), error.msg))
            continue
        task_id, request_id = answer
        progress.sent(mailbox_id, 'mailbox_access', actor, request_id)
        progress.tasks.append(dict(mailbox_id=mailbox_id, actor_id=actor, task_id=task_id, status='running'))
    if failures:
        raise progress.fail('Yandex 360 refused access changes: %s' % '; '.join(failures), causes[0])


def _wait(conn, progress, timeout):
    statuses = conn.mailboxes.wait_for_tasks([task['task_id'] for task in progress.tasks], timeout, CONCURRENCY)
    problems = []
    for task in progress.tasks:
        task['status'] = statuses.get(task['task_id'], task['status'])
        who = '%s on %s' % (progress.plan.actor(task['actor_id']),
                            mailbox_name(progress.plan.mailboxes[task['mailbox_id']]))
        if task['status'] == 'error':
            problems.append('the access change of %s (task %s) ended in error' % (who, task['task_id']))
        elif task['status'] != 'complete':
            problems.append('the access change of %s (task %s) was still %s after %s seconds'
                            % (who, task['task_id'], task['status'], timeout))
    if problems:
        raise progress.fail('Access was not fully changed: %s' % '; '.join(problems))


def read_back(conn, plan, mailbox_ids):
    """``{mailbox_id: actor map}`` as the API has it now for ``mailbox_ids``.

    When every change concerns one person, one read of what that person reaches answers for all
    mailboxes (their other actors are taken from the plan); else each mailbox is read, concurrently.
    """
    actors = {actor for mailbox_id in mailbox_ids for actor in plan.changes[mailbox_id]}
    if len(actors) == 1 and (len(mailbox_ids) > 1 or plan.partial):
        actor = actors.pop()
        reached = {item['resource_id']: item['roles'] for item in conn.mailboxes.resources(actor)}
        result = {}
        for mailbox_id in mailbox_ids:
            actual = {other: roles for other, roles in plan.after(mailbox_id).items() if other != actor}
            if reached.get(mailbox_id):
                actual[actor] = reached[mailbox_id]
            result[mailbox_id] = actual
        return result
    maps = map_concurrently(conn.mailboxes.actors, mailbox_ids, CONCURRENCY)
    return dict(zip(mailbox_ids, maps))


def apply(conn, plan, reach, notify='none', wait=True, wait_timeout=120, task_fields=TASK_FIELDS):
    """Send the plan: delegations on, then removals (delegations off, revocations) with the grants
    unless a limit makes them wait, tasks polled together, one read back.

    Returns ``(records with request ids, tasks, {mailbox_id: actor map after})``; raises with the
    records of what was sent when anything fails half way. ``task_fields``: the keys of the task
    rows the calling module returns.
    """
    progress = _Progress(plan, task_fields)
    if plan.enable:
        _send_delegations(conn, progress, plan.enable, True)
    calls = plan.set_calls()
    revocations = [call for call in calls if not call[2]]
    grants = [call for call in calls if call[2]]
    if plan.disable:
        _send_delegations(conn, progress, plan.disable, False)
    if needs_two_phases(plan, reach):
        _send_roles(conn, progress, revocations, notify)
        _send_roles(conn, progress, grants, notify)
    else:
        _send_roles(conn, progress, revocations + grants, notify)
    after = {mailbox_id: plan.after(mailbox_id) for mailbox_id in plan.mailboxes}
    if wait and progress.tasks:
        _wait(conn, progress, wait_timeout)
        touched = sorted({task['mailbox_id'] for task in progress.tasks})
        actual = read_back(conn, plan, touched)
        mismatched = []
        for mailbox_id in touched:
            for actor in _access.differences(after[mailbox_id], actual[mailbox_id], plan.changes[mailbox_id]):
                mismatched.append('%s on %s (asked %s, found %s)' % (
                    plan.actor(actor), mailbox_name(plan.mailboxes[mailbox_id]),
                    sorted(after[mailbox_id].get(actor, ())) or 'no access',
                    sorted(actual[mailbox_id].get(actor, ())) or 'no access'))
            after[mailbox_id] = actual[mailbox_id]
        if mismatched:
            raise progress.fail('The access tasks completed, but reading the mailbox back shows different roles '
                                'for: %s' % '; '.join(mismatched))
    return _changes.ordered(progress.done), progress.task_rows(), after
