# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.mailops.mailadmin.plugins.module_utils import _y360 as y360
from ansible_collections.mailops.mailadmin.plugins.modules import mailbox_access
from ansible_collections.mailops.mailadmin.tests.unit.plugins.harness import run_module

BASE = 'https://api.test'
ORG = 1234567
ADMIN = BASE + '/admin/v1/org/%d/mailboxes' % ORG
USERS = BASE + '/directory/v1/org/%d/users' % ORG

ALICE, BOB, CAROL, DAVE = '1130000000000001', '1130000000000002', '1130000000000003', '1130000000000004'
SHARED = '1130000000000501'
OWNER = 'shared_mailbox_owner'
READER = 'shared_mailbox_reader'
SENDER = 'shared_mailbox_sender'


def user(uid, nick, aliases=()):
    return {'id': uid, 'nickname': nick, 'email': '%s@example.com' % nick, 'aliases': list(aliases)}


PEOPLE = [user(ALICE, 'alice', ['a.smith']), user(BOB, 'bob'), user(CAROL, 'carol'), user(DAVE, 'dave')]


def args(**kwargs):
    base = dict(token='tok-secret', org_id=ORG, api_url=BASE, mailbox='alice@example.com')
    base.update(kwargs)
    return base


def expect_users(http):
    http.expect('GET', USERS, query={'page': '1', 'perPage': '1000'},
                answer={'users': PEOPLE, 'page': 1, 'pages': 1, 'perPage': 1000, 'total': len(PEOPLE)})


def expect_delegated(http, ids=(ALICE,)):
    http.expect('GET', ADMIN + '/delegated', query={'page': '1', 'perPage': '1000'},
                answer={'resources': [{'resourceId': i, 'count': 1} for i in ids], 'page': 1, 'perPage': 100,
                        'total': len(ids)})


def expect_actors(http, mailbox, actors):
    http.expect('GET', ADMIN + '/actors/%s' % mailbox,
                answer={'actors': [{'actorId': a, 'roles': r} for a, r in actors.items()]})


def expect_resources(http, actor, count):
    http.expect('GET', ADMIN + '/resources/%s' % actor, answer={'resources': [
        {'resourceId': str(9000 + index), 'type': 'shared', 'roles': [READER]} for index in range(count)]})


def expect_set(http, mailbox, actor, roles, task_id, notify='none', **kwargs):
    http.expect('POST', ADMIN + '/set/%s' % mailbox, query={'actorId': actor, 'notify': notify},
                body={'roles': sorted(roles)}, answer={'taskId': task_id}, **kwargs)


def expect_task(http, task_id, status, times=1):
    http.expect('GET', ADMIN + '/tasks/%s' % task_id, answer={'status': status}, times=times)


def user_mailbox(http, actors, delegated=(ALICE,)):
    expect_users(http)
    expect_delegated(http, delegated)
    expect_actors(http, ALICE, actors)


def test_grant_new_actor(http):
    user_mailbox(http, {DAVE: [READER]})
    expect_resources(http, BOB, 3)
    expect_set(http, ALICE, BOB, [SENDER, READER], 't1')
    expect_task(http, 't1', 'running')
    expect_task(http, 't1', 'complete')
    expect_actors(http, ALICE, {DAVE: [READER], BOB: [READER, SENDER]})
    result = run_module(mailbox_access, args(actor='bob', roles=[SENDER, READER]))
    assert result['changed'] is True, result
    assert result['mailbox_id'] == ALICE
    assert result['access'] == [
        dict(actor_id=BOB, email='bob@example.com', roles=[READER, SENDER]),
        dict(actor_id=DAVE, email='dave@example.com', roles=[READER]),
    ]
    assert result['tasks'] == [dict(actor_id=BOB, task_id='t1', status='complete')]
    assert 'diff' not in result
    assert 'tok-secret' not in result.raw


def test_change_roles_needs_no_limit_reads(http):
    user_mailbox(http, {BOB: [READER]})
    expect_set(http, ALICE, BOB, [OWNER], 't1', notify='delegates')
    expect_task(http, 't1', 'complete')
    expect_actors(http, ALICE, {BOB: [OWNER]})
    result = run_module(mailbox_access, args(actor=BOB, roles=[OWNER, SENDER], notify='delegates'))
    assert result['changed'] is True
    assert result['access'] == [dict(actor_id=BOB, email='bob@example.com', roles=[OWNER])]


def test_unchanged_sends_nothing(http):
    user_mailbox(http, {BOB: [SENDER, READER]})
    result = run_module(mailbox_access, args(actor='BOB@example.com', roles=[READER, SENDER]), diff=True)
    assert result['changed'] is False
    assert result['tasks'] == []
    assert http.writes == []
    assert result['diff']['before'] == result['diff']['after']


