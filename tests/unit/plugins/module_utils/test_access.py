# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.mailops.mailadmin.plugins.module_utils import _access
from ansible_collections.mailops.mailadmin.plugins.module_utils._http import MailadminError

OWNER = 'shared_mailbox_owner'
READER = 'shared_mailbox_reader'
SENDER = 'shared_mailbox_sender'


def roles(*names):
    return frozenset(names)


def test_grant_new_actor():
    changes, after = _access.plan_access({}, {'2': [READER]})
    assert changes == {'2': roles(READER)}
    assert after == {'2': roles(READER)}


def test_change_roles_replaces_them():
    changes, after = _access.plan_access({'2': roles(READER)}, {'2': [SENDER, READER]})
    assert changes == {'2': roles(READER, SENDER)}
    assert after == {'2': roles(READER, SENDER)}


def test_unchanged_actor_has_no_change_whatever_the_order():
    current = {'2': roles(READER, SENDER)}
    assert _access.plan_access(current, {'2': [SENDER, READER]}) == ({}, current)


def test_owner_absorbs_every_other_role():
    changes, after = _access.plan_access({'2': roles(OWNER)}, {'2': [OWNER, SENDER]})
    assert changes == {}
    changes, _after = _access.plan_access({'2': roles(OWNER, READER)}, {'2': [OWNER]})
    assert changes == {}


def test_absent_removes_named_actors_only():
    current = {'2': roles(READER), '3': roles(SENDER)}
    changes, after = _access.plan_access(current, {'2': None}, state='absent')
    assert changes == {'2': frozenset()}
    assert after == {'3': roles(SENDER)}


def test_absent_for_actor_without_access_is_no_change():
    assert _access.plan_access({'3': roles(SENDER)}, {'2': None}, state='absent') == ({}, {'3': roles(SENDER)})


def test_exclusive_removes_others_but_keeps_owner():
    current = {'1': roles(OWNER), '2': roles(READER), '3': roles(SENDER)}
    changes, after = _access.plan_access(current, {'3': [SENDER]}, exclusive=True, keep=('1',))
    assert changes == {'2': frozenset()}
    assert after == {'1': roles(OWNER), '3': roles(SENDER)}


def test_exclusive_ignored_with_absent():
    current = {'2': roles(READER), '3': roles(SENDER)}
    changes, _after = _access.plan_access(current, {'2': None}, state='absent', exclusive=True)
    assert changes == {'2': frozenset()}


def test_revocations_and_grants_split():
    changes = {'3': roles(READER), '2': frozenset(), '4': roles(SENDER)}
    assert _access.revocations(changes) == ['2']
    assert _access.grants(changes) == ['3', '4']


def test_gaining_actors_excludes_role_changes():
    current = {'2': roles(READER)}
    after = {'2': roles(SENDER), '3': roles(READER)}
    assert _access.gaining_actors(current, after) == ['3']


def test_find_duplicates():
    assert _access.find_duplicates([('bob', '2'), ('carol', '3'), ('bob@example.com', '2')]) == {
        '2': ['bob', 'bob@example.com']}
    assert _access.find_duplicates([('bob', '2')]) == {}


def test_reach_count_ignores_own_mailbox():
    resources = [dict(resource_id='5'), dict(resource_id='6'), dict(resource_id='5'), dict(resource_id='2')]
    assert _access.reach_count('2', resources) == 2


def many(count, start=100):
    return {str(start + index): roles(READER) for index in range(count)}


def test_mailbox_limit_allows_forty_besides_owner():
    current = many(39)
    current['1'] = roles(OWNER)  # the owner, should the API list them, is not counted
    after = dict(current, **{'9': roles(READER)})
    _access.check_mailbox_limit('1', 'a@example.com', current, after)


def test_mailbox_limit_refuses_the_forty_first():
    current = many(40)
    after = dict(current, **{'9': roles(READER)})
    with pytest.raises(MailadminError) as err:
        _access.check_mailbox_limit('1', 'a@example.com', current, after)
    assert 'a@example.com would have 41 actors' in err.value.msg


def test_mailbox_limit_not_checked_for_role_changes():
    current = many(41)
    after = {actor: roles(SENDER) for actor in current}
    _access.check_mailbox_limit('1', 'a@example.com', current, after)


def test_actor_limit():
    _access.check_actor_limit('a@example.com', {'2': 39}, {'2': 'bob@example.com'})
    with pytest.raises(MailadminError) as err:
        _access.check_actor_limit('a@example.com', {'2': 40, '3': 12}, {'2': 'bob@example.com'})
    assert 'bob@example.com' in err.value.msg
    assert '3' not in err.value.msg.split(': ')[-1]


def test_differences():
    expected = {'2': roles(READER), '3': roles(OWNER)}
    actual = {'2': roles(READER), '3': roles(OWNER, SENDER), '4': roles(READER)}
    assert _access.differences(expected, actual, ['2', '3', '4']) == ['4']
    assert _access.differences(expected, {}, ['2']) == ['2']


def test_access_list_and_diff_view_are_sorted():
    actor_map = {'3': roles(SENDER, READER), '2': roles(OWNER), '9': roles(READER)}
    names = {'2': 'zed@example.com', '3': 'bob@example.com'}
    assert _access.access_list(actor_map, names) == [
        dict(actor_id='9', email='', roles=[READER]),
        dict(actor_id='3', email='bob@example.com', roles=[READER, SENDER]),
        dict(actor_id='2', email='zed@example.com', roles=[OWNER]),
    ]
    assert _access.diff_view('box@example.com', actor_map, names) == dict(
        mailbox='box@example.com',
        access={'zed@example.com': [OWNER], 'bob@example.com': [READER, SENDER], '9': [READER]})
