# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.mailops.mailadmin.plugins.module_utils import _changes

READER = 'shared_mailbox_reader'
SENDER = 'shared_mailbox_sender'


def test_access_grant_is_create_with_sorted_roles_and_summary():
    rec = _changes.access_change('support@example.com', 'dave@example.com', None, [SENDER, READER])
    assert rec == dict(service='y360', kind='mailbox_access', action='create', object='support@example.com',
                       subject='dave@example.com', before=None, after=[READER, SENDER],
                       summary='grant shared_mailbox_reader, shared_mailbox_sender on support@example.com '
                               'to dave@example.com',
                       request_id=None)
    assert tuple(rec) == _changes.RECORD_KEYS


@pytest.mark.parametrize('before, after, action', [
    ([READER], [SENDER], 'update'),
    ([READER], [], 'delete'),
    ([READER], None, 'delete'),
    ([], [READER], 'create'),
])
def test_access_action(before, after, action):
    rec = _changes.access_change('m@example.com', 'a@example.com', before, after)
    assert rec['action'] == action
    assert rec['before'] == (before or None)
    assert rec['after'] == (after or None)


def test_delegation_never_null():
    on = _changes.delegation_change('erin@example.com', True)
    off = _changes.delegation_change('erin@example.com', False)
    assert (on['action'], on['before'], on['after'], on['subject']) == ('create', False, True, None)
    assert (off['action'], off['before'], off['after']) == ('delete', True, False)


def test_other_kinds():
    assert _changes.sender_change('sales@example.com', 'user:bob@example.com', True)['after'] is True
    assert _changes.sender_change('sales@example.com', 'anonymous', False)['action'] == 'delete'
    rename = _changes.shared_mailbox_change('s@example.com', dict(name='A', description=''),
                                            dict(name='B', description=''))
    assert rename['action'] == 'update' and "name from 'A' to 'B'" in rename['summary']
    fwd = _changes.forward_change('leaver@example.com', 'boss@example.com',
                                  dict(address='boss@example.com', keep_copy=False),
                                  dict(address='boss@example.com', keep_copy=True))
    assert (fwd['kind'], fwd['action'], fwd['object'], fwd['subject']) == (
        'mail_forward', 'update', 'leaver@example.com', 'boss@example.com')
    reply = _changes.autoreply_change('leaver@example.com', 'autoreply', None, dict(name='autoreply', text='Gone'))
    assert (reply['action'], reply['subject']) == ('create', 'autoreply')
    uss = _changes.clouduss_change('a@example.com', None, dict(executive=True))
    assert (uss['service'], uss['action'], uss['after']) == ('clouduss', 'create', dict(executive=True))


def test_ordered_puts_removals_first_then_object_subject():
    grant_b = _changes.access_change('b@example.com', 'x@example.com', None, [READER])
    grant_a2 = _changes.access_change('A@example.com', 'z@example.com', None, [READER])
    grant_a1 = _changes.access_change('a@example.com', 'y@example.com', None, [READER])
    delegation = _changes.delegation_change('a@example.com', True)
    revoke = _changes.access_change('z@example.com', 'x@example.com', [READER], None)
    assert _changes.ordered([grant_b, grant_a2, revoke, grant_a1, delegation]) == [
        revoke, delegation, grant_a1, grant_a2, grant_b]


def test_with_request_id_copies():
    rec = _changes.delegation_change('a@example.com', True)
    done = _changes.with_request_id(rec, 12)
    assert done['request_id'] == '12' and rec['request_id'] is None
    assert _changes.with_request_id(rec, '')['request_id'] is None


def test_count_removals():
    recs = [_changes.delegation_change('a@example.com', False),
            _changes.access_change('a@example.com', 'b@example.com', [READER], None),
            _changes.access_change('a@example.com', 'c@example.com', None, [READER])]
    assert _changes.count_removals(recs) == 2
