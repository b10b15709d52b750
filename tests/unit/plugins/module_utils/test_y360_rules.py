# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The pure planners and the apply step of mail rules."""

from __future__ import annotations

import pytest

from ansible_collections.mailops.mailadmin.plugins.module_utils._http import MailadminError
from ansible_collections.mailops.mailadmin.plugins.module_utils._y360_rules import (
    apply_steps, check_address_syntax, ordered_steps, plan_autoreply, plan_forward,
)

BOB = 'bob@example.com'


def fwd(rule_id, address, keep_copy=True, name=None):
    return dict(rule_id=rule_id, name=name or 'forward to %s' % address, address=address, keep_copy=keep_copy)


def reply(rule_id, name, text):
    return dict(rule_id=rule_id, name=name, text=text)


def test_forward_create():
    steps, rule = plan_forward([fwd('1', 'dave@example.com')], BOB, 'carol@example.com', True, None, 'present')
    assert rule == fwd(None, 'carol@example.com')
    assert len(steps) == 1 and steps[0]['delete'] is None and steps[0]['create'] == rule
    record = steps[0]['record']
    assert (record['kind'], record['action'], record['object'], record['subject']) == (
        'mail_forward', 'create', BOB, 'carol@example.com')
    assert (record['before'], record['after']) == (None, {'address': 'carol@example.com', 'keep_copy': True})
    assert record['request_id'] is None


def test_forward_unchanged_matches_address_case_insensitively():
    existing = fwd('7', 'Carol@Example.com', name='hand-over')
    steps, rule = plan_forward([existing], BOB, 'carol@example.com', True, 'other name', 'present')
    assert steps == [] and rule == existing


def test_forward_keep_copy_differs_is_one_update_that_keeps_the_name():
    old = fwd('7', 'carol@example.com', keep_copy=True, name='hand-over')
    steps, rule = plan_forward([old], BOB, 'carol@example.com', False, None, 'present')
    assert rule == dict(rule_id=None, name='hand-over', address='carol@example.com', keep_copy=False)
    assert len(steps) == 1 and steps[0]['delete'] == old and steps[0]['create'] == rule
    record = steps[0]['record']
    assert record['action'] == 'update'
    assert record['before'] == {'address': 'carol@example.com', 'keep_copy': True}
    assert record['after'] == {'address': 'carol@example.com', 'keep_copy': False}


def test_forward_absent_removes_every_rule_to_the_address():
    rules = [fwd('1', 'carol@example.com'), fwd('2', 'dave@example.com'), fwd('3', 'CAROL@example.com', False)]
    steps, rule = plan_forward(rules, BOB, 'carol@example.com', True, None, 'absent')
    assert rule is None
    assert [step['delete']['rule_id'] for step in steps] == ['1', '3']
    assert {step['record']['action'] for step in steps} == {'delete'}
    assert plan_forward([rules[1]], BOB, 'carol@example.com', True, None, 'absent') == ([], None)


def test_autoreply_plans():
    old = reply('5', 'autoreply', 'Away')
    assert plan_autoreply([old], BOB, 'autoreply', 'Away', 'present') == ([], old)
    steps, rule = plan_autoreply([old, reply('6', 'other', 'x')], BOB, 'autoreply', 'Gone', 'present')
    assert rule == reply(None, 'autoreply', 'Gone')
    assert [(s['record']['action'], s['delete'], s['create']) for s in steps] == [('update', old, rule)]
    assert steps[0]['record']['subject'] == 'autoreply'
    steps, rule = plan_autoreply([], BOB, 'autoreply', 'Gone', 'present')
    assert steps[0]['record']['action'] == 'create' and steps[0]['delete'] is None
    steps, rule = plan_autoreply([old], BOB, 'autoreply', None, 'absent')
    assert rule is None and [s['record']['after'] for s in steps] == [None]
    # the name identifies the rule exactly
    assert plan_autoreply([old], BOB, 'Autoreply', None, 'absent') == ([], None)


def test_ordered_steps_puts_removals_first():
    create = plan_forward([], BOB, 'a@example.com', True, None, 'present')[0]
    delete = plan_forward([fwd('1', 'z@example.com')], BOB, 'z@example.com', True, None, 'absent')[0]
    assert [s['record']['action'] for s in ordered_steps(create + delete)] == ['delete', 'create']


class Calls:
    def __init__(self, fail_create=None, fail_delete=None):
        self.sent = []
        self.fail_create, self.fail_delete = fail_create, fail_delete

    def delete(self, rule):
        self.sent.append(('DELETE', rule['rule_id']))
        if self.fail_delete:
            raise MailadminError(self.fail_delete, status=500)
        return 'rid-delete-%s' % rule['rule_id']

    def create(self, rule):
        self.sent.append(('POST', rule['name']))
        if self.fail_create:
            raise MailadminError(self.fail_create, status=503, request_id='rid-failed')
        return '99', 'rid-create'


def test_apply_update_is_one_record_with_the_create_request_id():
    old = fwd('7', 'carol@example.com')
    steps, dummy = plan_forward([old], BOB, 'carol@example.com', False, None, 'present')
    calls = Calls()
    done, rule_id = apply_steps(steps, calls.delete, calls.create)
    assert calls.sent == [('DELETE', '7'), ('POST', 'forward to carol@example.com')]
    assert rule_id == '99'
    assert len(done) == 1 and done[0]['action'] == 'update' and done[0]['request_id'] == 'rid-create'
    assert dict(done[0], request_id=None) == steps[0]['record']


def test_apply_delete_done_then_create_failed_says_so_and_carries_the_delete():
    old = reply('7', 'autoreply', 'Away')
    steps, dummy = plan_autoreply([old], BOB, 'autoreply', 'Gone', 'present')
    calls = Calls(fail_create='POST ... failed: HTTP 503')
    with pytest.raises(MailadminError) as info:
        apply_steps(steps, calls.delete, calls.create)
    exc = info.value
    assert 'old rule 7' in exc.msg and 'removed' in exc.msg and 'HTTP 503' in exc.msg
    assert exc.details['changed'] is True and exc.details['request_id'] == 'rid-failed'
    [record] = exc.details['changes']
    assert (record['action'], record['before'], record['after'], record['request_id']) == (
        'delete', {'name': 'autoreply', 'text': 'Away'}, None, 'rid-delete-7')


def test_apply_failed_create_without_delete_carries_nothing():
    steps, dummy = plan_autoreply([], BOB, 'autoreply', 'Gone', 'present')
    with pytest.raises(MailadminError) as info:
        apply_steps(steps, Calls().delete, Calls(fail_create='boom').create)
    assert 'changes' not in info.value.details and info.value.msg == 'boom'


def test_apply_failed_delete_of_a_replacement_creates_nothing():
    steps, dummy = plan_autoreply([reply('7', 'autoreply', 'Away')], BOB, 'autoreply', 'Gone', 'present')
    calls = Calls(fail_delete='DELETE failed')
    with pytest.raises(MailadminError) as info:
        apply_steps(steps, calls.delete, calls.create)
    assert calls.sent == [('DELETE', '7')] and info.value.msg == 'DELETE failed'


@pytest.mark.parametrize('address', ['carol', '@example.com', 'carol@', 'ca rol@example.com', 'a@b@example.com'])
def test_bad_address_syntax(address):
    with pytest.raises(MailadminError, match=address):
        check_address_syntax(address)
