# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.mailops.mailadmin.plugins.modules import actor_access
from ansible_collections.mailops.mailadmin.tests.unit.plugins.harness import run_module
from ansible_collections.mailops.mailadmin.tests.unit.plugins.modules.y360_org import (
    ALICE, ARGS, BILLING, DAVE, MAILBOXES, SUPPORT, expect_delegated, expect_shared, expect_shared_details,
    expect_users,
)

READER = 'shared_mailbox_reader'
SENDER = 'shared_mailbox_sender'


def args(**kwargs):
    base = dict(ARGS, actor='dave@example.com')
    base.update(kwargs)
    return base


def expect_resources(http, actor, reached):
    """``reached``: ``{mailbox_id: (type, roles)}``."""
    http.expect('GET', '%s/resources/%s' % (MAILBOXES, actor), answer={'resources': [
        {'resourceId': mailbox_id, 'type': kind, 'roles': roles} for mailbox_id, (kind, roles) in reached.items()]})


def expect_set(http, mailbox, actor, roles, task_id):
    http.expect('POST', '%s/set/%s' % (MAILBOXES, mailbox), query={'actorId': actor, 'notify': 'none'},
                body={'roles': sorted(roles)}, answer={'taskId': task_id}, headers={'X-Request-Id': 'req-' + task_id})


def expect_task(http, task_id, status='complete'):
    http.expect('GET', '%s/tasks/%s' % (MAILBOXES, task_id), answer={'status': status})


def org(http, reached, delegated=None, shared=None):
    expect_users(http)
    expect_resources(http, DAVE, reached)
    expect_delegated(http, {ALICE: 1} if delegated is None else delegated)
    expect_shared(http, {SUPPORT: 1, BILLING: 0} if shared is None else shared)


def test_grants_on_several_mailboxes_in_one_run_read_back_once(http):
    org(http, {})
    expect_shared_details(http, SUPPORT, 'support@example.com')
    expect_set(http, SUPPORT, DAVE, [READER, SENDER], 't1')
    expect_set(http, ALICE, DAVE, [READER], 't2')
    expect_task(http, 't1')
    expect_task(http, 't2')
    expect_resources(http, DAVE, {SUPPORT: ('shared', [READER, SENDER]), ALICE: ('delegated', [READER])})
    result = run_module(actor_access, args(access=[
        dict(mailbox='support@example.com', roles=[SENDER, READER]),
        dict(mailbox='alice', roles=[READER])]))
    assert result['changed'] is True, result
    assert [(rec['action'], rec['object'], rec['subject'], rec['after'], rec['request_id'])
            for rec in result['changes']] == [
        ('create', 'alice@example.com', 'dave@example.com', [READER], 'req-t2'),
        ('create', 'support@example.com', 'dave@example.com', [READER, SENDER], 'req-t1')]
    assert [row['mailbox_email'] for row in result['access']] == ['alice@example.com', 'support@example.com']
    assert sorted(task['task_id'] for task in result['tasks']) == ['t1', 't2']


def test_check_mode_predicts_the_same_records_and_sends_no_write(http):
    org(http, {})
    expect_shared_details(http, SUPPORT, 'support@example.com')
    result = run_module(actor_access, args(access=[
        dict(mailbox='support@example.com', roles=[SENDER, READER]), dict(mailbox='alice', roles=[READER])]),
        check_mode=True, diff=True)
    assert result['changed'] is True
    assert [(rec['action'], rec['object'], rec['request_id']) for rec in result['changes']] == [
        ('create', 'alice@example.com', None), ('create', 'support@example.com', None)]
    assert http.writes == []
    assert result['diff']['after']['access'] == {'alice@example.com': [READER],
                                                 'support@example.com': [READER, SENDER]}


def test_exclusive_empty_removes_everything_but_the_own_mailbox(http):
    org(http, {SUPPORT: ('shared', [READER]), ALICE: ('delegated', [SENDER]), DAVE: ('delegated', ['shared_mailbox_owner'])},
        delegated={ALICE: 1, DAVE: 0})
    expect_shared_details(http, SUPPORT, 'support@example.com')
    expect_set(http, SUPPORT, DAVE, [], 't1')
    expect_set(http, ALICE, DAVE, [], 't2')
    expect_task(http, 't1')
    expect_task(http, 't2')
    expect_resources(http, DAVE, {DAVE: ('delegated', ['shared_mailbox_owner'])})
    result = run_module(actor_access, args(access=[], exclusive=True))
    assert result['changed'] is True, result
    assert [(rec['action'], rec['object']) for rec in result['changes']] == [
        ('delete', 'alice@example.com'), ('delete', 'support@example.com')]
    assert [row['mailbox_id'] for row in result['access']] == [DAVE]


def test_nothing_to_do_sends_no_write(http):
    org(http, {SUPPORT: ('shared', [READER])})
    expect_shared_details(http, SUPPORT, 'support@example.com')
    result = run_module(actor_access, args(access=[dict(mailbox='support@example.com', roles=[READER])]))
    assert result['changed'] is False and result['changes'] == [] and http.writes == []


def test_mailbox_without_delegation_fails_before_any_write(http):
    org(http, {}, delegated={})
    result = run_module(actor_access, args(access=[dict(mailbox='bob', roles=[READER])]))
    assert result.failed and "'bob'" in result['msg'] and 'Delegation is not enabled' in result['msg']
    assert http.writes == []


def test_unknown_mailbox_fails_naming_it(http):
    org(http, {}, shared={})
    result = run_module(actor_access, args(access=[dict(mailbox='nobody@example.com', roles=[READER])]))
    assert result.failed and 'nobody@example.com' in result['msg'] and http.writes == []


def test_full_mailbox_fails_before_any_write(http):
    org(http, {}, shared={SUPPORT: 40})
    expect_shared_details(http, SUPPORT, 'support@example.com')
    result = run_module(actor_access, args(access=[dict(mailbox=SUPPORT, roles=[READER])]))
    assert result.failed and '41 actors' in result['msg'] and http.writes == []


def test_person_at_the_limit_fails_before_any_write(http):
    reached = {str(7000 + n): ('shared', [READER]) for n in range(40)}
    org(http, reached, shared=dict({SUPPORT: 0}, **{mailbox_id: 1 for mailbox_id in reached}))
    for mailbox_id in reached:
        expect_shared_details(http, mailbox_id, 'box%s@example.com' % mailbox_id)
    expect_shared_details(http, SUPPORT, 'support@example.com')
    result = run_module(actor_access, args(access=[dict(mailbox=SUPPORT, roles=[READER])]))
    assert result.failed and 'dave@example.com (41)' in result['msg'] and http.writes == []


def test_empty_roles_refused_before_any_request(http):
    result = run_module(actor_access, args(access=[dict(mailbox='support@example.com', roles=[])]))
    assert result.failed and 'support@example.com' in result['msg'] and http.calls == []
