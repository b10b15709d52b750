# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.mailops.mailadmin.plugins.module_utils._http import ApiError, MailadminError
from ansible_collections.mailops.mailadmin.plugins.module_utils._pdd import (
    ERROR_MEANINGS, PddConnection, check_answer, error_message, full_login, normalize_account, retry_unknown,
)

BASE = 'https://pdd.test'
TOKEN = 'pdd-secret-1'
LIST = BASE + '/api2/admin/email/list'

DOCUMENTED_CODES = ['unknown', 'no_token', 'no_domain', 'no_ip', 'bad_domain', 'prohibited', 'bad_token',
                    'bad_login', 'bad_passwd', 'no_auth', 'not_allowed', 'blocked', 'occupied',
                    'domain_limit_reached', 'no_reply', 'bad_uid']


class StubModule:
    def __init__(self, retries=2):
        self.params = dict(api_url=BASE, token=TOKEN, retries=retries, timeout=30, validate_certs=True)
        self.check_mode = False
        self.warnings = []
        self.no_log_values = set()

    def warn(self, msg):
        self.warnings.append(msg)


def account(login, uid, as_text):
    num = str if as_text else int
    return {'login': login, 'uid': num(uid), 'enabled': 'yes', 'fio': 'F I', 'fname': 'F', 'iname': 'I',
            'birth_date': None, 'sex': num(1), 'hintq': '', 'ready': 'no', 'aliases': ['x'], 'maillist': 'no'}


def answer(accounts, page, pages, total, as_text=True):
    num = str if as_text else int
    return {'success': 'ok', 'domain': 'example.com', 'page': num(page), 'pages': num(pages), 'on_page': num(2),
            'total': num(total), 'found': num(len(accounts)), 'accounts': accounts}


def test_every_documented_code_has_a_meaning():
    assert sorted(ERROR_MEANINGS) == sorted(DOCUMENTED_CODES)


@pytest.mark.parametrize('code', DOCUMENTED_CODES)
def test_error_answer_names_code_and_meaning(code):
    with pytest.raises(MailadminError) as err:
        check_answer({'success': 'error', 'error': code}, 'example.com')
    assert err.value.msg == 'PDD error %s: %s (domain example.com)' % (code, ERROR_MEANINGS[code])
    assert err.value.details['api_code'] == code


def test_unknown_code_and_odd_answers():
    assert 'does not know' in error_message('brand_new')
    with pytest.raises(MailadminError, match='without "success": "ok"'):
        check_answer({}, 'example.com')
    with pytest.raises(MailadminError, match='not a JSON object'):
        check_answer(['x'], 'example.com')


def test_retry_only_unknown():
    assert 'unknown' in retry_unknown({'success': 'error', 'error': 'unknown'})
    assert retry_unknown({'success': 'error', 'error': 'bad_token'}) is None
    assert retry_unknown({'success': 'ok'}) is None
    assert retry_unknown(None) is None


@pytest.mark.parametrize('as_text', [True, False])
def test_normalize_account_numbers_and_flags(as_text):
    got = normalize_account(account('a@example.com', 1130000000100001, as_text))
    assert got['uid'] == 1130000000100001 and got['sex'] == 1
    assert got['enabled'] is True and got['ready'] is False and got['maillist'] is False
    assert got['birth_date'] is None and got['aliases'] == ['x'] and got['fio'] == 'F I'


def test_normalize_account_odd_values():
    got = normalize_account({'login': 'a@x', 'uid': '', 'sex': None, 'enabled': 'no', 'aliases': None})
    assert got['uid'] is None and got['sex'] is None and got['enabled'] is False and got['aliases'] == []
    assert normalize_account({'aliases': 'a, b'})['aliases'] == ['a', 'b']


def test_full_login():
    assert full_login('Bob', 'Example.com') == 'bob@example.com'
    assert full_login(' BOB@example.COM ', 'example.com') == 'bob@example.com'
    with pytest.raises(MailadminError, match='not in domain example.com'):
        full_login('bob@other.org', 'example.com')
    with pytest.raises(MailadminError, match='must not be empty'):
        full_login(' ', 'example.com')


@pytest.mark.parametrize('as_text', [True, False])
def test_mailboxes_reads_every_page_with_token(http, as_text):
    http.expect('GET', LIST, query={'domain': 'example.com', 'on_page': '2', 'page': '1'},
                answer=answer([account('a@example.com', 1, as_text), account('b@example.com', 2, as_text)],
                              1, 2, 3, as_text), check_headers={'PddToken': TOKEN})
    http.expect('GET', LIST, query={'domain': 'example.com', 'on_page': '2', 'page': '2'},
                answer=answer([account('c@example.com', 3, as_text)], 2, 2, 3, as_text))
    module = StubModule()
    got = PddConnection(module).mailboxes('example.com', 2)
    assert [m['uid'] for m in got] == [1, 2, 3]
    assert TOKEN in module.no_log_values


def test_unknown_retried_then_success(http, fake_clock):
    http.expect('GET', LIST, answer={'success': 'error', 'error': 'unknown'})
    http.expect('GET', LIST, answer=answer([account('a@example.com', 1, True)], 1, 1, 1))
    module = StubModule()
    assert len(PddConnection(module).mailboxes('example.com')) == 1
    assert len(module.warnings) == 1 and 'PDD error unknown' in module.warnings[0]
    assert len(fake_clock.slept) == 1


def test_unknown_gives_up_after_retries(http):
    http.expect('GET', LIST, answer={'success': 'error', 'error': 'unknown'}, times=3)
    with pytest.raises(ApiError) as err:
        PddConnection(StubModule(retries=2)).mailboxes('example.com')
    assert 'PDD error unknown: a temporary error' in err.value.msg and 'after 3 attempts' in err.value.msg


def test_error_on_a_later_page_fails(http):
    http.expect('GET', LIST, answer=answer([account('a@example.com', 1, True)], 1, 2, 2))
    http.expect('GET', LIST, answer={'success': 'error', 'error': 'blocked'})
    with pytest.raises(MailadminError, match='PDD error blocked'):
        PddConnection(StubModule()).mailboxes('example.com')
