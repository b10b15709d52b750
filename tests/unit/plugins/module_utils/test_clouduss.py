# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.mailops.mailadmin.plugins.module_utils._http import ApiError, MailadminError
from ansible_collections.mailops.mailadmin.tests.unit.plugins.clouduss_fakes import (
    ACCOUNT, BASE, LIST, PASSWORD, TOKEN, USER, expect_login, page, raw,
)
from ansible_collections.mailops.mailadmin.plugins.module_utils._clouduss import (
    CloudUssConnection, normalize_mailbox, plan_mailboxes, predicted_mailbox, search_terms, validate_address,
    wanted_mailboxes,
)


class StubModule:
    def __init__(self, check_mode=False, **params):
        self.params = dict(api_url=BASE, username=USER, password=PASSWORD, access_token=None, account_id=None,
                           retries=2, timeout=30, validate_certs=True)
        self.params.update(params)
        self.check_mode = check_mode
        self.warnings = []
        self.no_log_values = set()

    def warn(self, msg):
        self.warnings.append(msg)


def connect(http, **params):
    expect_login(http)
    return CloudUssConnection(StubModule(**params))


# -- pure helpers -------------------------------------------------------------------------------

def test_normalize_mailbox_types():
    assert normalize_mailbox(raw(5, 'a@x.org', executive=1, realname='  Ann ', ad='1')) == dict(
        id=5, email_address_id=1005, email_address='a@x.org', executive=True, realname='Ann', is_ad_mailbox=True)
    assert normalize_mailbox(dict(id='7', email_address_id='8', email_address='b@x.org', executive='0',
                                  realname=None, is_ad_mailbox=False)) == dict(
        id=7, email_address_id=8, email_address='b@x.org', executive=False, realname='', is_ad_mailbox=False)


def test_predicted_mailbox_has_no_ids():
    assert predicted_mailbox('n@x.org', True) == dict(id=None, email_address_id=None, email_address='n@x.org',
                                                      executive=True, realname='', is_ad_mailbox=False)


@pytest.mark.parametrize('bad', ['', '   ', 'nobody', '@x.org', 'a@', 'a@b@c.org', 'a b@x.org', None])
def test_validate_address_names_the_value(bad):
    with pytest.raises(MailadminError) as err:
        validate_address(bad)
    assert repr(bad) in err.value.msg


def test_validate_address_strips():
    assert validate_address(' Ann@X.org ') == 'Ann@X.org'


def test_search_terms_one_per_domain_or_the_address_itself():
    assert search_terms(['a@x.org']) == ['a@x.org']
    assert search_terms(['a@x.org', 'B@X.org', 'c@y.net']) == ['c@y.net', 'x.org']
    assert search_terms(['A@x.org', 'a@X.ORG']) == ['a@x.org']


def new(*addresses, executive=False):
    return [dict(email_address=address, executive=executive) for address in addresses]


def record(address, executive=False, id_=1):
    return normalize_mailbox(raw(id_, address, executive=int(executive)))


def test_plan_present_adds_missing_and_keeps_existing():
    existing = {'bob@example.com': record('bob@example.com')}
    wanted = wanted_mailboxes(['bob@example.co', 'BOB@example.com', 'bob@example.co'], False)
    plan = plan_mailboxes(wanted, existing, 'present')
    assert plan['add'] == [dict(email_address='bob@example.co', executive=False)]
    assert plan['remove'] == []
    assert plan['unchanged'] == ['BOB@example.com']
    assert plan['executive_mismatch'] == []
    assert plan['before'] == ['bob@example.com']
    assert plan['after'] == ['bob@example.co', 'bob@example.com']


def test_plan_present_reports_executive_mismatch():
    existing = {'ceo@x.org': record('ceo@x.org', executive=True)}
    plan = plan_mailboxes(wanted_mailboxes(['ceo@x.org'], False), existing, 'present')
    assert plan['add'] == [] and plan['executive_mismatch'] == [existing['ceo@x.org']]
    assert plan['changes'] == []
    assert plan_mailboxes(wanted_mailboxes(['ceo@x.org'], True), existing, 'present')['executive_mismatch'] == []
    wanted = wanted_mailboxes([{'email_address': 'ceo@x.org', 'executive': False}], True)
    assert plan_mailboxes(wanted, existing, 'present')['executive_mismatch'] == [existing['ceo@x.org']]


