# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.mailops.mailadmin.plugins.modules import mail_forward
from ansible_collections.mailops.mailadmin.tests.unit.plugins.harness import run_module
from ansible_collections.mailops.mailadmin.tests.unit.plugins.modules.mail_list_org import expect_units
from ansible_collections.mailops.mailadmin.tests.unit.plugins.modules.y360_org import (
    ADMIN, ARGS, BOB, SUPPORT, TOKEN, expect_shared, expect_shared_details, expect_users,
)

RULES = '%s/mail/users/%s/settings/user_rules' % (ADMIN, BOB)


def run(args, **kwargs):
    return run_module(mail_forward, dict(ARGS, **args), **kwargs)


def expect_rules(http, forwards=(), autoreplies=()):
    http.expect('GET', RULES, answer={'forwards': list(forwards), 'autoreplies': list(autoreplies)})


def forward(rule_id, address, with_store=True, name=None):
    return {'ruleId': rule_id, 'ruleName': name or 'forward to %s' % address, 'address': address,
            'withStore': with_store}


def expect_create(http, address, with_store=True, name=None, rule_id=42, **kwargs):
    body = {'forward': {'ruleName': name or 'forward to %s' % address, 'address': address, 'withStore': with_store}}
    kwargs.setdefault('answer', {'ruleId': rule_id})
    kwargs.setdefault('headers', {'X-Request-Id': 'rid-create'})
    http.expect('POST', RULES, body=body, **kwargs)


def expect_delete(http, rule_id, **kwargs):
    kwargs.setdefault('answer', {})
    kwargs.setdefault('headers', {'X-Request-Id': 'rid-delete'})
    http.expect('DELETE', '%s/%s' % (RULES, rule_id), **kwargs)


def test_check_mode_predicts_the_create_and_sends_no_write(http):
    expect_users(http)
    expect_rules(http)
    result = run({'user': 'Bob@Example.com', 'address': 'carol@example.com'}, check_mode=True, diff=True)
    assert result['changed'] is True
    assert result['rule'] == {'rule_id': None, 'name': 'forward to carol@example.com',
                              'address': 'carol@example.com', 'keep_copy': True}
    [record] = result['changes']
    assert (record['kind'], record['action'], record['object'], record['subject'], record['request_id']) == (
        'mail_forward', 'create', 'bob@example.com', 'carol@example.com', None)
    assert result['diff'] == {'before': {}, 'after': {'address': 'carol@example.com', 'keep_copy': True}}
    assert http.writes == []


def test_create_returns_the_rule_and_the_request_id(http):
    expect_users(http)
    expect_rules(http, forwards=[forward(7, 'dave@example.com')])
    expect_create(http, 'carol@example.com', with_store=False, name='hand-over', rule_id=42)
    result = run({'user': 'bob', 'address': 'carol@example.com', 'keep_copy': False, 'name': 'hand-over'})
    assert result['changed'] is True
    assert result['rule'] == {'rule_id': '42', 'name': 'hand-over', 'address': 'carol@example.com',
                              'keep_copy': False}
    assert [(r['action'], r['request_id']) for r in result['changes']] == [('create', 'rid-create')]
    assert 'diff' not in result
    assert TOKEN not in result.raw


def test_unchanged_sends_no_write_and_accepts_string_ids(http):
    expect_users(http)
    expect_rules(http, forwards=[forward('7', 'Carol@example.com', name='hand-over')])
    result = run({'user': BOB, 'address': 'carol@example.com'})
    assert result['changed'] is False and result['changes'] == []
    assert result['rule'] == {'rule_id': '7', 'name': 'hand-over', 'address': 'Carol@example.com',
                              'keep_copy': True}
    assert http.writes == []


def test_keep_copy_change_is_delete_then_create_reported_as_one_update(http):
    expect_users(http)
    expect_rules(http, forwards=[forward(7, 'carol@example.com', True, name='hand-over')])
    expect_delete(http, 7)
    expect_create(http, 'carol@example.com', with_store=False, name='hand-over', rule_id=43)
    result = run({'user': 'bob', 'address': 'carol@example.com', 'keep_copy': False}, diff=True)
    assert [call['method'] for call in http.writes] == ['DELETE', 'POST']
    [record] = result['changes']
    assert (record['action'], record['request_id']) == ('update', 'rid-create')
    assert record['before'] == {'address': 'carol@example.com', 'keep_copy': True}
    assert record['after'] == {'address': 'carol@example.com', 'keep_copy': False}
    assert result['rule']['rule_id'] == '43'
    assert result['diff'] == {'before': record['before'], 'after': record['after']}


