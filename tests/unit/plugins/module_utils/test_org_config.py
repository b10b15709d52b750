# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.mailops.mailadmin.plugins.module_utils import _org_config as org_config
from ansible_collections.mailops.mailadmin.plugins.module_utils._http import MailadminError

READER = 'shared_mailbox_reader'
OWNER = 'shared_mailbox_owner'
SENDER = 'shared_mailbox_sender'
ALICE, BOB = '11', '12'
NAMES = {ALICE: 'alice@example.com', BOB: 'Bob@example.com'}
PERSON = dict(id=ALICE, email='alice@example.com', type='user')
SHARED = dict(id='900', email='support@example.com', type='shared')


def test_overridden_with_nothing_is_refused():
    with pytest.raises(MailadminError, match='state=deleted with config: \\[\\]'):
        org_config.check_config([], 'overridden')
    org_config.check_config([], 'deleted')


@pytest.mark.parametrize('config, says', [
    ([{'mailbox': ' '}], 'needs a mailbox'),
    ([{'mailbox': 'a@example.com', 'access': [{'actor': 'bob', 'roles': []}]}], "'bob' has no roles"),
    ([{'mailbox': 'a@example.com', 'type': 'delegated', 'name': 'A'}], 'only to shared'),
])
def test_check_config_names_the_value(config, says):
    with pytest.raises(MailadminError, match=says):
        org_config.check_config(config, 'replaced')


def test_views_use_addresses_sort_and_leave_out_the_owner():
    person = org_config.mailbox_view(PERSON, {ALICE: {OWNER}, BOB: {SENDER, READER}}, NAMES)
    assert person == dict(mailbox='alice@example.com', type='delegated',
                          access=[dict(actor='Bob@example.com', roles=[READER, SENDER])])
    shared = org_config.mailbox_view(SHARED, {'99': {OWNER, READER}}, NAMES, dict(name='Support', description=''))
    assert shared == dict(mailbox='support@example.com', type='shared', name='Support', description='',
                          access=[dict(actor='99', roles=[OWNER])])
    assert [item['mailbox'] for item in org_config.sort_config([shared, person])] == [
        'alice@example.com', 'support@example.com']


def test_plan_per_state():
    current = {BOB: frozenset({READER})}
    assert org_config.plan_mailbox('merged', SHARED, current, {ALICE: frozenset({SENDER})}, False) == (
        {ALICE: frozenset({SENDER})}, False, False)
    assert org_config.plan_mailbox('replaced', SHARED, current, {}, False) == ({BOB: frozenset()}, False, False)
    assert org_config.plan_mailbox('replaced', SHARED, current, None, False) == ({}, False, False)
    # A person's mailbox whose delegation is off: turned on, planned against nobody having access.
    assert org_config.plan_mailbox('merged', PERSON, {}, {BOB: frozenset({READER})}, False) == (
        {BOB: frozenset({READER})}, True, False)
    assert org_config.plan_mailbox('deleted', PERSON, current, None, True) == ({}, False, True)
    assert org_config.plan_mailbox('deleted', PERSON, {}, None, False) == ({}, False, False)
    assert org_config.plan_mailbox('deleted', SHARED, current, None, False) == ({BOB: frozenset()}, False, False)


def test_removal_guard():
    org_config.check_removals(20, 20)
    org_config.check_removals(500, -1)
    with pytest.raises(MailadminError, match='take away 21 grants'):
        org_config.check_removals(21, 20)