def test_plan_absent_removes_existing_only():
    existing = {'a@x.org': record('a@x.org')}
    plan = plan_mailboxes(wanted_mailboxes(['A@x.org', 'gone@x.org'], True), existing, 'absent')
    assert plan['remove'] == [existing['a@x.org']]
    assert plan['add'] == [] and plan['executive_mismatch'] == []
    assert plan['unchanged'] == ['gone@x.org']
    assert plan['before'] == ['a@x.org'] and plan['after'] == []


def test_wanted_mailboxes_strings_and_dicts():
    assert wanted_mailboxes(['a@x.org', {'email_address': ' B@x.org ', 'executive': 'yes'},
                             {'email_address': 'c@x.org'}, {'email_address': 'c@x.org', 'executive': None},
                             'A@X.org'], False) == [
        dict(email_address='a@x.org', executive=False),
        dict(email_address='B@x.org', executive=True),
        dict(email_address='c@x.org', executive=False),
    ]
    assert wanted_mailboxes([{'email_address': 'c@x.org'}], True) == [dict(email_address='c@x.org', executive=True)]


@pytest.mark.parametrize('items, text', [
    ([{'email': 'a@x.org'}], "email_addresses[0]: unknown key(s) email"),
    ([{'executive': True}], "None is not a valid email address"),
    ([{'email_address': 'bad'}], "'bad' is not a valid email address"),
    (['a@x.org', {'email_address': 'a@x.org', 'executive': 'maybe'}], "executive must be a boolean, not 'maybe'"),
    (['a@x.org', {'email_address': 'A@x.org', 'executive': True}], 'A@x.org is requested twice, with executive false and true'),
    ([5], '5 is not a valid email address'),
])
def test_wanted_mailboxes_refuses(items, text):
    with pytest.raises(MailadminError) as err:
        wanted_mailboxes(items, False)
    assert text in err.value.msg


def registered(*addresses):
    return {address.lower(): record(address, executive=(address == 'ceo@x.org'), id_=index + 1)
            for index, address in enumerate(addresses)}


def test_plan_records_removals_first_then_by_address():
    existing = registered('a@x.org', 'ceo@x.org', 'old@x.org', 'Zed@x.org')
    wanted = wanted_mailboxes(['new@x.org', {'email_address': 'boss@x.org', 'executive': True}, 'a@x.org'], False)
    plan = plan_mailboxes(wanted, existing, 'present', exclusive=True)
    assert [r['email_address'] for r in plan['remove']] == ['ceo@x.org', 'old@x.org', 'Zed@x.org']
    assert plan['add'] == wanted[:2]
    assert plan['unchanged'] == ['a@x.org']
    assert [(c['action'], c['object']) for c in plan['changes']] == [
        ('delete', 'ceo@x.org'), ('delete', 'old@x.org'), ('delete', 'Zed@x.org'),
        ('create', 'boss@x.org'), ('create', 'new@x.org')]
    assert plan['changes'][0] == dict(service='clouduss', kind='clouduss_mailbox', action='delete',
                                      object='ceo@x.org', subject=None, before={'executive': True}, after=None,
                                      summary='remove ceo@x.org from CloudUSS', request_id=None)
    assert plan['changes'][3] == dict(service='clouduss', kind='clouduss_mailbox', action='create',
                                      object='boss@x.org', subject=None, before=None, after={'executive': True},
                                      summary='register boss@x.org in CloudUSS as an executive mailbox',
                                      request_id=None)
    assert plan['changes'][4]['after'] == {'executive': False}
    assert plan['before'] == ['a@x.org', 'ceo@x.org', 'old@x.org', 'Zed@x.org']
    assert plan['after'] == ['a@x.org', 'boss@x.org', 'new@x.org']


