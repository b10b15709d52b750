# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.mailops.mailadmin.plugins.modules import clouduss_mailbox
from ansible_collections.mailops.mailadmin.tests.unit.plugins.clouduss_fakes import (
    ACCOUNT, BASE, LIST, MAILBOX, PASSWORD, TOKEN, USER, expect_login, expect_search, page, raw,
)
from ansible_collections.mailops.mailadmin.tests.unit.plugins.harness import run_module

ARGS = dict(api_url=BASE, username=USER, password=PASSWORD)


def new_body(*addresses, executive=0):
    return [{'id': 'USSportal.email.model.Mailbox-%d' % (i + 1), 'email_address_id': 0, 'executive': executive,
             'email_address': a} for i, a in enumerate(addresses)]


def run(args, **kwargs):
    return run_module(clouduss_mailbox, dict(ARGS, **args), **kwargs)


def test_near_miss_address_is_created(http):
    expect_login(http)
    expect_search(http, 'bob@example.co', [raw(1, 'bob@example.com'), raw(2, 'bob@example.com.au')])
    http.expect('POST', MAILBOX, body=new_body('bob@example.co'), answer=[raw(50, 'bob@example.co')])
    result = run(dict(email_address='bob@example.co'))
    assert result['changed'] is True
    assert result['mailboxes'] == [dict(id=50, email_address_id=1050, email_address='bob@example.co',
                                        executive=False, realname='', is_ad_mailbox=False)]
    assert PASSWORD not in result.raw and TOKEN not in result.raw


def test_many_adds_one_request_all_pages_read(http):
    expect_login(http)
    expect_search(http, 'example.com', [raw(1, 'Alice@Example.com', executive=1)], 1, 2, total=2)
    expect_search(http, 'example.com', [raw(2, 'bob.jones@example.com')], 2, 2, total=2)
    expect_search(http, 'x@other.org', [])
    http.expect('POST', MAILBOX, body=new_body('bob@example.com', 'x@other.org', executive=1), status=204)
    # the answer has no body: the new records are read back, searching only for what was added
    expect_search(http, 'bob@example.com', [raw(60, 'bob@example.com', 1), raw(62, 'bob@example.com.au')])
    expect_search(http, 'x@other.org', [raw(61, 'x@other.org', executive=1)])
    result = run(dict(email_addresses=['alice@example.com', 'bob@example.com', 'x@other.org', 'BOB@example.com'],
                      executive=True), diff=True)
    assert result['changed'] is True
    got = [(m['id'], m['email_address']) for m in result['mailboxes']]
    assert got == [(60, 'bob@example.com'), (61, 'x@other.org')]
    assert result['unchanged_addresses'] == ['alice@example.com']
    assert result['diff'] == {'before': {'email_addresses': ['Alice@Example.com']},
                              'after': {'email_addresses': ['Alice@Example.com', 'bob@example.com', 'x@other.org']}}
    assert len([c for c in http.writes if c['url'] == MAILBOX]) == 1
    assert result.warning_texts == []


def test_unchanged_sends_no_write(http):
    expect_login(http)
    expect_search(http, 'a@x.org', [raw(1, 'A@X.org')])
    result = run(dict(email_address='a@x.org'), diff=True)
    assert result['changed'] is False and result['mailboxes'] == []
    assert result['diff'] == {'before': {'email_addresses': ['A@X.org']}, 'after': {'email_addresses': ['A@X.org']}}
    assert [c['url'] for c in http.writes] == [BASE + '/auth']


def test_executive_mismatch_warns_and_sends_nothing(http):
    expect_login(http)
    expect_search(http, 'ceo@x.org', [raw(1, 'ceo@x.org', executive=1)])
    result = run(dict(email_address='ceo@x.org'))
    assert result['changed'] is False
    assert len(result.warning_texts) == 1
    assert 'ceo@x.org exists with executive=true, not false' in result.warning_texts[0]
    assert 'no call' in result.warning_texts[0]


