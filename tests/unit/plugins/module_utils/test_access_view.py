# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.mailops.mailadmin.plugins.module_utils._access_view import (
    access_row, actors_view, actors_when_delegation_may_be_off, sort_access,
)
from ansible_collections.mailops.mailadmin.plugins.module_utils._http import ApiError

EMAILS = {'1': 'bob@example.com', '2': 'Alice@example.com'}


def test_actors_view_keys_by_address_or_id_with_canonical_roles():
    actors = {'1': frozenset(['shared_mailbox_sender', 'shared_mailbox_reader']),
              '2': frozenset(['shared_mailbox_owner', 'shared_mailbox_sender']),
              '9': ['shared_mailbox_half_sender']}
    assert actors_view(actors, EMAILS) == {
        'Alice@example.com': ['shared_mailbox_owner'],
        'bob@example.com': ['shared_mailbox_reader', 'shared_mailbox_sender'],
        '9': ['shared_mailbox_half_sender'],
    }
    assert actors_view({}, EMAILS) == {}


def test_access_rows_are_strings_and_sorted_stably():
    rows = [
        access_row(502, 'shared', 'billing@example.com', 2, 'alice@example.com', ['shared_mailbox_sender']),
        access_row('1', 'delegated', 'Alice@example.com', '9', None, ['shared_mailbox_reader']),
        access_row('1', 'delegated', 'Alice@example.com', '3', 'carol@example.com', ['shared_mailbox_reader']),
        access_row('7', 'delegated', None, '3', 'carol@example.com', []),
    ]
    assert rows[0]['mailbox_id'] == '502' and rows[0]['actor_id'] == '2'
    assert [(row['mailbox_id'], row['actor_id']) for row in sort_access(rows)] == [
        ('7', '3'), ('1', '9'), ('1', '3'), ('502', '2')]
    assert sort_access(list(reversed(rows))) == sort_access(rows)


class FakeMailboxes:
    def __init__(self, actors=None, error=None, delegated=()):
        self._actors, self._error, self._delegated = actors, error, delegated
        self.delegated_reads = 0

    def actors(self, resource_id):
        if self._error is not None:
            raise self._error
        return self._actors

    def is_delegated(self, resource_id):
        self.delegated_reads += 1
        return resource_id in self._delegated


def not_found(status=404):
    return ApiError('GET', 'https://api.test/actors/1', status=status, code=5, api_message='not_found')


def test_an_empty_answer_needs_no_second_read():
    mailboxes = FakeMailboxes(actors={})
    assert actors_when_delegation_may_be_off(mailboxes, '1') == {}
    assert mailboxes.delegated_reads == 0


def test_an_error_for_a_mailbox_whose_delegation_is_off_means_nobody():
    mailboxes = FakeMailboxes(error=not_found())
    assert actors_when_delegation_may_be_off(mailboxes, '1') == {}
    assert mailboxes.delegated_reads == 1


@pytest.mark.parametrize('error, delegated', [
    (not_found(), ('1',)),        # delegated: the error is real
    (not_found(403), ()),         # permission errors are never "nobody"
    (not_found(500), ()),
])
def test_other_errors_are_raised(error, delegated):
    with pytest.raises(ApiError):
        actors_when_delegation_may_be_off(FakeMailboxes(error=error, delegated=delegated), '1')