def test_plan_exclusive_empty_list_removes_everything_and_exact_list_changes_nothing():
    existing = registered('a@x.org', 'b@x.org')
    plan = plan_mailboxes([], existing, 'present', exclusive=True)
    assert [c['object'] for c in plan['changes']] == ['a@x.org', 'b@x.org'] and plan['after'] == []
    plan = plan_mailboxes(wanted_mailboxes(['B@x.org', 'a@x.org'], False), existing, 'present', exclusive=True)
    assert plan['changes'] == [] and plan['remove'] == [] and plan['add'] == []


def test_plan_without_exclusive_never_removes_unlisted():
    plan = plan_mailboxes(wanted_mailboxes(['n@x.org'], False), registered('a@x.org'), 'present')
    assert [c['action'] for c in plan['changes']] == ['create']


# -- login --------------------------------------------------------------------------------------

def test_login_form_in_body_never_in_url_and_headers_after(http):
    conn = connect(http)
    login = http.calls[0]
    assert login['query'] == {} and login['body'] is None
    assert PASSWORD not in str(login['query']) and 'password=' not in login['url']
    assert conn.client.headers['Authorization'] == 'Bearer ' + TOKEN
    assert conn.client.headers['X-Uss-Account-Id'] == ACCOUNT
    assert TOKEN in conn.client.module.no_log_values and PASSWORD in conn.client.module.no_log_values
    http.expect('GET', LIST, query={'page': '1', 'page_size': '100'}, answer=page([]),
                check_headers={'Authorization': 'Bearer ' + TOKEN, 'X-Uss-Account-Id': ACCOUNT,
                               'Content-Type': 'application/json'})
    assert conn.mailboxes() == []


def test_login_is_allowed_in_check_mode(http):
    expect_login(http)
    CloudUssConnection(StubModule(check_mode=True))


def test_login_retried_after_server_error(http):
    http.expect('POST', BASE + '/auth', status=503)
    expect_login(http)
    module = StubModule()
    CloudUssConnection(module)
    assert len(module.warnings) == 1


@pytest.mark.parametrize('status,answer', [
    (401, {'error': 'invalid_credentials', 'message': 'Invalid username or password'}),
    (403, 'Forbidden: bad credentials'),
    (401, None),
])
def test_bad_login_clear_message_without_secret(http, status, answer):
    http.expect('POST', BASE + '/auth', status=status, answer=answer)
    with pytest.raises(MailadminError) as err:
        CloudUssConnection(StubModule())
    msg = err.value.msg
    assert 'CloudUSS login as %s failed (HTTP %s' % (USER, status) in msg
    assert 'check username and password' in msg
    assert PASSWORD not in msg and PASSWORD not in str(err.value.details)
    if isinstance(answer, dict):
        assert 'Invalid username or password' in msg
    elif answer:
        assert 'Forbidden: bad credentials' in msg


@pytest.mark.parametrize('status,answer', [
    (200, {'mfa_required': True, 'mfa_methods': ['totp'], 'accounts_id': ACCOUNT}),
    (200, {'status': 'pending', 'message': 'Enter the verification code'}),
    (200, {'two_factor': True}),
    (401, {'error': 'otp_required', 'message': 'Second factor required'}),
])
def test_second_factor_is_not_supported(http, status, answer):
    http.expect('POST', BASE + '/auth', status=status, answer=answer)
    with pytest.raises(MailadminError) as err:
        CloudUssConnection(StubModule())
    assert 'second login factor' in err.value.msg and 'not supported' in err.value.msg
    assert PASSWORD not in err.value.msg


def test_login_answer_without_token_or_account(http):
    http.expect('POST', BASE + '/auth', answer={'token_type': 'Bearer'})
    with pytest.raises(MailadminError) as err:
        CloudUssConnection(StubModule())
    assert 'without an access_token' in err.value.msg
    http.expect('POST', BASE + '/auth', answer={'access_token': TOKEN})
    with pytest.raises(MailadminError) as err:
        CloudUssConnection(StubModule())
    assert 'without an accounts_id' in err.value.msg and TOKEN not in err.value.msg


