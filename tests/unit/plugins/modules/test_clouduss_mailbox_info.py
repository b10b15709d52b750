# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.mailops.mailadmin.plugins.modules import clouduss_mailbox_info
from ansible_collections.mailops.mailadmin.tests.unit.plugins.clouduss_fakes import (
    ACCOUNT, BASE, LIST, TOKEN, page, raw,
)
from ansible_collections.mailops.mailadmin.tests.unit.plugins.harness import run_module

ARGS = dict(api_url=BASE, access_token=TOKEN, account_id=ACCOUNT)


def test_all_pages_typed(http):
    http.expect('GET', LIST, query={'page': '1', 'page_size': '100'}, answer=page([raw(1, 'a@x.org', 1, ad=1)], 1, 2, 2),
                check_headers={'Authorization': 'Bearer ' + TOKEN, 'X-Uss-Account-Id': ACCOUNT})
    http.expect('GET', LIST, query={'page': '2', 'page_size': '100'},
                answer=page([raw(2, 'b@x.org', realname=' Bea ', ad=0)], 2, 2, 2))
    result = run_module(clouduss_mailbox_info, ARGS, check_mode=True)
    assert result['changed'] is False and result['total'] == 2
    assert result['mailboxes'] == [
        dict(id=1, email_address_id=1001, email_address='a@x.org', executive=True, realname='', is_ad_mailbox=True),
        dict(id=2, email_address_id=1002, email_address='b@x.org', executive=False, realname='Bea',
             is_ad_mailbox=False)]
    assert TOKEN not in result.raw


def test_search_is_the_apis_substring_search(http):
    http.expect('GET', LIST, query={'page': '1', 'page_size': '100', 'search': 'bob'},
                answer=page([raw(1, 'bob@x.org'), raw(2, 'bob.jones@x.org')], 1, 1, 2))
    result = run_module(clouduss_mailbox_info, dict(ARGS, search='bob'))
    assert result['total'] == 2


def test_email_address_is_exact(http):
    http.expect('GET', LIST, query={'page': '1', 'page_size': '100', 'search': 'bob@x.org'},
                answer=page([raw(1, 'Bob@X.org'), raw(2, 'bob@x.org.uk')], 1, 1, 2))
    result = run_module(clouduss_mailbox_info, dict(ARGS, email_address='bob@x.org'))
    assert result['total'] == 1 and result['mailboxes'][0]['id'] == 1


def test_email_address_not_found(http):
    http.expect('GET', LIST, answer=page([raw(2, 'bob@x.org.uk')], 1, 1, 1))
    result = run_module(clouduss_mailbox_info, dict(ARGS, email='bob@x.org'))
    assert result['total'] == 0 and result['mailboxes'] == []


def test_bad_token_fails_clearly(http):
    http.expect('GET', LIST, status=401, answer={'error': 'unauthorized', 'message': 'missing or invalid bearer token'})
    result = run_module(clouduss_mailbox_info, ARGS)
    assert result['failed'] is True
    assert 'HTTP 401' in result['msg'] and 'access_token' in result['msg']
    assert TOKEN not in result.raw


def test_search_and_email_are_exclusive(http):
    result = run_module(clouduss_mailbox_info, dict(ARGS, search='x', email_address='a@x.org'))
    assert result['failed'] is True and http.calls == []


def test_empty_search_fails_before_request(http):
    result = run_module(clouduss_mailbox_info, dict(ARGS, search=' '))
    assert result['failed'] is True and 'search must not be empty' in result['msg'] and http.calls == []
