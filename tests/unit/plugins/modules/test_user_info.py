# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.mailops.mailadmin.plugins.modules import user_info
from ansible_collections.mailops.mailadmin.tests.unit.plugins.harness import run_module
from ansible_collections.mailops.mailadmin.tests.unit.plugins.modules.y360_org import (
    ALICE, ARGS, BOB, CAROL, DAVE, DIRECTORY, USERS, expect_users, y360_page,
)


def run(args=None, **kwargs):
    return run_module(user_info, dict(ARGS, **(args or {})), **kwargs)


ALICE_VIEW = {'id': ALICE, 'nickname': 'alice', 'email': 'alice@example.com', 'aliases': ['a.smith'],
              'name': {'first': 'Alice', 'last': '', 'middle': ''}, 'department_id': None,
              'is_enabled': True, 'is_dismissed': False, 'is_admin': False}


def test_every_person_sorted_by_address(http):
    expect_users(http, list(reversed(USERS)))
    result = run()
    assert result['changed'] is False
    assert 'changes' not in result
    assert [user['id'] for user in result['users']] == [ALICE, BOB, CAROL, DAVE]
    assert result['users'][0] == ALICE_VIEW
    assert len(http.calls) == 1


def test_every_page_is_read(http):
    people = [dict(USERS[0], isAdmin=True, departmentId=2, name={'first': 'Alice', 'last': 'Smith', 'middle': 'Q'}),
              USERS[1], USERS[2], USERS[3]]
    for number, chunk in enumerate([people[:2], people[2:]], start=1):
        http.expect('GET', DIRECTORY + '/users', query={'page': number, 'perPage': 1000},
                    answer=y360_page('users', chunk, number, 2, 4))
    result = run()
    assert [user['id'] for user in result['users']] == [ALICE, BOB, CAROL, DAVE]
    assert result['users'][0]['is_admin'] is True
    assert result['users'][0]['department_id'] == '2'
    assert result['users'][0]['name'] == {'first': 'Alice', 'last': 'Smith', 'middle': 'Q'}


@pytest.mark.parametrize('ref', [ALICE, int(ALICE), 'alice', 'ALICE@example.com', 'a.smith@Example.com'])
def test_one_person_by_any_reference(http, ref):
    expect_users(http)
    result = run({'user': ref})
    assert result['users'] == [ALICE_VIEW]
    assert len(http.calls) == 1


@pytest.mark.parametrize('ref', ['nobody@example.com', 'support@example.com', '1130000000000999', 'nobody',
                                 'alice@other.example.net'])
def test_nobody_matches_is_an_empty_list_not_a_failure(http, ref):
    expect_users(http)
    result = run({'user': ref})
    assert not result.failed
    assert result['users'] == []
    assert result['changed'] is False


def test_blank_user_fails_without_requests(http):
    result = run({'user': '  '})
    assert result.failed and 'user must not be empty' in result['msg']
    assert http.calls == []


def test_check_mode_reads_the_same(http):
    expect_users(http)
    assert run({'user': 'bob'}, check_mode=True)['users'][0]['id'] == BOB
