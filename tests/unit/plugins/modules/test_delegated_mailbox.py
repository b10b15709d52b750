# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.mailops.mailadmin.plugins.module_utils._access_view import delegation_action
from ansible_collections.mailops.mailadmin.plugins.modules import delegated_mailbox
from ansible_collections.mailops.mailadmin.tests.unit.plugins.harness import run_module
from ansible_collections.mailops.mailadmin.tests.unit.plugins.modules.y360_org import (
    ALICE, ARGS, BOB, CAROL, DAVE, MAILBOXES, SUPPORT, TOKEN, expect_actors, expect_delegated,
    expect_shared, expect_shared_details, expect_users, y360_page,
)


def run(args, **kwargs):
    return run_module(delegated_mailbox, dict(ARGS, **args), **kwargs)


def expect_enable(http, resource_id, **kwargs):
    http.expect('PUT', MAILBOXES + '/delegated', body={'resourceId': resource_id}, **kwargs)


def expect_disable(http, resource_id, answer=None, **kwargs):
    http.expect('DELETE', '%s/delegated/%s' % (MAILBOXES, resource_id), answer=answer, **kwargs)


ALICE_ACTORS = {DAVE: ['shared_mailbox_reader'], BOB: ['shared_mailbox_sender', 'shared_mailbox_owner']}
ALICE_REMOVED = [
    {'actor_id': BOB, 'email': 'bob@example.com', 'roles': ['shared_mailbox_owner']},
    {'actor_id': DAVE, 'email': 'dave@example.com', 'roles': ['shared_mailbox_reader']},
]


@pytest.mark.parametrize('state, delegated, action', [
    ('present', False, 'enable'),
    ('present', True, None),
    ('absent', True, 'disable'),
    ('absent', False, None),
])
def test_delegation_action(state, delegated, action):
    assert delegation_action(state, delegated) == action


def test_enable(http):
    expect_users(http)
    expect_delegated(http, {ALICE: 1})
    expect_enable(http, BOB, answer={'resourceId': BOB})
    result = run({'mailbox': 'bob@example.com'})
    assert result['changed'] is True
    assert result['mailbox'] == {'resource_id': BOB, 'email': 'bob@example.com', 'delegated': True}
    assert result['removed_actors'] == []
    assert 'diff' not in result
    assert [call['method'] for call in http.writes] == ['PUT']


def test_already_enabled_sends_no_write(http):
    expect_users(http)
    expect_delegated(http, {ALICE: 1, CAROL: 0})
    result = run({'mailbox': 'Carol'})
    assert result['changed'] is False
    assert result['mailbox'] == {'resource_id': CAROL, 'email': 'carol@example.com', 'delegated': True}
    assert result['removed_actors'] == []
    assert http.writes == []


def test_disable_lists_removed_actors(http):
    expect_users(http)
    expect_delegated(http, {ALICE: 2})
    expect_actors(http, ALICE, ALICE_ACTORS)
    expect_disable(http, ALICE, answer={})
    result = run({'owner': 'a.smith@example.com', 'state': 'absent'})
    assert result['changed'] is True
    assert result['mailbox'] == {'resource_id': ALICE, 'email': 'alice@example.com', 'delegated': False}
    assert result['removed_actors'] == ALICE_REMOVED
    assert [call['method'] for call in http.writes] == ['DELETE']
    # everyone's access is read before delegation is switched off
    assert [call['method'] for call in http.calls][-2:] == ['GET', 'DELETE']


def test_disable_accepts_an_empty_answer(http):
    expect_users(http)
    expect_delegated(http, {ALICE: 0})
    expect_actors(http, ALICE, {})
    expect_disable(http, ALICE, answer=None)
    result = run({'resource_id': ALICE, 'state': 'absent'})
    assert result['changed'] is True
    assert result['removed_actors'] == []


def test_already_disabled_reads_no_actors(http):
    expect_users(http)
    expect_delegated(http, {ALICE: 1})
    result = run({'mailbox': BOB, 'state': 'absent'})
    assert result['changed'] is False
    assert result['mailbox'] == {'resource_id': BOB, 'email': 'bob@example.com', 'delegated': False}
    assert result['removed_actors'] == []
    assert http.writes == []


