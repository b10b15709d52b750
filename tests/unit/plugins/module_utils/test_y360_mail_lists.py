# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.mailops.mailadmin.plugins.module_utils._http import MailadminError
from ansible_collections.mailops.mailadmin.plugins.module_utils._y360_mail_lists import (
    ANONYMOUS, Subject, apply_changes, parse_senders, plan_changes, printable_actions, role_actions, role_name,
    sender_label, sender_records, sender_subject, senders_from_permissions, sort_subjects, subject_from_api,
)
from ansible_collections.mailops.mailadmin.plugins.module_utils._changes import RECORD_KEYS

ORG = 1234567
ALICE = Subject('user', '1130000000000001', ORG)
BOB = Subject('user', '1130000000000002', ORG)
SALES = Subject('group', '1', ORG)
OUTSIDER = Subject('user', '1130000000009001', 0)
EVERYONE = Subject('organization', str(ORG), ORG)


@pytest.mark.parametrize('item, name', [
    ('mail_list_sender', 'mail_list_sender'),
    ({'name': 'mail_list_sender'}, 'mail_list_sender'),
    ({'role': 'mail_list_sender'}, 'mail_list_sender'),
    ({'id': 'mail_list_sender', 'title': 'Sender'}, 'mail_list_sender'),
    ({'whatever': 'mail_list_sender'}, 'mail_list_sender'),
    ({'a': 'x', 'b': 'y'}, None),
    (5, None),
    (None, None),
])
def test_role_name(item, name):
    assert role_name(item) == name


@pytest.mark.parametrize('raw, subject', [
    ({'type': 'anonymous', 'id': 0}, ANONYMOUS),
    ({'type': 'anonymous', 'id': 0, 'org_id': ORG}, ANONYMOUS),
    ({'type': 'user', 'id': 1130000000000001, 'org_id': ORG}, ALICE),
    ({'type': 'user', 'id': '1130000000000001', 'org_id': str(ORG)}, ALICE),
    ({'type': 'user', 'id': 1130000000000001}, ALICE),
    ({'type': 'user', 'id': 1130000000009001, 'org_id': 0}, OUTSIDER),
    ({'type': 'organization', 'org_id': ORG}, EVERYONE),
    ({'type': 'organization', 'id': ORG, 'org_id': ORG}, EVERYONE),
    ({'id': 5}, None),
    ('user', None),
])
def test_subject_from_api(raw, subject):
    assert subject_from_api(raw, ORG) == subject


def test_senders_from_permissions_keeps_only_sender_role_holders():
    data = {'grants': {'items': [
        {'roles': {'items': ['mail_list_sender']}, 'subject': {'type': 'group', 'id': 1, 'org_id': ORG}},
        {'roles': {'items': [{'name': 'mail_list_sender'}]}, 'subject': {'type': 'user', 'id': 1130000000000001}},
        {'roles': {'items': ['something_else']}, 'subject': {'type': 'user', 'id': 1130000000000002}},
        {'roles': ['mail_list_sender'], 'subject': {'type': 'anonymous', 'id': 0}},
        'garbage',
    ]}}
    assert senders_from_permissions(data, ORG) == {SALES, ALICE, ANONYMOUS}


@pytest.mark.parametrize('data', [None, {}, {'grants': None}, {'grants': {'items': None}}, {'grants': {'items': []}}])
def test_senders_from_empty_answers(data):
    assert senders_from_permissions(data, ORG) == set()


def test_parse_senders():
    assert parse_senders([
        {'type': 'user', 'id': ' alice ', 'org_id': None},
        {'type': 'group', 'id': 'sales@example.com', 'org_id': ORG},
        {'type': 'organization', 'id': None, 'org_id': None},
        {'type': 'organization', 'id': str(ORG), 'org_id': None},
        {'type': 'anonymous', 'id': None, 'org_id': ORG},
        {'type': 'user', 'id': '1130000000009001', 'org_id': 0},
        {'id': 'bob'},
    ], ORG) == [
        ('user', 'alice', ORG), ('group', 'sales@example.com', ORG), ('organization', None, ORG),
        ('organization', None, ORG), ('anonymous', None, 0), ('user', '1130000000009001', 0), ('user', 'bob', ORG),
    ]


@pytest.mark.parametrize('spec, text', [
    ({'type': 'robot', 'id': '1'}, 'unknown type'),
    ({'type': 'user'}, 'senders[0] (user -): id is required'),
    ({'type': 'shared_mailbox', 'id': ''}, 'id is required'),
    ({'type': 'user', 'id': 'x@partner.com', 'org_id': 0}, 'numeric id'),
    ({'type': 'user', 'id': '1', 'org_id': 7}, 'org_id must be 1234567'),
    ({'type': 'organization', 'org_id': 0}, 'makes no sense'),
    ({'type': 'organization', 'id': '7'}, 'must be empty or the organization id'),
])
def test_parse_senders_refuses(spec, text):
    with pytest.raises(MailadminError) as exc:
        parse_senders([spec], ORG)
    assert text in exc.value.msg


