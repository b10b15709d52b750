# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.mailops.mailadmin.plugins.modules import shared_mailbox
from ansible_collections.mailops.mailadmin.tests.unit.plugins.harness import run_module
from ansible_collections.mailops.mailadmin.tests.unit.plugins.modules.y360_org import (
    ALICE, ARGS, BILLING, DIRECTORY, MAILBOXES, SUPPORT, TOKEN, expect_shared, expect_shared_details,
    expect_users, y360_page,
)

NEW = '1130000000000600'
GROUPS = [{'id': 1, 'name': 'Sales', 'email': 'sales@example.com', 'emailId': '1130000000000901',
           'aliases': ['sales-team']}]
DEPARTMENTS = [{'id': 1, 'name': 'All', 'email': 'all@example.com', 'emailId': '1130000000000951', 'aliases': []}]


def run(args, **kwargs):
    return run_module(shared_mailbox, dict(ARGS, **args), **kwargs)


def expect_units(http):
    http.expect('GET', DIRECTORY + '/groups', query={'page': 1, 'perPage': 1000},
                answer=y360_page('groups', GROUPS, 1, 1000, len(GROUPS)))
    http.expect('GET', DIRECTORY + '/departments', query={'page': 1, 'perPage': 1000},
                answer=y360_page('departments', DEPARTMENTS, 1, 1000, len(DEPARTMENTS)))


def expect_org(http):
    """The reads of every run that names an address: people, the shared list, support's details."""
    expect_users(http)
    expect_shared(http, {SUPPORT: 2})
    expect_shared_details(http, SUPPORT, 'support@example.com')


def expect_create(http, body, **kwargs):
    http.expect('PUT', MAILBOXES + '/shared', body=body, answer={'resourceId': NEW},
                headers={'X-Request-Id': 'req-create'}, **kwargs)


def without_request_ids(changes):
    return [dict(change, request_id=None) for change in changes]


# -- create ---------------------------------------------------------------------------------

def test_create(http):
    expect_org(http)
    expect_units(http)
    expect_create(http, {'email': 'hr@example.com', 'name': 'HR', 'description': ''})
    result = run({'mailbox': 'hr@example.com', 'name': 'HR'}, diff=True)
    assert result['changed'] is True
    assert result['mailbox'] == {'id': NEW, 'email': 'hr@example.com', 'name': 'HR', 'description': ''}
    [change] = result['changes']
    assert change == {'service': 'y360', 'kind': 'shared_mailbox', 'action': 'create', 'object': 'hr@example.com',
                      'subject': None, 'before': None, 'after': {'name': 'HR', 'description': ''},
                      'summary': "create shared mailbox hr@example.com named 'HR'", 'request_id': 'req-create'}
    assert result['diff'] == {'before': {'state': 'absent'},
                              'after': {'state': 'present', 'email': 'hr@example.com', 'name': 'HR',
                                        'description': ''}}
    assert [call['method'] for call in http.writes] == ['PUT']
    assert not result.warning_texts


def test_check_mode_create_plans_the_same_changes_and_sends_no_write(http):
    expect_org(http)
    expect_units(http)
    check = run({'email': 'hr@example.com', 'name': 'HR', 'description': 'People'}, check_mode=True)
    assert http.writes == []
    assert check['changed'] is True
    assert check['mailbox'] == {'id': None, 'email': 'hr@example.com', 'name': 'HR', 'description': 'People'}
    assert check['changes'][0]['request_id'] is None
    expect_org(http)
    expect_units(http)
    expect_create(http, {'email': 'hr@example.com', 'name': 'HR', 'description': 'People'})
    real = run({'email': 'hr@example.com', 'name': 'HR', 'description': 'People'})
    assert real['changes'][0]['request_id'] == 'req-create'
    assert without_request_ids(real['changes']) == check['changes']


@pytest.mark.parametrize('ref, message', [
    ('alice@example.com', 'belongs to the person alice@example.com'),
    ('A.Smith@example.com', 'belongs to the person alice@example.com'),
    (ALICE, 'belongs to the person alice@example.com'),
    ('alice', 'belongs to the person alice@example.com'),
])
@pytest.mark.parametrize('state', ['present', 'absent'])
def test_a_persons_address_fails_before_any_write(http, ref, message, state):
    expect_users(http)
    result = run({'mailbox': ref, 'name': 'X', 'state': state})
    assert result.failed and message in result['msg'] and repr(str(ref)) in result['msg']
    assert http.writes == []


@pytest.mark.parametrize('ref, message', [
    ('hr@other.example.net', 'not on a domain of organization 1234567 (example.com)'),
    ('sales@example.com', "mailing-list address of the group 'Sales'"),
    ('Sales-Team@example.com', "mailing-list address of the group 'Sales'"),
    ('all@example.com', "mailing-list address of the department 'All'"),
    ('hr', 'is not an email address'),
    ('hr team@example.com', 'is not an email address'),
])
def test_an_address_that_cannot_be_created_fails_before_any_write(http, ref, message):
    if '@' in ref:
        expect_org(http)   # the address is looked for among the shared mailboxes first
    else:
        expect_users(http)
    if '@' in ref and 'other' not in ref and ' ' not in ref:
        expect_units(http)
    result = run({'mailbox': ref, 'name': 'X'})
    assert result.failed and message in result['msg'] and ref in result['msg']
    assert http.writes == []


def test_missing_name_on_create_fails_before_any_write(http):
    expect_org(http)
    result = run({'mailbox': 'hr@example.com'})
    assert result.failed and result['msg'] == 'name is required to create the shared mailbox hr@example.com'
    assert http.writes == []