def test_owner_role_absorbs_others(http):
    user_mailbox(http, {BOB: [OWNER]})
    result = run_module(mailbox_access, args(access=[dict(actor='bob', roles=[OWNER, SENDER, READER])]))
    assert result['changed'] is False
    assert http.writes == []


def test_only_changed_actors_get_requests_concurrently(http):
    user_mailbox(http, {BOB: [READER], CAROL: [SENDER]})
    expect_resources(http, DAVE, 0)
    expect_set(http, ALICE, CAROL, [READER], 't1')
    expect_set(http, ALICE, DAVE, [READER], 't2')
    expect_task(http, 't1', 'complete')
    expect_task(http, 't2', 'complete')
    expect_actors(http, ALICE, {BOB: [READER], CAROL: [READER], DAVE: [READER]})
    result = run_module(mailbox_access, args(access=[
        dict(actor='bob', roles=[READER]), dict(actor='carol', roles=[READER]), dict(actor='dave', roles=[READER])]))
    assert result['changed'] is True
    assert sorted(task['actor_id'] for task in result['tasks']) == [CAROL, DAVE]
    assert len(http.writes) == 2


def test_absent(http):
    user_mailbox(http, {BOB: [READER], DAVE: [READER]})
    expect_set(http, ALICE, BOB, [], 't1')
    expect_task(http, 't1', 'complete')
    expect_actors(http, ALICE, {DAVE: [READER]})
    result = run_module(mailbox_access, args(actor='bob', state='absent'), diff=True)
    assert result['changed'] is True
    assert result['access'] == [dict(actor_id=DAVE, email='dave@example.com', roles=[READER])]
    assert result['diff'] == dict(
        before=dict(mailbox='alice@example.com', access={'bob@example.com': [READER], 'dave@example.com': [READER]}),
        after=dict(mailbox='alice@example.com', access={'dave@example.com': [READER]}))


def test_already_absent(http):
    user_mailbox(http, {DAVE: [READER]})
    result = run_module(mailbox_access, args(access=[dict(actor='bob')], state='absent'))
    assert result['changed'] is False
    assert http.writes == []


def test_exclusive_revokes_before_granting(http):
    user_mailbox(http, {BOB: [READER], CAROL: [SENDER]})
    expect_resources(http, DAVE, 0)
    expect_set(http, ALICE, BOB, [], 't1')
    expect_set(http, ALICE, DAVE, [OWNER], 't2')
    expect_task(http, 't1', 'complete')
    expect_task(http, 't2', 'complete')
    expect_actors(http, ALICE, {CAROL: [SENDER], DAVE: [OWNER]})
    result = run_module(mailbox_access, args(exclusive=True, access=[
        dict(actor='carol', roles=[SENDER]), dict(actor='dave', roles=[OWNER])]), diff=True)
    assert result['changed'] is True
    writes = [(call['query']['actorId'], call['body']['roles']) for call in http.writes]
    assert writes == [(BOB, []), (DAVE, [OWNER])]
    assert result['diff']['after']['access'] == {'carol@example.com': [SENDER], 'dave@example.com': [OWNER]}


def test_check_mode_predicts_exactly_and_sends_no_write(http):
    user_mailbox(http, {BOB: [READER], CAROL: [SENDER]})
    expect_resources(http, DAVE, 0)
    result = run_module(mailbox_access, args(exclusive=True, access=[
        dict(actor='carol', roles=[SENDER]), dict(actor='dave', roles=[OWNER])]), check_mode=True, diff=True)
    assert http.writes == []
    assert result['changed'] is True
    assert result['tasks'] == []
    assert result['access'] == [
        dict(actor_id=CAROL, email='carol@example.com', roles=[SENDER]),
        dict(actor_id=DAVE, email='dave@example.com', roles=[OWNER]),
    ]
    assert result['diff'] == dict(
        before=dict(mailbox='alice@example.com', access={'bob@example.com': [READER], 'carol@example.com': [SENDER]}),
        after=dict(mailbox='alice@example.com', access={'carol@example.com': [SENDER], 'dave@example.com': [OWNER]}))


def test_shared_mailbox_needs_no_delegation_check(http):
    expect_users(http)
    http.expect('GET', ADMIN + '/shared', query={'page': '1', 'perPage': '1000'},
                answer={'resources': [{'resourceId': SHARED, 'count': 0}], 'page': 1, 'perPage': 100, 'total': 1})
    http.expect('GET', ADMIN + '/shared/%s' % SHARED, answer={'id': SHARED, 'email': 'support@example.com'})
    expect_actors(http, SHARED, {})
    expect_resources(http, BOB, 0)
    result = run_module(mailbox_access, args(mailbox='Support@example.com', actor='bob', roles=[READER]),
                        check_mode=True)
    assert result['changed'] is True
    assert result['mailbox_id'] == SHARED


