# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.mailops.mailadmin.plugins.modules import delegated_mailbox_info
from ansible_collections.mailops.mailadmin.tests.unit.plugins.harness import run_module
from ansible_collections.mailops.mailadmin.tests.unit.plugins.modules.y360_org import (
    ALICE, ARGS, BOB, CAROL, MAILBOXES, SUPPORT, expect_delegated, expect_shared,
    expect_shared_details, expect_users, y360_page,
)

UNKNOWN = '1130000000000077'


def run(args=None, **kwargs):
    return run_module(delegated_mailbox_info, dict(ARGS, **(args or {})), **kwargs)


def test_lists_every_page_sorted_by_email(http):
    expect_users(http)
    # ids may come as numbers and counters as strings; perPage is clamped to 2
    pages = [
        [{'resourceId': CAROL, 'count': 0}, {'resourceId': int(UNKNOWN), 'count': '3'}],
        [{'resourceId': ALICE, 'count': 2}],
    ]
    for number, items in enumerate(pages, start=1):
        http.expect('GET', MAILBOXES + '/delegated', query={'page': number, 'perPage': 1000},
                    answer=y360_page('resources', items, number, 2, 3))
    result = run(check_mode=True)
    assert result['changed'] is False
    assert result['mailboxes'] == [
        {'resource_id': UNKNOWN, 'email': '', 'actors_count': 3},
        {'resource_id': ALICE, 'email': 'alice@example.com', 'actors_count': 2},
        {'resource_id': CAROL, 'email': 'carol@example.com', 'actors_count': 0},
    ]
    assert http.writes == []


def test_no_delegated_mailbox_gives_an_empty_list(http):
    expect_users(http)
    expect_delegated(http, {})
    assert run()['mailboxes'] == []


def test_one_person(http):
    expect_users(http)
    expect_delegated(http, {ALICE: 1, CAROL: 0})
    result = run({'mailbox': 'A.Smith@example.com'})
    assert result['mailboxes'] == [{'resource_id': ALICE, 'email': 'alice@example.com', 'actors_count': 1}]


def test_person_without_delegation_gives_an_empty_list(http):
    expect_users(http)
    expect_delegated(http, {ALICE: 1})
    result = run({'mailbox': BOB})
    assert result.get('failed') is None
    assert result['mailboxes'] == []


def test_unknown_person_fails(http):
    expect_users(http)
    result = run({'mailbox': 'zed'})
    assert result.failed
    assert "'zed'" in result['msg']


def test_shared_mailbox_fails(http):
    expect_users(http)
    expect_shared(http, {SUPPORT: 1})
    expect_shared_details(http, SUPPORT, 'support@example.com')
    result = run({'mailbox': SUPPORT})
    assert result.failed
    assert 'shared mailboxes need no delegation' in result['msg']


def test_api_error_is_reported(http):
    expect_users(http)
    http.expect('GET', MAILBOXES + '/delegated', status=403, answer={'code': 7, 'message': 'Not an admin'},
                headers={'X-Request-Id': 'rid-1'})
    result = run()
    assert result.failed
    assert result['status'] == 403 and result['request_id'] == 'rid-1'
    assert 'Not an admin' in result['msg']
