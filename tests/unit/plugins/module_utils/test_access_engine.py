# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import threading

import pytest

from ansible_collections.mailops.mailadmin.plugins.module_utils import _access_engine as engine
from ansible_collections.mailops.mailadmin.plugins.module_utils._http import MailadminError

READER = 'shared_mailbox_reader'
SENDER = 'shared_mailbox_sender'
ALICE, BOB, DAVE = '11', '12', '14'
SUPPORT = '900'
NAMES = {ALICE: 'alice@example.com', BOB: 'bob@example.com', DAVE: 'dave@example.com'}
ALICE_BOX = dict(id=ALICE, email='alice@example.com', type='user')
SUPPORT_BOX = dict(id=SUPPORT, email='support@example.com', type='shared')


def roles(*names):
    return frozenset(names)


class FakeMailboxes:
    """The API layer's ``Mailboxes`` as the engine uses it: records each call and its round."""

    def __init__(self, actors=None, refuse=(), task_status='complete', read_back=None):
        self.state = {mailbox: dict(actor_map) for mailbox, actor_map in (actors or {}).items()}
        self.refuse = set(refuse)
        self.task_status = task_status
        self.read_back = read_back
        self.calls = []
        self._lock = threading.Lock()
        self._tasks = {}

    def _log(self, *call):
        with self._lock:
            self.calls.append(call)

    def enable_delegation(self, mailbox_id):
        self._log('enable', mailbox_id)
        return 'req-enable-%s' % mailbox_id

    def disable_delegation(self, mailbox_id):
        self._log('disable', mailbox_id)
        self.state[mailbox_id] = {}
        return 'req-disable-%s' % mailbox_id

    def set_roles(self, mailbox_id, actor, new_roles, notify='none'):
        self._log('set', mailbox_id, actor, tuple(sorted(new_roles)))
        if (mailbox_id, actor) in self.refuse:
            raise MailadminError('HTTP 400: refused', status=400)
        task_id = 't-%s-%s' % (mailbox_id, actor)
        self._tasks[task_id] = (mailbox_id, actor, frozenset(new_roles))
        return task_id, 'req-%s' % task_id

    def wait_for_tasks(self, task_ids, timeout, workers=8):
        self._log('wait', tuple(sorted(task_ids)))
        for task_id in task_ids:
            mailbox_id, actor, new_roles = self._tasks[task_id]
            if self.task_status == 'complete':
                box = self.state.setdefault(mailbox_id, {})
                if new_roles:
                    box[actor] = new_roles
                else:
                    box.pop(actor, None)
        return {task_id: self.task_status for task_id in task_ids}

    def actors(self, mailbox_id):
        self._log('actors', mailbox_id)
        if self.read_back is not None:
            return self.read_back
        return dict(self.state.get(mailbox_id, {}))

    def resources(self, actor):
        self._log('resources', actor)
        return [dict(resource_id=mailbox_id, type='shared', roles=box[actor])
                for mailbox_id, box in sorted(self.state.items()) if actor in box]


class FakeConn:
    def __init__(self, mailboxes):
        self.mailboxes = mailboxes


def plan_of(*entries):
    plan = engine.AccessPlan(NAMES)
    for entry in entries:
        plan.add(*entry[:3], **entry[3] if len(entry) > 3 else {})
    return plan


def test_records_of_a_plan_are_ordered_and_cover_delegation():
    plan = plan_of((ALICE_BOX, {}, {DAVE: roles(READER)}, dict(enable=True)),
                   (SUPPORT_BOX, {BOB: roles(READER)}, {BOB: frozenset()}))
    assert [(rec['kind'], rec['action'], rec['object'], rec['subject']) for rec in plan.records()] == [
        ('mailbox_access', 'delete', 'support@example.com', 'bob@example.com'),
        ('delegation', 'create', 'alice@example.com', None),
        ('mailbox_access', 'create', 'alice@example.com', 'dave@example.com'),
    ]
    assert plan.removals() == 1


def test_turning_delegation_off_takes_every_actor_and_sends_no_set():
    mailboxes = FakeMailboxes({ALICE: {BOB: roles(READER), DAVE: roles(SENDER)}})
    plan = plan_of((ALICE_BOX, mailboxes.state[ALICE], None, dict(disable=True)))
    assert plan.removals() == 3
    records, tasks, after = engine.apply(FakeConn(mailboxes), plan, reach={})
    assert mailboxes.calls == [('disable', ALICE)]
    assert tasks == [] and after == {ALICE: {}}
    assert {rec['request_id'] for rec in records} == {'req-disable-%s' % ALICE}
    assert [rec['action'] for rec in records] == ['delete'] * 3