def test_check_mode_add_predicts_and_does_not_write(http):
    expect_login(http)
    expect_search(http, 'new@x.org', [])
    result = run(dict(email_address='new@x.org', executive=True), check_mode=True, diff=True)
    assert result['changed'] is True
    assert result['mailboxes'] == [dict(id=None, email_address_id=None, email_address='new@x.org', executive=True,
                                        realname='', is_ad_mailbox=False)]
    assert result['diff'] == {'before': {'email_addresses': []}, 'after': {'email_addresses': ['new@x.org']}}
    assert [c['url'] for c in http.writes] == [BASE + '/auth']


def test_absent_removes_present_ones_in_one_request(http):
    expect_login(http)
    expect_search(http, 'x.org', [raw(1, 'a@x.org'), raw(2, 'b@x.org'), raw(3, 'ab@x.org')])
    http.expect('DELETE', MAILBOX, body=[{'id': 1, 'email_address_id': 1001, 'email_address': 'a@x.org'},
                                         {'id': 2, 'email_address_id': 1002, 'email_address': 'b@x.org'}],
                answer=None)
    result = run(dict(email_addresses=['a@x.org', 'b@x.org', 'c@x.org'], state='absent'), diff=True)
    assert result['changed'] is True
    assert [m['id'] for m in result['mailboxes']] == [1, 2]
    assert result['unchanged_addresses'] == ['c@x.org']
    assert result['diff'] == {'before': {'email_addresses': ['a@x.org', 'b@x.org']}, 'after': {'email_addresses': []}}


def test_absent_check_mode_no_write(http):
    expect_login(http)
    expect_search(http, 'a@x.org', [raw(1, 'a@x.org')])
    result = run(dict(email_address='a@x.org', state='absent'), check_mode=True)
    assert result['changed'] is True and result['mailboxes'][0]['id'] == 1
    assert [c['url'] for c in http.writes] == [BASE + '/auth']


def test_absent_already_gone_no_write(http):
    expect_login(http)
    expect_search(http, 'a@x.org', [raw(1, 'aa@x.org')])
    result = run(dict(email_address='a@x.org', state='absent'))
    assert result['changed'] is False and result['mailboxes'] == []


def test_access_token_skips_login(http):
    http.expect('GET', LIST, query={'page': '1', 'page_size': '100', 'search': 'a@x.org'}, answer=page([]),
                check_headers={'Authorization': 'Bearer ' + TOKEN, 'X-Uss-Account-Id': ACCOUNT})
    http.expect('POST', MAILBOX, body=new_body('a@x.org'), answer=[raw(9, 'a@x.org')])
    result = run_module(clouduss_mailbox, dict(api_url=BASE, access_token=TOKEN, account_id=ACCOUNT,
                                               email_address='a@x.org'))
    assert result['changed'] is True and result['mailboxes'][0]['id'] == 9
    assert TOKEN not in result.raw


@pytest.mark.parametrize('args', [
    dict(email_address='nobody'),
    dict(email_address='a@b@c'),
    dict(email_addresses=['ok@x.org', ' ']),
    dict(email_addresses=[]),
])
def test_bad_address_fails_before_any_request(http, args):
    result = run(args)
    assert result['failed'] is True
    assert http.calls == []


def test_bad_login_fails_without_secret(http):
    http.expect('POST', BASE + '/auth', status=401,
                answer={'error': 'invalid_credentials', 'message': 'Invalid username or password'})
    result = run(dict(email_address='a@x.org'))
    assert result['failed'] is True
    assert 'CloudUSS login as admin@example.com failed (HTTP 401' in result['msg']
    assert PASSWORD not in result.raw


def test_second_factor_account_is_refused(http):
    http.expect('POST', BASE + '/auth', answer={'mfa_required': True, 'mfa_methods': ['totp']})
    result = run(dict(email_address='a@x.org'))
    assert result['failed'] is True and 'not supported' in result['msg']


def test_email_options_exclusive_and_one_required(http):
    assert run(dict(email_address='a@x.org', email_addresses=['b@x.org']))['failed'] is True
    assert run(dict())['failed'] is True