def test_check_mode_enable_predicts_and_sends_no_write(http):
    expect_users(http)
    expect_delegated(http, {})
    result = run({'mailbox': 'bob'}, check_mode=True, diff=True)
    assert result['changed'] is True
    assert result['mailbox']['delegated'] is True
    assert result['diff'] == {'before': {'delegated': False, 'actors': {}},
                              'after': {'delegated': True, 'actors': {}}}
    assert http.writes == []


def test_check_mode_disable_names_who_would_lose_access(http):
    expect_users(http)
    expect_delegated(http, {ALICE: 2})
    expect_actors(http, ALICE, ALICE_ACTORS)
    result = run({'mailbox': 'alice', 'state': 'absent'}, check_mode=True, diff=True)
    assert result['changed'] is True
    assert result['mailbox'] == {'resource_id': ALICE, 'email': 'alice@example.com', 'delegated': False}
    assert result['removed_actors'] == ALICE_REMOVED
    assert result['diff'] == {
        'before': {'delegated': True, 'actors': {'bob@example.com': ['shared_mailbox_owner'],
                                                 'dave@example.com': ['shared_mailbox_reader']}},
        'after': {'delegated': False, 'actors': {}},
    }
    assert http.writes == []


def test_diff_only_with_diff_mode(http):
    expect_users(http)
    expect_delegated(http, {ALICE: 2})
    expect_actors(http, ALICE, ALICE_ACTORS)
    expect_disable(http, ALICE, answer={})
    result = run({'mailbox': 'alice', 'state': 'absent'})
    assert 'diff' not in result


def test_diff_of_an_unchanged_delegated_mailbox_shows_its_actors(http):
    expect_users(http)
    expect_delegated(http, {ALICE: 1})
    expect_actors(http, ALICE, {DAVE: ['shared_mailbox_reader'], '1130000000000099': ['shared_mailbox_sender']})
    result = run({'mailbox': 'alice'}, diff=True)
    assert result['changed'] is False
    view = {'delegated': True, 'actors': {'1130000000000099': ['shared_mailbox_sender'],
                                          'dave@example.com': ['shared_mailbox_reader']}}
    assert result['diff'] == {'before': view, 'after': view}
    assert http.writes == []


def test_delegated_list_is_read_over_clamped_pages(http):
    # perPage 1000 is asked for; the server clamps it to 2 and omits "pages"
    pages = [[ALICE, BOB], ['1130000000000010', '1130000000000011'], [CAROL]]
    for number, ids in enumerate(pages, start=1):
        query = {'page': number, 'perPage': 1000}
        items = [{'resourceId': resource_id, 'count': '1'} for resource_id in ids]
        http.expect('GET', MAILBOXES + '/delegated', query=query,
                    answer=y360_page('resources', items, number, 2, 5, with_pages=False))
    expect_users(http)
    result = run({'mailbox': 'carol@EXAMPLE.com'})
    assert result['changed'] is False
    assert result['mailbox']['delegated'] is True


def test_unknown_person_fails_before_any_write(http):
    expect_users(http)
    expect_shared(http, {SUPPORT: 2})
    expect_shared_details(http, SUPPORT, 'support@example.com')
    result = run({'mailbox': 'nobody@example.com'})
    assert result.failed
    assert 'nobody@example.com' in result['msg']
    assert http.writes == []


def test_shared_mailbox_is_refused(http):
    expect_users(http)
    expect_shared(http, {SUPPORT: 2})
    expect_shared_details(http, SUPPORT, 'support@example.com')
    result = run({'mailbox': 'Support@example.com'})
    assert result.failed
    assert 'shared mailboxes need no delegation' in result['msg']
    assert SUPPORT in result['msg']
    assert http.writes == []


def test_api_error_surfaces_status_message_and_request_id(http):
    expect_users(http)
    expect_delegated(http, {})
    expect_enable(http, BOB, status=403, answer={'code': 7, 'message': 'Not an admin', 'details': []},
                  headers={'X-Request-Id': 'req-7f3a'})
    result = run({'mailbox': 'bob'})
    assert result.failed
    assert 'HTTP 403' in result['msg'] and 'Not an admin' in result['msg'] and 'req-7f3a' in result['msg']
    assert result['status'] == 403
    assert result['api_message'] == 'Not an admin'
    assert result['request_id'] == 'req-7f3a'
    assert TOKEN not in result.raw


def test_empty_mailbox_is_refused_without_requests(http):
    result = run({'mailbox': '  '})
    assert result.failed
    assert 'mailbox must not be empty' in result['msg']
    assert http.calls == []