def test_access_token_skips_login(http):
    conn = CloudUssConnection(StubModule(username=None, password=None, access_token=TOKEN, account_id=ACCOUNT))
    assert http.calls == []
    assert TOKEN in conn.client.module.no_log_values
    http.expect('GET', LIST, status=401, answer={'error': 'unauthorized', 'message': 'invalid bearer token'})
    with pytest.raises(ApiError) as err:
        conn.mailboxes()
    assert 'access_token (tokens live 24 hours)' in err.value.msg and TOKEN not in err.value.msg


# -- reads and writes ---------------------------------------------------------------------------

def test_mailboxes_reads_every_page(http):
    conn = connect(http)
    http.expect('GET', LIST, query={'page': '1', 'page_size': '100', 'search': 'x.org'},
                answer=page([raw(1, 'a@x.org')], 1, 2, total=2))
    http.expect('GET', LIST, query={'page': '2', 'page_size': '100', 'search': 'x.org'},
                answer=page([raw(2, 'b@x.org', executive=1)], 2, 2, total=2))
    assert [m['email_address'] for m in conn.mailboxes('x.org')] == ['a@x.org', 'b@x.org']


def test_find_exact_case_insensitive_one_search_per_domain(http):
    conn = connect(http)
    http.expect('GET', LIST, query={'page': '1', 'page_size': '100', 'search': 'example.com'},
                answer=page([raw(1, 'bob@example.com'), raw(2, 'bob.jones@example.com'), raw(3, 'Ann@Example.com')]))
    http.expect('GET', LIST, query={'page': '1', 'page_size': '100', 'search': 'bob@example.co'},
                answer=page([raw(1, 'bob@example.com')]))
    found = conn.find(['bob@example.co', 'ann@example.com', 'BOB@example.com'])
    assert sorted(found) == ['ann@example.com', 'bob@example.com']
    assert found['ann@example.com']['id'] == 3


def test_add_in_one_request_uses_answer_records(http):
    conn = connect(http)
    body = [{'id': 'USSportal.email.model.Mailbox-1', 'email_address_id': 0, 'executive': 1, 'email_address': 'a@x.org'},
            {'id': 'USSportal.email.model.Mailbox-2', 'email_address_id': 0, 'executive': 1, 'email_address': 'b@x.org'}]
    http.expect('POST', BASE + '/email/mailbox', body=body,
                answer=[raw(11, 'b@x.org', executive=1), raw(10, 'a@x.org', executive=1)])
    created, request_id = conn.add(new('a@x.org', 'b@x.org', executive=True))
    assert request_id is None
    got = [(m['id'], m['email_address'], m['executive']) for m in created]
    assert got == [(10, 'a@x.org', True), (11, 'b@x.org', True)]


@pytest.mark.parametrize('answer', [None, {}, {'status': 'ok'}, [{'email_address': 'a@x.org'}]])
def test_add_reads_back_when_answer_does_not_list_records(http, answer):
    conn = connect(http)
    http.expect('POST', BASE + '/email/mailbox', status=200, answer=answer)
    http.expect('GET', LIST, query={'page': '1', 'page_size': '100', 'search': 'a@x.org'},
                answer=page([raw(10, 'a@x.org')]))
    assert conn.add(new('a@x.org'))[0][0]['id'] == 10


def test_add_fails_when_read_back_misses_it(http):
    conn = connect(http)
    http.expect('POST', BASE + '/email/mailbox', status=204)
    http.expect('GET', LIST, answer=page([]))
    with pytest.raises(MailadminError) as err:
        conn.add(new('a@x.org'))
    assert 'does not list a@x.org' in err.value.msg


def test_add_not_retried_after_server_error(http):
    conn = connect(http)
    http.expect('POST', BASE + '/email/mailbox', status=500, answer={'error': 'boom', 'message': 'oops'})
    with pytest.raises(ApiError) as err:
        conn.add(new('a@x.org'))
    assert err.value.status == 500 and len(http.writes) == 2  # the login and the one POST


