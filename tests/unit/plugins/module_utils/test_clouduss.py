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


def record(address, executive=False, id_=1):
    return normalize_mailbox(raw(id_, address, executive=int(executive)))


def test_plan_present_adds_missing_and_keeps_existing():
    existing = {'bob@example.com': record('bob@example.com')}
    plan = plan_mailboxes(['bob@example.co', 'BOB@example.com', 'bob@example.co'], existing, 'present', False)
    assert plan['add'] == ['bob@example.co']
    assert plan['remove'] == []
    assert plan['unchanged'] == ['BOB@example.com']
    assert plan['executive_mismatch'] == []
    assert plan['before'] == ['bob@example.com']
    assert plan['after'] == ['bob@example.co', 'bob@example.com']


def test_plan_present_reports_executive_mismatch():
    existing = {'ceo@x.org': record('ceo@x.org', executive=True)}
    plan = plan_mailboxes(['ceo@x.org'], existing, 'present', False)
    assert plan['add'] == [] and plan['executive_mismatch'] == [existing['ceo@x.org']]
    assert plan_mailboxes(['ceo@x.org'], existing, 'present', True)['executive_mismatch'] == []


def test_plan_absent_removes_existing_only():
    existing = {'a@x.org': record('a@x.org')}
    plan = plan_mailboxes(['A@x.org', 'gone@x.org'], existing, 'absent', True)
    assert plan['remove'] == [existing['a@x.org']]
    assert plan['add'] == [] and plan['executive_mismatch'] == []
    assert plan['unchanged'] == ['gone@x.org']
    assert plan['before'] == ['a@x.org'] and plan['after'] == []


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
    created = conn.add(['a@x.org', 'b@x.org'], True)
    got = [(m['id'], m['email_address'], m['executive']) for m in created]
    assert got == [(10, 'a@x.org', True), (11, 'b@x.org', True)]


@pytest.mark.parametrize('answer', [None, {}, {'status': 'ok'}, [{'email_address': 'a@x.org'}]])
def test_add_reads_back_when_answer_does_not_list_records(http, answer):
    conn = connect(http)
    http.expect('POST', BASE + '/email/mailbox', status=200, answer=answer)
    http.expect('GET', LIST, query={'page': '1', 'page_size': '100', 'search': 'a@x.org'},
                answer=page([raw(10, 'a@x.org')]))
    assert conn.add(['a@x.org'], False)[0]['id'] == 10


def test_add_fails_when_read_back_misses_it(http):
    conn = connect(http)
    http.expect('POST', BASE + '/email/mailbox', status=204)
    http.expect('GET', LIST, answer=page([]))
    with pytest.raises(MailadminError) as err:
        conn.add(['a@x.org'], False)
    assert 'does not list a@x.org' in err.value.msg


def test_add_not_retried_after_server_error(http):
    conn = connect(http)
    http.expect('POST', BASE + '/email/mailbox', status=500, answer={'error': 'boom', 'message': 'oops'})
    with pytest.raises(ApiError) as err:
        conn.add(['a@x.org'], False)
    assert err.value.status == 500 and len(http.writes) == 2  # the login and the one POST


def test_remove_in_one_request(http):
    conn = connect(http)
    records = [normalize_mailbox(raw(1, 'a@x.org')), normalize_mailbox(raw(2, 'b@x.org'))]
    http.expect('DELETE', BASE + '/email/mailbox', body=[
        {'id': 1, 'email_address_id': 1001, 'email_address': 'a@x.org'},
        {'id': 2, 'email_address_id': 1002, 'email_address': 'b@x.org'}], answer=[])
    conn.remove(records)


def test_write_refused_token_is_explained(http):
    conn = connect(http)
    http.expect('DELETE', BASE + '/email/mailbox', status=403, answer={'error': 'forbidden', 'message': 'no'})
    with pytest.raises(ApiError) as err:
        conn.remove([normalize_mailbox(raw(1, 'a@x.org'))])
    assert "the token of this run's login" in err.value.msg