def test_not_delegated_fails_before_any_write(http):
    user_mailbox(http, {}, delegated=(CAROL,))
    result = run_module(mailbox_access, args(actor='bob', roles=[READER]))
    assert result.failed
    assert 'mailops.mailadmin.delegated_mailbox' in result['msg']
    assert 'alice@example.com' in result['msg']
    assert http.writes == []


def test_delegation_planned_plans_against_an_empty_mailbox_in_check_mode(http):
    # The actors read of a mailbox whose delegation is off may answer anything: it is ignored.
    user_mailbox(http, {DAVE: [READER]}, delegated=(CAROL,))
    expect_resources(http, BOB, 3)
    result = run_module(mailbox_access, args(actor='bob', roles=[READER], delegation_planned=True),
                        check_mode=True, diff=True)
    assert not result.failed, result.get('msg')
    assert result['changed'] is True
    assert result['access'] == [{'actor_id': BOB, 'email': 'bob@example.com', 'roles': [READER]}]
    assert result['diff']['before']['access'] == {}
    assert result['diff']['after']['access'] == {'bob@example.com': [READER]}
    assert result['tasks'] == []
    assert http.writes == []


def test_delegation_planned_is_ignored_outside_check_mode(http):
    user_mailbox(http, {}, delegated=(CAROL,))
    result = run_module(mailbox_access, args(actor='bob', roles=[READER], delegation_planned=True))
    assert result.failed
    assert 'mailops.mailadmin.delegated_mailbox' in result['msg']
    assert http.writes == []


def test_mailbox_limit(http):
    crowd = {str(2000000000000000 + index): [READER] for index in range(y360.MAX_ACTORS_PER_MAILBOX)}
    user_mailbox(http, crowd)
    result = run_module(mailbox_access, args(actor='bob', roles=[READER]))
    assert result.failed
    assert 'would have 41 actors' in result['msg']
    assert http.writes == []


def test_per_actor_limit(http):
    user_mailbox(http, {})
    expect_resources(http, BOB, y360.MAX_MAILBOXES_PER_ACTOR)
    expect_resources(http, CAROL, 2)
    result = run_module(mailbox_access, args(access=[dict(actor='bob', roles=[READER]),
                                                     dict(actor='carol', roles=[READER])]))
    assert result.failed
    assert 'bob@example.com' in result['msg'] and 'carol@example.com' not in result['msg']
    assert http.writes == []


def test_unknown_actor_fails_before_any_write(http):
    expect_users(http)
    result = run_module(mailbox_access, args(access=[dict(actor='bob', roles=[READER]),
                                                     dict(actor='nobody@example.com', roles=[READER])]))
    assert result.failed
    assert "'nobody@example.com'" in result['msg']
    assert http.writes == []


def test_unknown_mailbox(http):
    expect_users(http)
    http.expect('GET', ADMIN + '/shared', query={'page': '1', 'perPage': '1000'},
                answer={'resources': [], 'page': 1, 'perPage': 100, 'total': 0})
    result = run_module(mailbox_access, args(mailbox='ghost@example.com', actor='bob', roles=[READER]))
    assert result.failed
    assert 'ghost@example.com' in result['msg']


def test_duplicate_actor(http):
    expect_users(http)
    result = run_module(mailbox_access, args(mailbox=BOB, access=[dict(actor='alice', roles=[READER]),
                                                                  dict(actor='a.smith@example.com', roles=[SENDER])]))
    assert result.failed
    assert "'alice' and 'a.smith@example.com'" in result['msg']
    assert 'alice@example.com' in result['msg']


def test_owner_as_actor(http):
    expect_users(http)
    result = run_module(mailbox_access, args(actor='a.smith@example.com', roles=[READER]))
    assert result.failed
    assert 'owner' in result['msg'] and 'a.smith@example.com' in result['msg']


@pytest.mark.parametrize('extra, message', [
    (dict(actor='bob', roles=[]), 'state=absent'),
    (dict(actor='bob'), 'roles is required'),
    (dict(access=[dict(actor='bob')]), 'roles is required'),
    (dict(access=[dict(actor='bob', roles=[READER])], exclusive=True, state='absent'), 'exclusive'),
    (dict(actor='bob', roles=[READER], exclusive=True), 'exclusive'),
    (dict(actor='bob', roles=['shared_mailbox_god']), 'shared_mailbox_god'),
    (dict(actor='bob', roles=[READER], access=[dict(actor='carol', roles=[READER])]), 'mutually exclusive'),
    (dict(actor=' ', roles=[READER]), 'actor must not be empty'),
])
def test_bad_options_fail_without_requests(http, extra, message):
    result = run_module(mailbox_access, args(**extra))
    assert result.failed
    assert message in result['msg']
    assert http.calls == []