# -- change records, dict items, exclusive, max_removals -------------------------------------------

def without_request_id(changes):
    return [{k: v for k, v in change.items() if k != 'request_id'} for change in changes]


def expect_all(http, items):
    expect_search(http, None, items)


def old(*addresses):
    return [{'id': r['id'], 'email_address_id': r['email_address_id'], 'email_address': r['email_address']}
            for r in (raw(index + 1, a) for index, a in enumerate(addresses))]


def test_add_returns_records_with_the_post_request_id(http):
    expect_login(http)
    expect_search(http, 'x.org', [])
    http.expect('POST', MAILBOX, body=new_body('b@x.org', 'a@x.org'),
                answer=[raw(50, 'b@x.org'), raw(51, 'a@x.org')], headers={'X-Request-Id': 'uss-1'})
    result = run(dict(email_addresses=['b@x.org', 'a@x.org']))
    assert result['changed'] is True
    assert result['changes'] == [
        dict(service='clouduss', kind='clouduss_mailbox', action='create', object=a, subject=None, before=None,
             after={'executive': False}, summary='register %s in CloudUSS' % a, request_id='uss-1')
        for a in ('a@x.org', 'b@x.org')]


def test_no_change_has_empty_changes(http):
    expect_login(http)
    expect_search(http, 'a@x.org', [raw(1, 'a@x.org')])
    result = run(dict(email_address='a@x.org'))
    assert result['changed'] is False and result['changes'] == []


def test_dict_items_set_their_own_executive_flag(http):
    expect_login(http)
    expect_search(http, 'x.org', [raw(1, 'boss@x.org', executive=0)])
    http.expect('POST', MAILBOX, body=[
        {'id': 'USSportal.email.model.Mailbox-1', 'email_address_id': 0, 'executive': 1, 'email_address': 'ceo@x.org'},
        {'id': 'USSportal.email.model.Mailbox-2', 'email_address_id': 0, 'executive': 0, 'email_address': 'a@x.org'},
    ], answer=[raw(50, 'ceo@x.org', executive=1), raw(51, 'a@x.org')])
    result = run(dict(email_addresses=[{'email_address': 'ceo@x.org', 'executive': True}, 'a@x.org',
                                       {'email_address': 'boss@x.org', 'executive': True}]))
    assert [(c['object'], c['after']) for c in result['changes']] == [
        ('a@x.org', {'executive': False}), ('ceo@x.org', {'executive': True})]
    assert [m['executive'] for m in result['mailboxes']] == [True, False]
    # the existing mailbox with another flag keeps it, with the warning
    assert len(result.warning_texts) == 1 and 'boss@x.org exists with executive=false, not true' in result.warning_texts[0]


def test_exclusive_removes_unlisted_and_adds_in_two_requests(http):
    for check_mode in (True, False):
        expect_login(http)
        expect_all(http, [raw(1, 'keep@x.org'), raw(2, 'old@x.org'), raw(3, 'Older@y.org')])
    http.expect('DELETE', MAILBOX, body=[{'id': 2, 'email_address_id': 1002, 'email_address': 'old@x.org'},
                                         {'id': 3, 'email_address_id': 1003, 'email_address': 'Older@y.org'}],
                answer=[], headers={'X-Request-Id': 'uss-del'})
    http.expect('POST', MAILBOX, body=new_body('new@x.org'), answer=[raw(9, 'new@x.org')])
    args = dict(email_addresses=['keep@x.org', 'new@x.org'], exclusive=True)
    planned = run(args, check_mode=True, diff=True)
    applied = run(args, diff=True)
    assert planned['changed'] is True and applied['changed'] is True
    assert without_request_id(planned['changes']) == without_request_id(applied['changes'])
    assert [(c['action'], c['object'], c['request_id']) for c in applied['changes']] == [
        ('delete', 'old@x.org', 'uss-del'), ('delete', 'Older@y.org', 'uss-del'), ('create', 'new@x.org', None)]
    assert {c['request_id'] for c in planned['changes']} == {None}
    assert [m['email_address'] for m in applied['mailboxes']] == ['old@x.org', 'Older@y.org', 'new@x.org']
    assert applied['diff'] == {'before': {'email_addresses': ['keep@x.org', 'old@x.org', 'Older@y.org']},
                               'after': {'email_addresses': ['keep@x.org', 'new@x.org']}}
    assert [c['method'] for c in http.writes] == ['POST', 'POST', 'DELETE', 'POST']  # 2 logins, then the writes