def test_apply_sends_revocations_and_grants_in_one_round_within_the_limits():
    mailboxes = FakeMailboxes({SUPPORT: {BOB: roles(READER)}})
    plan = plan_of((SUPPORT_BOX, mailboxes.state[SUPPORT], {BOB: frozenset(), DAVE: roles(SENDER)}))
    records, tasks, after = engine.apply(FakeConn(mailboxes), plan, reach={DAVE: 0})
    kinds = [call[0] for call in mailboxes.calls]
    assert kinds == ['set', 'set', 'wait', 'actors']
    assert after == {SUPPORT: {DAVE: roles(SENDER)}}
    assert [(rec['action'], rec['request_id']) for rec in records] == [
        ('delete', 'req-t-900-12'), ('create', 'req-t-900-14')]
    assert [task['status'] for task in tasks] == ['complete', 'complete']


def test_grants_wait_for_revocations_when_the_mailbox_is_full():
    current = {str(5000 + n): roles(READER) for n in range(40)}
    mailboxes = FakeMailboxes({SUPPORT: current}, refuse={(SUPPORT, '5000')})
    plan = plan_of((SUPPORT_BOX, current, {'5000': frozenset(), DAVE: roles(READER)}))
    assert engine.needs_two_phases(plan, {DAVE: 0})
    with pytest.raises(MailadminError) as caught:
        engine.apply(FakeConn(mailboxes), plan, reach={DAVE: 0})
    assert [call[0] for call in mailboxes.calls] == ['set']
    assert caught.value.details['changes'] == [] and caught.value.details['changed'] is False
    assert caught.value.details['status'] == 400


def test_grants_wait_for_revocations_when_the_person_reaches_the_limit():
    plan = plan_of((SUPPORT_BOX, {DAVE: roles(READER)}, {DAVE: frozenset()}),
                   (dict(id='901', email='sales@example.com', type='shared'), {}, {DAVE: roles(READER)}))
    engine.check_actor_limits(plan, {DAVE: 40})   # one lost, one gained: still 40
    assert engine.needs_two_phases(plan, {DAVE: 40})
    assert not engine.needs_two_phases(plan, {DAVE: 10})


def test_actor_limit_counts_gains_and_losses_of_the_whole_plan():
    plan = plan_of((SUPPORT_BOX, {}, {DAVE: roles(READER)}),
                   (dict(id='901', email='sales@example.com', type='shared'), {}, {DAVE: roles(READER)}))
    engine.check_actor_limits(plan, {DAVE: 38})
    with pytest.raises(MailadminError, match=r'dave@example.com \(41\)'):
        engine.check_actor_limits(plan, {DAVE: 39})


def test_mailbox_limit():
    current = {str(5000 + n): roles(READER) for n in range(40)}
    plan = plan_of((SUPPORT_BOX, current, {DAVE: roles(READER)}))
    with pytest.raises(MailadminError, match='41 actors'):
        engine.check_mailbox_limits(plan)


def test_one_person_on_many_mailboxes_is_read_back_once():
    boxes = [dict(id=str(900 + n), email='box%d@example.com' % n, type='shared') for n in range(5)]
    mailboxes = FakeMailboxes({box['id']: {BOB: roles(READER)} for box in boxes})
    plan = plan_of(*[(box, {BOB: roles(READER)}, {DAVE: roles(SENDER)}) for box in boxes])
    records, tasks, after = engine.apply(FakeConn(mailboxes), plan, reach={DAVE: 0})
    assert [call for call in mailboxes.calls if call[0] in ('actors', 'resources')] == [('resources', DAVE)]
    assert all(after[box['id']] == {BOB: roles(READER), DAVE: roles(SENDER)} for box in boxes)
    assert len(records) == 5 and len(tasks) == 5


def test_a_task_error_fails_with_what_was_sent():
    mailboxes = FakeMailboxes({SUPPORT: {}}, task_status='error')
    plan = plan_of((SUPPORT_BOX, {}, {DAVE: roles(READER)}))
    with pytest.raises(MailadminError, match='ended in error') as caught:
        engine.apply(FakeConn(mailboxes), plan, reach={DAVE: 0})
    assert [rec['subject'] for rec in caught.value.details['changes']] == ['dave@example.com']
    assert caught.value.details['changed'] is True


def test_read_back_mismatch_fails():
    mailboxes = FakeMailboxes({SUPPORT: {}}, read_back={DAVE: roles(SENDER)})
    plan = plan_of((SUPPORT_BOX, {}, {DAVE: roles(READER)}))
    with pytest.raises(MailadminError, match='reading the mailbox back'):
        engine.apply(FakeConn(mailboxes), plan, reach={DAVE: 0})


def test_no_wait_returns_running_tasks_and_the_prediction():
    mailboxes = FakeMailboxes({SUPPORT: {}})
    plan = plan_of((SUPPORT_BOX, {}, {DAVE: roles(READER)}))
    records, tasks, after = engine.apply(FakeConn(mailboxes), plan, reach={}, wait=False,
                                         task_fields=('actor_id', 'status'))
    assert tasks == [dict(actor_id=DAVE, status='running')]
    assert after == {SUPPORT: {DAVE: roles(READER)}}
    assert [call[0] for call in mailboxes.calls] == ['set']
