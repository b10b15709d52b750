# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.mailops.mailadmin.plugins.modules import mail_autoreply
from ansible_collections.mailops.mailadmin.tests.unit.plugins.harness import run_module
from ansible_collections.mailops.mailadmin.tests.unit.plugins.modules.y360_org import ADMIN, ARGS, BOB, expect_users

RULES = '%s/mail/users/%s/settings/user_rules' % (ADMIN, BOB)


def run(args, **kwargs):
    return run_module(mail_autoreply, dict(ARGS, **args), **kwargs)


def expect_rules(http, autoreplies=()):
    http.expect('GET', RULES, answer={'forwards': [], 'autoreplies': list(autoreplies)})


def expect_create(http, text, name='autoreply', **kwargs):
    kwargs.setdefault('answer', {'ruleId': '900'})
    kwargs.setdefault('headers', {'X-Request-Id': 'rid-create'})
    http.expect('POST', RULES, body={'autoreply': {'ruleName': name, 'text': text}}, **kwargs)


def test_check_then_create(http):
    expect_users(http)
    expect_rules(http)
    planned = run({'user': 'bob', 'text': 'Away'}, check_mode=True, diff=True)
    assert planned['changed'] is True and http.writes == []
    assert planned['rule'] == {'rule_id': None, 'name': 'autoreply', 'text': 'Away'}
    assert planned['diff'] == {'before': {}, 'after': {'name': 'autoreply', 'text': 'Away'}}
    expect_users(http)
    expect_rules(http)
    expect_create(http, 'Away')
    done = run({'user': 'bob', 'text': 'Away'})
    assert done['rule'] == {'rule_id': '900', 'name': 'autoreply', 'text': 'Away'}
    assert [dict(r, request_id=None) for r in done['changes']] == planned['changes']
    assert done['changes'][0]['request_id'] == 'rid-create'


def test_same_text_changes_nothing(http):
    expect_users(http)
    expect_rules(http, [{'ruleId': 5, 'ruleName': 'autoreply', 'text': 'Away'}])
    result = run({'user': 'bob', 'text': 'Away'})
    assert result['changed'] is False and result['changes'] == [] and http.writes == []
    assert result['rule'] == {'rule_id': '5', 'name': 'autoreply', 'text': 'Away'}


def test_other_text_replaces_the_rule(http):
    expect_users(http)
    expect_rules(http, [{'ruleId': 5, 'ruleName': 'autoreply', 'text': 'Away'},
                        {'ruleId': 6, 'ruleName': 'vacation', 'text': 'Holiday'}])
    http.expect('DELETE', RULES + '/5', answer={})
    expect_create(http, 'Gone')
    result = run({'user': 'bob', 'text': 'Gone'})
    [record] = result['changes']
    assert (record['action'], record['before'], record['after']) == (
        'update', {'name': 'autoreply', 'text': 'Away'}, {'name': 'autoreply', 'text': 'Gone'})
    assert [call['method'] for call in http.writes] == ['DELETE', 'POST']


def test_absent(http):
    expect_users(http)
    expect_rules(http, [{'ruleId': 6, 'ruleName': 'vacation', 'text': 'Holiday'}])
    http.expect('DELETE', RULES + '/6', status=200, answer=None)
    result = run({'user': 'bob', 'name': 'vacation', 'state': 'absent'})
    assert result['rule'] is None and [r['action'] for r in result['changes']] == ['delete']


@pytest.mark.parametrize('text', ['', '   \n'])
def test_empty_text_fails_before_any_request(http, text):
    result = run({'user': 'bob', 'text': text})
    assert result.failed and 'text must not be empty' in result['msg'] and http.calls == []


def test_missing_text_fails(http):
    result = run({'user': 'bob'})
    assert result.failed and 'text' in result['msg'] and http.calls == []