def test_api_error_names_actor_and_keeps_sent_tasks(http):
    user_mailbox(http, {BOB: [READER]})
    expect_resources(http, DAVE, 0)
    expect_set(http, ALICE, BOB, [], 't1')
    http.expect('POST', ADMIN + '/set/%s' % ALICE, query={'actorId': DAVE, 'notify': 'none'}, status=403,
                answer={'code': 7, 'message': 'Not an admin'}, headers={'X-Request-Id': 'req-42'})
    result = run_module(mailbox_access, args(exclusive=True, access=[dict(actor='dave', roles=[SENDER])]))
    assert result.failed
    assert 'dave@example.com' in result['msg'] and 'Not an admin' in result['msg'] and 'req-42' in result['msg']
    assert result['tasks'] == [dict(actor_id=BOB, task_id='t1', status='running')]


def test_revocation_refused_reports_the_grant_sent_beside_it(http):
    # Within the limits revocations and grants go out in one round: a refused revocation fails
    # the module, and the failure lists the grant that was sent with it (and its task).
    user_mailbox(http, {BOB: [READER]})
    expect_resources(http, DAVE, 0)
    http.expect('POST', ADMIN + '/set/%s' % ALICE, query={'actorId': BOB, 'notify': 'none'}, status=400,
                answer={'code': 3, 'message': 'bad request'})
    expect_set(http, ALICE, DAVE, [SENDER], 't1')
    result = run_module(mailbox_access, args(exclusive=True, access=[dict(actor='dave', roles=[SENDER])]))
    assert result.failed
    assert 'bob@example.com' in result['msg']
    assert result['tasks'] == [dict(actor_id=DAVE, task_id='t1', status='running')]
    assert result['changed'] is True
    assert [(rec['action'], rec['subject']) for rec in result['changes']] == [('create', 'dave@example.com')]
    assert len(http.writes) == 2


def test_task_error_names_actor_and_task(http):
    user_mailbox(http, {BOB: [READER]})
    expect_resources(http, CAROL, 0)
    expect_set(http, ALICE, BOB, [SENDER], 't1')
    expect_set(http, ALICE, CAROL, [SENDER], 't2')
    expect_task(http, 't1', 'complete')
    expect_task(http, 't2', 'error')
    result = run_module(mailbox_access, args(access=[dict(actor='bob', roles=[SENDER]),
                                                     dict(actor='carol', roles=[SENDER])]))
    assert result.failed
    assert 'carol@example.com' in result['msg'] and 't2' in result['msg'] and 'error' in result['msg']
    assert result['changed'] is True  # Bob's change went through
    assert 'bob@example.com' not in result['msg']
    assert sorted((t['task_id'], t['status']) for t in result['tasks']) == [('t1', 'complete'), ('t2', 'error')]


def test_task_timeout(http, fake_clock):
    user_mailbox(http, {BOB: [READER]})
    expect_set(http, ALICE, BOB, [SENDER], 't1')
    http.expect('GET', ADMIN + '/tasks/t1', answer={'status': 'running'}, times=100)
    result = run_module(mailbox_access, args(actor='bob', roles=[SENDER], wait_timeout=5))
    http.expected = []  # however many polls fitted in the timeout
    assert result.failed
    assert 'bob@example.com' in result['msg'] and 't1' in result['msg'] and 'still running after 5' in result['msg']
    assert result['tasks'] == [dict(actor_id=BOB, task_id='t1', status='running')]
    assert sum(fake_clock.slept) == pytest.approx(5.0)
    assert fake_clock.slept[0] < fake_clock.slept[1]  # short, growing interval


def test_read_back_mismatch(http):
    user_mailbox(http, {BOB: [READER]})
    expect_set(http, ALICE, BOB, [SENDER], 't1')
    expect_task(http, 't1', 'complete')
    expect_actors(http, ALICE, {BOB: [READER]})
    result = run_module(mailbox_access, args(actor='bob', roles=[SENDER]))
    assert result.failed
    assert 'bob@example.com' in result['msg'] and 'reading the mailbox back' in result['msg']
    assert result['tasks'] == [dict(actor_id=BOB, task_id='t1', status='complete')]


def test_wait_false_returns_prediction(http):
    user_mailbox(http, {BOB: [READER]})
    expect_set(http, ALICE, BOB, [], 't1')
    result = run_module(mailbox_access, args(actor='bob', state='absent', wait=False))
    assert result['changed'] is True
    assert result['access'] == []
    assert result['tasks'] == [dict(actor_id=BOB, task_id='t1', status='running')]