@pytest.mark.parametrize('current, desired, state, exclusive, revoke, grant', [
    ({SALES}, {ALICE}, 'present', False, [], [ALICE]),
    ({SALES, ALICE}, {ALICE}, 'present', False, [], []),
    ({SALES, ALICE}, {ALICE, BOB}, 'present', True, [SALES], [BOB]),
    ({ANONYMOUS}, {SALES, ALICE}, 'present', True, [ANONYMOUS], [SALES, ALICE]),
    ({SALES, ALICE}, set(), 'present', True, [SALES, ALICE], []),
    (set(), set(), 'present', True, [], []),
    ({SALES, ALICE}, {ALICE, BOB}, 'absent', False, [ALICE], []),
    ({SALES}, {BOB}, 'absent', False, [], []),
    ({ANONYMOUS}, {ALICE}, 'present', False, [], [ALICE]),  # anonymous stays unless exclusive
])
def test_plan_changes(current, desired, state, exclusive, revoke, grant):
    assert plan_changes(current, desired, state, exclusive) == (revoke, grant)
    assert apply_changes(current, revoke, grant) == (
        current - desired if state == 'absent' else (desired if exclusive else current | desired))


def test_role_actions_revoke_first_one_action_per_type():
    actions = role_actions([ANONYMOUS, OUTSIDER], [BOB, SALES, ALICE])
    assert actions == [
        {'type': 'revoke', 'roles': ['mail_list_sender'],
         'subjects': [{'type': 'anonymous', 'id': 0, 'org_id': 0},
                      {'type': 'user', 'id': 1130000000009001, 'org_id': 0}]},
        {'type': 'grant', 'roles': ['mail_list_sender'],
         'subjects': [{'type': 'group', 'id': 1, 'org_id': ORG},
                      {'type': 'user', 'id': 1130000000000001, 'org_id': ORG},
                      {'type': 'user', 'id': 1130000000000002, 'org_id': ORG}]},
    ]
    assert printable_actions(actions)[0]['subjects'][1] == {'type': 'user', 'id': '1130000000009001', 'org_id': 0}
    assert role_actions([], []) == []
    assert [a['type'] for a in role_actions([], [ALICE])] == ['grant']


def test_sort_subjects_numeric_ids():
    assert sort_subjects([Subject('group', '10', ORG), Subject('group', '9', ORG), ANONYMOUS]) == [
        ANONYMOUS, Subject('group', '9', ORG), Subject('group', '10', ORG)]


@pytest.mark.parametrize('sender, label', [
    ({'type': 'anonymous', 'id': '0', 'org_id': 0, 'email': ''}, 'anonymous'),
    ({'type': 'user', 'id': '1', 'org_id': ORG, 'email': 'a@example.com'}, 'user:a@example.com'),
    ({'type': 'organization', 'id': str(ORG), 'org_id': ORG, 'email': ''}, 'organization:%d' % ORG),
    ({'type': 'user', 'id': '9', 'org_id': 0, 'email': ''}, 'user:9 (org_id 0)'),
])
def test_sender_label(sender, label):
    assert sender_label(sender, ORG) == label


@pytest.mark.parametrize('subject, email, text', [
    (ALICE, 'alice@example.com', 'user:alice@example.com'),
    (ALICE, '', 'user:1130000000000001'),
    (SALES, 'sales@example.com', 'group:sales@example.com'),
    (Subject('shared_mailbox', '1130000000000501', ORG), 'support@example.com', 'shared_mailbox:support@example.com'),
    (OUTSIDER, '', 'user:1130000000009001'),
    (EVERYONE, '', 'organization'),
    (ANONYMOUS, '', 'anonymous'),
])
def test_sender_subject(subject, email, text):
    assert sender_subject(subject, email) == text


def test_sender_records_removals_first_then_by_subject():
    revoke, grant = plan_changes({ANONYMOUS, BOB}, {SALES, ALICE, OUTSIDER}, exclusive=True)
    emails = {ALICE: 'alice@example.com', BOB: 'bob@example.com', SALES: 'sales@example.com', OUTSIDER: ''}
    records = sender_records('all@example.com', revoke, grant, emails)
    assert [(r['action'], r['subject']) for r in records] == [
        ('delete', 'anonymous'), ('delete', 'user:bob@example.com'),
        ('create', 'group:sales@example.com'), ('create', 'user:1130000000009001'),
        ('create', 'user:alice@example.com'),
    ]
    assert all(tuple(r) == RECORD_KEYS for r in records)
    assert records[0] == dict(service='y360', kind='mail_list_sender', action='delete', object='all@example.com',
                              subject='anonymous', before=True, after=None,
                              summary='stop anonymous from sending to all@example.com', request_id=None)
    assert records[2]['before'] is None and records[2]['after'] is True
    assert {r['object'] for r in records} == {'all@example.com'}
    assert {r['request_id'] for r in records} == {None}


def test_sender_records_unknown_address_falls_back_to_the_id():
    assert [r['subject'] for r in sender_records('l@x.org', [], [BOB], {})] == ['user:1130000000000002']


def test_sender_records_nothing_to_do():
    assert sender_records('l@x.org', [], [], {}) == []