def test_exclusive_empty_list_removes_everything(http):
    expect_login(http)
    expect_all(http, [raw(1, 'a@x.org'), raw(2, 'b@x.org')])
    http.expect('DELETE', MAILBOX, body=old('a@x.org', 'b@x.org'), answer=[])
    result = run(dict(email_addresses=[], exclusive=True))
    assert [c['action'] for c in result['changes']] == ['delete', 'delete']


@pytest.mark.parametrize('args, count', [
    (dict(email_addresses=['keep@x.org'], exclusive=True, max_removals=1), 2),
    (dict(email_addresses=['keep@x.org'], exclusive=True, max_removals=0), 2),
    (dict(email_addresses=['a@x.org', 'b@x.org', 'keep@x.org'], state='absent', max_removals=2), 3),
])
def test_max_removals_fails_before_any_write_naming_the_count(http, args, count):
    expect_login(http)
    if args.get('exclusive'):
        expect_all(http, [raw(1, 'keep@x.org'), raw(2, 'a@x.org'), raw(3, 'b@x.org')])
    else:
        expect_search(http, 'x.org', [raw(1, 'keep@x.org'), raw(2, 'a@x.org'), raw(3, 'b@x.org')])
    result = run(args)
    assert result['failed'] is True
    assert 'would remove %d CloudUSS mailboxes, more than max_removals=%d' % (count, args['max_removals']) in result['msg']
    assert [c['url'] for c in http.writes] == [BASE + '/auth']


def test_max_removals_minus_one_is_no_limit(http):
    expect_login(http)
    expect_all(http, [raw(i, 'u%d@x.org' % i) for i in range(1, 26)])
    http.expect('DELETE', MAILBOX, answer=[])
    result = run(dict(email_addresses=[], exclusive=True, max_removals=-1))
    assert len(result['changes']) == 25


def test_half_way_failure_reports_what_was_removed(http):
    expect_login(http)
    expect_all(http, [raw(2, 'old@x.org')])
    http.expect('DELETE', MAILBOX, answer=[], headers={'X-Request-Id': 'uss-del'})
    http.expect('POST', MAILBOX, status=409, answer={'error': 'duplicate', 'message': 'already there'})
    result = run(dict(email_addresses=['new@x.org'], exclusive=True))
    assert result['failed'] is True and 'HTTP 409' in result['msg']
    assert [(c['action'], c['object'], c['request_id']) for c in result['changes']] == [
        ('delete', 'old@x.org', 'uss-del')]


@pytest.mark.parametrize('args, text', [
    (dict(email_address='a@x.org', exclusive=True), 'exclusive=true needs email_addresses and state=present'),
    (dict(email_addresses=['a@x.org'], exclusive=True, state='absent'), 'exclusive=true needs'),
    (dict(email_addresses=['a@x.org'], max_removals=-2), 'max_removals must be -1'),
    (dict(email_addresses=[{'email_address': 'a@x.org', 'vip': True}]), 'unknown key(s) vip'),
    (dict(email_addresses=[{'email_address': 'a@x.org', 'executive': 'perhaps'}]), "not 'perhaps'"),
    (dict(email_addresses=['a@x.org', {'email_address': 'A@X.org', 'executive': True}]), 'requested twice'),
    (dict(email_addresses=[{'executive': True}]), 'not a valid email address'),
])
def test_bad_new_options_fail_before_any_request(http, args, text):
    result = run(args)
    assert result['failed'] is True
    assert text in result['msg']
    assert http.calls == []