def test_unknown_id_cannot_be_created(http):
    expect_users(http)
    expect_shared(http, {SUPPORT: 2})
    result = run({'mailbox': '1130000000000599', 'name': 'X'})
    assert result.failed and '1130000000000599' in result['msg'] and 'give its address' in result['msg']


@pytest.mark.parametrize('args, message', [
    ({'mailbox': '  ', 'name': 'X'}, 'mailbox must not be empty'),
    ({'mailbox': 'hr@example.com', 'name': ' '}, 'name must not be empty'),
    ({'mailbox': 'hr@example.com', 'state': 'gone'}, 'state'),
])
def test_bad_options_fail_without_requests(http, args, message):
    result = run(args)
    assert result.failed and message in result['msg']
    assert http.calls == []


def test_a_create_that_met_a_server_error_is_not_sent_again(http):
    expect_org(http)
    expect_units(http)
    http.expect('PUT', MAILBOXES + '/shared', status=503, answer={'code': 14, 'message': 'unavailable'},
                headers={'X-Request-Id': 'req-503'})
    result = run({'mailbox': 'hr@example.com', 'name': 'HR', 'retries': 3})
    assert result.failed and 'HTTP 503' in result['msg'] and 'req-503' in result['msg']
    assert len(http.writes) == 1


# -- update ---------------------------------------------------------------------------------

def test_rename_keeps_an_omitted_description(http):
    expect_org(http)
    http.expect('PUT', '%s/shared/%s' % (MAILBOXES, SUPPORT), body={'name': 'Customer care', 'description': ''},
                answer={}, headers={'X-Request-Id': 'req-up'})
    result = run({'mailbox': 'SUPPORT@example.com', 'name': 'Customer care'}, diff=True)
    assert result['changed'] is True
    assert result['mailbox'] == {'id': SUPPORT, 'email': 'support@example.com', 'name': 'Customer care',
                                 'description': ''}
    [change] = result['changes']
    assert (change['action'], change['object'], change['before'], change['after'], change['request_id']) == (
        'update', 'support@example.com', {'name': 'Support', 'description': ''},
        {'name': 'Customer care', 'description': ''}, 'req-up')
    assert result['diff']['before']['name'] == 'Support'
    assert result['diff']['after']['name'] == 'Customer care'


def test_update_by_id_reads_no_other_details(http):
    expect_users(http)
    expect_shared(http, {SUPPORT: 2, BILLING: 1})
    expect_shared_details(http, BILLING, 'billing@example.com')
    http.expect('PUT', '%s/shared/%s' % (MAILBOXES, BILLING), body={'name': 'Billing', 'description': 'Invoices'},
                answer={'id': BILLING, 'email': 'billing@example.com', 'name': 'Billing', 'description': 'Invoices'})
    result = run({'mailbox': BILLING, 'description': 'Invoices'})
    assert result['changes'][0]['after'] == {'name': 'Billing', 'description': 'Invoices'}
    assert result['changes'][0]['request_id'] is None   # the answer carried no request id


@pytest.mark.parametrize('args', [{}, {'name': 'Support'}, {'name': 'Support', 'description': ''},
                                  {'description': ''}])
def test_unchanged_sends_no_write(http, args):
    expect_org(http)
    result = run(dict({'mailbox': 'support@example.com'}, **args))
    assert result['changed'] is False and result['changes'] == []
    assert result['mailbox'] == {'id': SUPPORT, 'email': 'support@example.com', 'name': 'Support',
                                 'description': ''}
    assert http.writes == []


def test_existing_mailbox_needs_no_group_reads_and_no_name(http):
    expect_org(http)
    result = run({'mailbox': 'support@example.com', 'description': ''})
    assert not result.failed
    assert all('/groups' not in call['url'] for call in http.calls)


# -- delete ---------------------------------------------------------------------------------

def test_delete_warns_about_the_mail(http):
    expect_org(http)
    http.expect('DELETE', '%s/shared/%s' % (MAILBOXES, SUPPORT), answer={}, headers={'X-Request-Id': 'req-del'})
    result = run({'mailbox': 'support@example.com', 'state': 'absent'}, diff=True)
    assert result['changed'] is True
    assert result['mailbox'] is None
    [change] = result['changes']
    assert (change['action'], change['before'], change['after'], change['request_id']) == (
        'delete', {'name': 'Support', 'description': ''}, None, 'req-del')
    assert result['diff'] == {'before': {'state': 'present', 'email': 'support@example.com', 'name': 'Support',
                                         'description': ''},
                              'after': {'state': 'absent'}}
    assert any('Deleted the shared mailbox support@example.com' in text and 'all its mail' in text
               for text in result.warning_texts)


def test_check_mode_delete_warns_and_sends_nothing(http):
    expect_org(http)
    result = run({'mailbox': 'support@example.com', 'state': 'absent'}, check_mode=True)
    assert result['changed'] is True and result['mailbox'] is None
    assert any(text.startswith('Would delete the shared mailbox') for text in result.warning_texts)
    assert http.writes == []


@pytest.mark.parametrize('ref', ['gone@example.com', '1130000000000599', 'x@other.example.net'])
def test_already_absent(http, ref):
    expect_users(http)
    expect_shared(http, {SUPPORT: 2})
    if '@' in ref:
        expect_shared_details(http, SUPPORT, 'support@example.com')
    result = run({'mailbox': ref, 'state': 'absent'})
    assert result['changed'] is False and result['changes'] == [] and result['mailbox'] is None
    assert not result.warning_texts


def test_the_token_never_shows(http):
    expect_org(http)
    http.expect('DELETE', '%s/shared/%s' % (MAILBOXES, SUPPORT), status=500,
                answer={'code': 13, 'message': 'bad token %s' % TOKEN})
    result = run({'mailbox': 'support@example.com', 'state': 'absent', 'retries': 0})
    assert result.failed
    assert TOKEN not in result.raw
