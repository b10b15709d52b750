# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import threading

from ansible_collections.mailops.mailadmin.plugins.module_utils import _y360
from ansible_collections.mailops.mailadmin.plugins.modules import shared_mailbox_info
from ansible_collections.mailops.mailadmin.tests.unit.plugins.harness import run_module
from ansible_collections.mailops.mailadmin.tests.unit.plugins.modules.y360_org import (
    ARGS, BILLING, MAILBOXES, SUPPORT, expect_shared, expect_shared_details, expect_users,
)

INFO = '1130000000000503'


def run(args=None, **kwargs):
    return run_module(shared_mailbox_info, dict(ARGS, **(args or {})), **kwargs)


def test_every_mailbox_with_details_sorted_by_address(http):
    expect_shared(http, {SUPPORT: 2, INFO: 0, BILLING: 1})
    expect_shared_details(http, SUPPORT, 'support@example.com')
    expect_shared_details(http, BILLING, 'billing@example.com')
    expect_shared_details(http, INFO, 'info@example.com')
    result = run()
    assert result['changed'] is False and 'changes' not in result
    assert result['mailboxes'] == [
        {'id': BILLING, 'email': 'billing@example.com', 'name': 'Billing', 'description': '', 'actors_count': 1},
        {'id': INFO, 'email': 'info@example.com', 'name': 'Info', 'description': '', 'actors_count': 0},
        {'id': SUPPORT, 'email': 'support@example.com', 'name': 'Support', 'description': '', 'actors_count': 2},
    ]
    # no directory read without `mailbox`
    assert all('/directory/' not in call['url'] for call in http.calls)


def test_details_are_read_concurrently_with_a_bound(http, monkeypatch):
    ids = [str(1130000000000600 + n) for n in range(40)]
    expect_shared(http, {resource_id: 0 for resource_id in ids})
    for resource_id in ids:
        expect_shared_details(http, resource_id, 'box%s@example.com' % resource_id[-2:])
    in_flight, peak, lock = [0], [0], threading.Lock()
    real = _y360.Mailboxes.shared_details

    def counting(self, resource_id):
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        try:
            threading.Event().wait(0.01)
            return real(self, resource_id)
        finally:
            with lock:
                in_flight[0] -= 1

    monkeypatch.setattr(_y360.Mailboxes, 'shared_details', counting)
    result = run()
    assert len(result['mailboxes']) == 40
    assert 1 < peak[0] <= _y360.SHARED_LOOKUP_BATCH


def test_a_mailbox_deleted_while_reading_is_left_out(http):
    expect_shared(http, {SUPPORT: 2, INFO: 0})
    expect_shared_details(http, SUPPORT, 'support@example.com')
    http.expect('GET', '%s/shared/%s' % (MAILBOXES, INFO), status=404, answer={'code': 5, 'message': 'not_found'})
    assert [row['id'] for row in run()['mailboxes']] == [SUPPORT]


def test_a_failed_details_read_fails_the_task(http):
    expect_shared(http, {SUPPORT: 2})
    http.expect('GET', '%s/shared/%s' % (MAILBOXES, SUPPORT), status=403, answer={'code': 7, 'message': 'Not an admin'})
    result = run()
    assert result.failed and 'HTTP 403' in result['msg']


def test_one_mailbox_by_address_or_id(http):
    expect_users(http)
    expect_shared(http, {SUPPORT: 2, BILLING: 1})
    expect_shared_details(http, SUPPORT, 'support@example.com')
    expect_shared_details(http, BILLING, 'billing@example.com')
    assert [row['id'] for row in run({'mailbox': 'Billing@Example.com'})['mailboxes']] == [BILLING]


def test_one_mailbox_by_id(http):
    expect_users(http)
    expect_shared(http, {SUPPORT: 2, BILLING: 1})
    expect_shared_details(http, SUPPORT, 'support@example.com')
    result = run({'mailbox': SUPPORT})
    assert result['mailboxes'] == [{'id': SUPPORT, 'email': 'support@example.com', 'name': 'Support',
                                    'description': '', 'actors_count': 2}]


def test_unknown_mailbox_fails_naming_it(http):
    expect_users(http)
    expect_shared(http, {SUPPORT: 2})
    expect_shared_details(http, SUPPORT, 'support@example.com')
    result = run({'mailbox': 'nothing@example.com'})
    assert result.failed and "'nothing@example.com'" in result['msg']


def test_a_person_is_not_a_shared_mailbox(http):
    expect_users(http)
    expect_shared(http, {SUPPORT: 2})
    result = run({'mailbox': 'a.smith@example.com'})
    assert result.failed and 'a.smith@example.com' in result['msg'] and 'not a shared mailbox' in result['msg']
