# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.mailops.mailadmin.plugins.modules import mailbox_access_info
from ansible_collections.mailops.mailadmin.tests.unit.plugins.harness import run_module
from ansible_collections.mailops.mailadmin.tests.unit.plugins.modules.y360_org import (
    ALICE, ARGS, BILLING, BOB, CAROL, DAVE, MAILBOXES, SUPPORT, expect_actors, expect_delegated,
    expect_shared, expect_shared_details, expect_users,
)

NOT_DELEGATED = {'code': 5, 'message': 'not_found: mailbox is not delegated', 'details': []}


def run(args, **kwargs):
    return run_module(mailbox_access_info, dict(ARGS, **args), **kwargs)


def row(mailbox_id, mailbox_type, mailbox_email, actor_id, actor_email, roles):
    return dict(mailbox_id=mailbox_id, mailbox_type=mailbox_type, mailbox_email=mailbox_email,
                actor_id=actor_id, actor_email=actor_email, roles=roles)


def test_who_can_reach_a_shared_mailbox(http):
    expect_users(http)
    expect_shared(http, {SUPPORT: 2, BILLING: 1})
    expect_shared_details(http, SUPPORT, 'support@example.com')
    expect_actors(http, SUPPORT, {DAVE: ['shared_mailbox_sender', 'shared_mailbox_reader'],
                                  ALICE: ['shared_mailbox_owner', 'shared_mailbox_sender']})
    result = run({'mailbox': 'SUPPORT@example.com'}, check_mode=True)
    assert result['changed'] is False
    assert result['access'] == [
        row(SUPPORT, 'shared', 'support@example.com', ALICE, 'alice@example.com', ['shared_mailbox_owner']),
        row(SUPPORT, 'shared', 'support@example.com', DAVE, 'dave@example.com',
            ['shared_mailbox_reader', 'shared_mailbox_sender']),
    ]
    # the first shared mailbox matched: the second one's details are never read
    assert not [call for call in http.calls if call['url'].endswith('/shared/' + BILLING)]


def test_who_can_reach_a_delegated_mailbox(http):
    expect_users(http)
    expect_actors(http, ALICE, {DAVE: ['shared_mailbox_reader'], '1130000000000099': ['shared_mailbox_sender']})
    result = run({'mailbox': 'a.smith@example.com'})
    assert result['access'] == [
        row(ALICE, 'delegated', 'alice@example.com', '1130000000000099', '', ['shared_mailbox_sender']),
        row(ALICE, 'delegated', 'alice@example.com', DAVE, 'dave@example.com', ['shared_mailbox_reader']),
    ]
    # a person's mailbox needs neither the delegated nor the shared list
    assert len(http.calls) == 2


def test_not_delegated_mailbox_answered_with_an_empty_list(http):
    expect_users(http)
    expect_actors(http, BOB, {})
    assert run({'mailbox': 'bob'})['access'] == []


@pytest.mark.parametrize('status', [404, 400])
def test_not_delegated_mailbox_answered_with_an_error(http, status):
    expect_users(http)
    expect_actors(http, BOB, None, status=status, answer=NOT_DELEGATED)
    expect_delegated(http, {ALICE: 1})
    result = run({'mailbox': BOB})
    assert result.get('failed') is None
    assert result['access'] == []


def test_error_for_a_delegated_mailbox_is_not_taken_for_no_access(http):
    expect_users(http)
    expect_actors(http, ALICE, None, status=404, answer={'code': 5, 'message': 'not_found'})
    expect_delegated(http, {ALICE: 1})
    result = run({'mailbox': ALICE})
    assert result.failed
    assert result['status'] == 404
    assert '/actors/' + ALICE in result['msg']


def test_forbidden_is_never_taken_for_no_access(http):
    expect_users(http)
    expect_actors(http, BOB, None, status=403, answer={'code': 7, 'message': 'Not an admin'})
    result = run({'mailbox': BOB})
    assert result.failed
    assert result['api_message'] == 'Not an admin'


def test_what_a_person_can_reach(http):
    expect_users(http)
    http.expect('GET', MAILBOXES + '/resources/' + DAVE, answer={'resources': [
        {'resourceId': SUPPORT, 'type': 'shared', 'roles': ['shared_mailbox_sender', 'shared_mailbox_reader']},
        {'resourceId': CAROL, 'type': 'delegated', 'roles': ['shared_mailbox_imap_admin']},
        {'resourceId': ALICE, 'type': 'delegated', 'roles': ['shared_mailbox_reader', 'shared_mailbox_owner']},
    ]})
    expect_shared_details(http, SUPPORT, 'support@example.com')
    result = run({'actor': 'DAVE'})
    assert result['access'] == [
        row(ALICE, 'delegated', 'alice@example.com', DAVE, 'dave@example.com', ['shared_mailbox_owner']),
        row(CAROL, 'delegated', 'carol@example.com', DAVE, 'dave@example.com', ['shared_mailbox_imap_admin']),
        row(SUPPORT, 'shared', 'support@example.com', DAVE, 'dave@example.com',
            ['shared_mailbox_reader', 'shared_mailbox_sender']),
    ]
    # the shared list is not needed: only the details of the shared mailbox reached
    assert not [call for call in http.calls if call['url'].endswith('/mailboxes/shared')]


def test_person_who_reaches_nothing(http):
    expect_users(http)
    http.expect('GET', MAILBOXES + '/resources/' + BOB, answer={'resources': []})
    assert run({'actor': 'bob@example.com'})['access'] == []


def test_unknown_actor_fails(http):
    expect_users(http)
    result = run({'actor': 'support@example.com'})
    assert result.failed
    assert "Unknown actor 'support@example.com'" in result['msg']


def test_unknown_mailbox_fails(http):
    expect_users(http)
    expect_shared(http, {})
    result = run({'mailbox': 'ghost@example.com'})
    assert result.failed
    assert "'ghost@example.com'" in result['msg']


@pytest.mark.parametrize('args', [{}, {'mailbox': 'bob', 'actor': 'alice'}])
def test_exactly_one_of_mailbox_and_actor(http, args):
    result = run(args)
    assert result.failed
    assert 'mailbox' in result['msg'] and 'actor' in result['msg']
    assert http.calls == []