def test_create_failing_after_the_delete_names_the_removed_rule(http):
    expect_users(http)
    expect_rules(http, forwards=[forward(7, 'carol@example.com', True)])
    expect_delete(http, 7)
    expect_create(http, 'carol@example.com', with_store=False, status=400,
                  answer={'code': 3, 'message': 'rejected', 'details': []}, headers={'X-Request-Id': 'rid-bad'})
    result = run({'user': 'bob', 'address': 'carol@example.com', 'keep_copy': False})
    assert result.failed and result['changed'] is True
    assert 'old rule 7' in result['msg'] and 'removed' in result['msg'] and 'rejected' in result['msg']
    [record] = result['changes']
    assert (record['action'], record['request_id'], record['after']) == ('delete', 'rid-delete', None)


def test_absent_deletes_the_rule(http):
    expect_users(http)
    expect_rules(http, forwards=[forward(7, 'carol@example.com')])
    expect_delete(http, 7, answer=None)
    result = run({'user': 'bob', 'address': 'CAROL@example.com', 'state': 'absent'})
    assert result['rule'] is None
    assert [(r['action'], r['subject'], r['request_id']) for r in result['changes']] == [
        ('delete', 'carol@example.com', 'rid-delete')]


def test_absent_with_no_rule_changes_nothing(http):
    expect_users(http)
    expect_rules(http)
    result = run({'user': 'bob', 'address': 'carol@example.com', 'state': 'absent'})
    assert result['changed'] is False and result['rule'] is None and http.writes == []


def test_forward_to_a_mailing_list_and_a_shared_mailbox(http):
    expect_users(http)
    expect_units(http)
    expect_rules(http)
    expect_create(http, 'sales@example.com')
    assert run({'user': 'bob', 'address': 'sales@example.com'})['changed'] is True
    expect_users(http)
    expect_units(http)
    expect_shared(http, {SUPPORT: 1})
    expect_shared_details(http, SUPPORT, 'support@example.com')
    expect_rules(http)
    expect_create(http, 'support@example.com')
    assert run({'user': 'bob', 'address': 'support@example.com'})['changed'] is True


@pytest.mark.parametrize('address, message', [
    ('someone@gmail.com', "outside the organization's domains (example.com)"),
    ('nobody@example.com', 'Unknown forward target'),
    ('bob@example.com', 'itself'),
])
def test_bad_target_fails_before_any_write(http, address, message):
    expect_users(http)
    if address == 'nobody@example.com':
        expect_units(http)
        expect_shared(http, {})
    result = run({'user': 'bob', 'address': address})
    assert result.failed and message in result['msg'] and address in result['msg']
    assert http.writes == []


def test_bad_target_syntax_fails_before_any_request(http):
    result = run({'user': 'bob', 'address': 'carol'})
    assert result.failed and "'carol'" in result['msg'] and http.calls == []


def test_shared_mailbox_as_user_fails_naming_it(http):
    expect_users(http)
    expect_units(http)
    expect_shared(http, {SUPPORT: 1})
    expect_shared_details(http, SUPPORT, 'support@example.com')
    result = run({'user': 'support@example.com', 'address': 'carol@example.com'})
    assert result.failed and 'shared mailbox' in result['msg'] and 'support@example.com' in result['msg']
    assert http.writes == []


def test_mailing_list_as_user_fails_naming_it(http):
    expect_users(http)
    expect_units(http)
    result = run({'user': 'sales-team@example.com', 'address': 'carol@example.com'})
    assert result.failed and 'mailing list sales@example.com' in result['msg'] and 'sales-team' in result['msg']


def test_unknown_user_fails_naming_it(http):
    expect_users(http)
    expect_units(http)
    expect_shared(http, {})
    result = run({'user': 'zed@example.com', 'address': 'carol@example.com'})
    assert result.failed and "'zed@example.com'" in result['msg'] and http.writes == []
    # a login is neither a shared mailbox's id nor its address: no shared-mailbox read
    expect_users(http)
    expect_units(http)
    result = run({'user': 'zed', 'address': 'carol@example.com'})
    assert result.failed and "'zed'" in result['msg'] and http.writes == []