def test_remove_in_one_request(http):
    conn = connect(http)
    records = [normalize_mailbox(raw(1, 'a@x.org')), normalize_mailbox(raw(2, 'b@x.org'))]
    http.expect('DELETE', BASE + '/email/mailbox', body=[
        {'id': 1, 'email_address_id': 1001, 'email_address': 'a@x.org'},
        {'id': 2, 'email_address_id': 1002, 'email_address': 'b@x.org'}], answer=[],
        headers={'X-Request-Id': 'uss-req-9'})
    assert conn.remove(records) == 'uss-req-9'


def test_write_refused_token_is_explained(http):
    conn = connect(http)
    http.expect('DELETE', BASE + '/email/mailbox', status=403, answer={'error': 'forbidden', 'message': 'no'})
    with pytest.raises(ApiError) as err:
        conn.remove([normalize_mailbox(raw(1, 'a@x.org'))])
    assert "the token of this run's login" in err.value.msg


def expect_delete(http, status=200, headers=None, answer=None):
    http.expect('DELETE', BASE + '/email/mailbox', status=status, answer=[] if answer is None else answer,
                headers=headers)


def test_apply_removes_then_adds_with_request_ids(http):
    conn = connect(http)
    plan = plan_mailboxes(wanted_mailboxes(['new@x.org'], True), registered('old@x.org'), 'present', exclusive=True)
    expect_delete(http, headers={'X-Request-Id': 'uss-del'})
    http.expect('POST', BASE + '/email/mailbox', answer=[raw(7, 'new@x.org', executive=1)],
                headers={'X-Request-Id': 'uss-post'})
    affected, changes = conn.apply(plan)
    assert [m['email_address'] for m in affected] == ['old@x.org', 'new@x.org']
    assert [(c['action'], c['object'], c['request_id']) for c in changes] == [
        ('delete', 'old@x.org', 'uss-del'), ('create', 'new@x.org', 'uss-post')]
    assert [c['method'] for c in http.writes] == ['POST', 'DELETE', 'POST']  # login, delete, add


def test_apply_failure_after_the_removal_carries_its_record(http):
    conn = connect(http)
    plan = plan_mailboxes(wanted_mailboxes(['new@x.org'], False), registered('old@x.org'), 'present', exclusive=True)
    expect_delete(http)
    http.expect('POST', BASE + '/email/mailbox', status=409, answer={'error': 'duplicate', 'message': 'exists'})
    with pytest.raises(ApiError) as err:
        conn.apply(plan)
    assert [(c['action'], c['object'], c['request_id']) for c in err.value.details['changes']] == [
        ('delete', 'old@x.org', None)]


def test_apply_failure_of_the_first_request_carries_no_record(http):
    conn = connect(http)
    plan = plan_mailboxes(wanted_mailboxes(['new@x.org'], False), registered('old@x.org'), 'present', exclusive=True)
    expect_delete(http, status=404, answer={'error': 'not_found', 'message': 'gone'})
    with pytest.raises(ApiError) as err:
        conn.apply(plan)
    assert err.value.details['changes'] == []
    assert len(http.writes) == 2  # login and the DELETE: no POST after a failed removal


def test_apply_read_back_failure_still_reports_the_addition(http):
    conn = connect(http)
    plan = plan_mailboxes(wanted_mailboxes(['new@x.org'], False), {}, 'present')
    http.expect('POST', BASE + '/email/mailbox', status=204, headers={'X-Request-Id': 'uss-post'})
    http.expect('GET', LIST, answer=page([]))
    with pytest.raises(MailadminError) as err:
        conn.apply(plan)
    assert 'does not list new@x.org' in err.value.msg
    assert [(c['object'], c['request_id']) for c in err.value.details['changes']] == [('new@x.org', 'uss-post')]


def test_all_mailboxes_reads_every_page_without_search(http):
    conn = connect(http)
    http.expect('GET', LIST, query={'page': '1', 'page_size': '100'}, answer=page([raw(1, 'A@x.org')], 1, 2, 2))
    http.expect('GET', LIST, query={'page': '2', 'page_size': '100'}, answer=page([raw(2, 'b@y.org')], 2, 2, 2))
    assert sorted(conn.all_mailboxes()) == ['a@x.org', 'b@y.org']
