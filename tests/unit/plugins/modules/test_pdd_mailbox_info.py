# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.mailops.mailadmin.plugins.module_utils._pdd import ERROR_MEANINGS
from ansible_collections.mailops.mailadmin.plugins.modules import pdd_mailbox_info
from ansible_collections.mailops.mailadmin.tests.unit.plugins.harness import run_module

BASE = 'https://pdd.test'
TOKEN = 'pdd-secret-1'
LIST = BASE + '/api2/admin/email/list'
ARGS = dict(api_url=BASE, token=TOKEN, domain='example.com')


def account(login, uid, num):
    return {'login': login, 'uid': num(uid), 'enabled': 'yes', 'fio': 'F I', 'fname': 'F', 'iname': 'I',
            'birth_date': None, 'sex': None, 'hintq': '', 'ready': 'yes', 'aliases': [], 'maillist': 'no'}


def answer(accounts, page, pages, total, num=str):
    return {'success': 'ok', 'domain': 'example.com', 'page': num(page), 'pages': num(pages), 'on_page': num(2),
            'total': num(total), 'found': num(len(accounts)), 'accounts': accounts}


def expect_two_pages(http, num=str):
    http.expect('GET', LIST, query={'domain': 'example.com', 'page': '1', 'on_page': '2'},
                answer=answer([account('alice@example.com', 1, num), account('Bob@Example.com', 2, num)], 1, 2, 3, num),
                check_headers={'PddToken': TOKEN})
    http.expect('GET', LIST, query={'domain': 'example.com', 'page': '2', 'on_page': '2'},
                answer=answer([account('carol@example.com', 3, num)], 2, 2, 3, num))


@pytest.mark.parametrize('num', [str, int])
def test_all_pages_typed(http, num):
    expect_two_pages(http, num)
    result = run_module(pdd_mailbox_info, dict(ARGS, page_size=2), check_mode=True)
    assert result['changed'] is False and result['total'] == 3
    first = result['mailboxes'][0]
    assert first['uid'] == 1 and first['sex'] is None and first['birth_date'] is None
    assert first['enabled'] is True and first['ready'] is True and first['maillist'] is False
    assert first['aliases'] == [] and first['fio'] == 'F I'
    assert TOKEN not in result.raw


def test_default_page_size_is_100(http):
    http.expect('GET', LIST, query={'domain': 'example.com', 'page': '1', 'on_page': '100'},
                answer=answer([account('a@example.com', 1, str)], 1, 1, 1))
    assert run_module(pdd_mailbox_info, ARGS)['total'] == 1


@pytest.mark.parametrize('login', ['bob', 'BOB@example.com', 'bob@EXAMPLE.COM'])
def test_login_filter_with_or_without_domain(http, login):
    expect_two_pages(http)
    result = run_module(pdd_mailbox_info, dict(ARGS, page_size=2, login=login))
    assert result['total'] == 1 and result['mailboxes'][0]['login'] == 'Bob@Example.com'


def test_login_not_found(http):
    expect_two_pages(http)
    result = run_module(pdd_mailbox_info, dict(ARGS, page_size=2, login='dave'))
    assert result['total'] == 0 and result['mailboxes'] == []


@pytest.mark.parametrize('args,message', [
    (dict(login='bob@other.org'), 'login bob@other.org is not in domain example.com'),
    (dict(page_size=0), 'page_size must be at least 1'),
    (dict(domain=' '), 'domain must not be empty'),
])
def test_bad_options_fail_before_any_request(http, args, message):
    result = run_module(pdd_mailbox_info, dict(ARGS, **args))
    assert result['failed'] is True and message in result['msg'] and http.calls == []


@pytest.mark.parametrize('code', sorted(set(ERROR_MEANINGS) - {'unknown'}))
def test_error_code_fails_with_meaning(http, code):
    http.expect('GET', LIST, answer={'success': 'error', 'error': code})
    result = run_module(pdd_mailbox_info, ARGS)
    assert result['failed'] is True
    assert result['msg'] == 'PDD error %s: %s (domain example.com)' % (code, ERROR_MEANINGS[code])
    assert result['api_code'] == code
    assert len(http.calls) == 1


def test_unknown_retried_then_success(http):
    http.expect('GET', LIST, answer={'success': 'error', 'error': 'unknown'}, times=2)
    http.expect('GET', LIST, answer=answer([account('a@example.com', 1, int)], 1, 1, 1, int))
    result = run_module(pdd_mailbox_info, ARGS)
    assert result['total'] == 1
    assert len(result.warning_texts) == 2 and 'PDD error unknown' in result.warning_texts[0]


def test_unknown_until_retries_run_out(http):
    http.expect('GET', LIST, answer={'success': 'error', 'error': 'unknown'}, times=2)
    result = run_module(pdd_mailbox_info, dict(ARGS, retries=1))
    assert result['failed'] is True
    assert 'PDD error unknown: %s' % ERROR_MEANINGS['unknown'] in result['msg']
