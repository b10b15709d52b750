# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Shared mailboxes: the pure planner and the API layer's create, update and delete."""

from __future__ import annotations

import pytest

from ansible_collections.mailops.mailadmin.plugins.module_utils._http import ApiError, MailadminError
from ansible_collections.mailops.mailadmin.plugins.module_utils._shared_mailbox import (
    managed, plan_shared_mailbox,
)
from ansible_collections.mailops.mailadmin.plugins.module_utils._y360 import Y360Connection, normalize_user
from ansible_collections.mailops.mailadmin.tests.unit.plugins.modules.y360_org import (
    ARGS, MAILBOXES, SUPPORT, expect_shared, expect_shared_details,
)

SUPPORT_NOW = {'id': SUPPORT, 'email': 'support@example.com', 'name': 'Support', 'description': 'Inbox'}


class StubModule:
    def __init__(self, check_mode=False, retries=0):
        self.params = dict(ARGS, cloud_api_url='https://cloud.test', timeout=30, retries=retries, validate_certs=True)
        self.check_mode = check_mode
        self.no_log_values = set()

    def warn(self, msg):
        raise AssertionError('unexpected warning %s' % msg)


def connect(check_mode=False, retries=0):
    return Y360Connection(StubModule(check_mode, retries))


# -- planner ---------------------------------------------------------------------------------

def test_managed_value():
    assert managed(None) is None
    assert managed(SUPPORT_NOW) == {'name': 'Support', 'description': 'Inbox'}
    assert managed({'id': '1', 'email': 'a@b', 'name': None}) == {'name': '', 'description': ''}


def test_plan_create_with_default_description():
    [record] = plan_shared_mailbox('hr@example.com', None, 'present', 'HR')
    assert (record['kind'], record['action'], record['object'], record['subject']) == (
        'shared_mailbox', 'create', 'hr@example.com', None)
    assert (record['before'], record['after']) == (None, {'name': 'HR', 'description': ''})
    assert record['summary'] == "create shared mailbox hr@example.com named 'HR'"
    assert record['request_id'] is None


@pytest.mark.parametrize('name, description, after', [
    ('Customer care', None, {'name': 'Customer care', 'description': 'Inbox'}),
    (None, '', {'name': 'Support', 'description': ''}),
    ('Care', 'New', {'name': 'Care', 'description': 'New'}),
])
def test_plan_update_only_what_is_given(name, description, after):
    [record] = plan_shared_mailbox('support@example.com', SUPPORT_NOW, 'present', name, description)
    assert record['action'] == 'update'
    assert record['before'] == {'name': 'Support', 'description': 'Inbox'}
    assert record['after'] == after


def test_plan_update_summary_names_what_changes():
    [record] = plan_shared_mailbox('support@example.com', SUPPORT_NOW, 'present', 'Care')
    assert record['summary'] == "change shared mailbox support@example.com: name from 'Support' to 'Care'"


@pytest.mark.parametrize('name, description', [
    (None, None), ('Support', None), ('Support', 'Inbox'), (None, 'Inbox')])
def test_plan_nothing_when_equal_or_omitted(name, description):
    assert plan_shared_mailbox('support@example.com', SUPPORT_NOW, 'present', name, description) == []


def test_plan_delete_and_already_absent():
    [record] = plan_shared_mailbox('support@example.com', SUPPORT_NOW, 'absent', 'ignored')
    assert (record['action'], record['before'], record['after']) == (
        'delete', {'name': 'Support', 'description': 'Inbox'}, None)
    assert 'all its mail' in record['summary']
    assert plan_shared_mailbox('gone@example.com', None, 'absent') == []


# -- API layer ------------------------------------------------------------------------------

def test_create_sends_all_three_fields_and_fills_the_caches(http):
    expect_shared(http, {SUPPORT: 2})
    http.expect('PUT', MAILBOXES + '/shared', body={'email': 'hr@example.com', 'name': 'HR', 'description': ''},
                answer={'resourceId': 1130000000000600}, headers={'X-Request-Id': 'req-create'})
    conn = connect()
    assert conn.mailboxes.shared() == {SUPPORT: 2}
    details, request_id = conn.mailboxes.create_shared('hr@example.com', 'HR', '')
    assert details == {'id': '1130000000000600', 'email': 'hr@example.com', 'name': 'HR', 'description': ''}
    assert request_id == 'req-create'
    # no further reads: the list and the details cache know the new mailbox
    assert conn.mailboxes.shared() == {SUPPORT: 2, '1130000000000600': 0}
    assert conn.directory.find_shared('1130000000000600') == details


def test_create_is_not_retried_after_a_server_error(http):
    http.expect('PUT', MAILBOXES + '/shared', status=503, answer={'code': 14, 'message': 'unavailable'})
    conn = connect(retries=3)
    with pytest.raises(ApiError) as err:
        conn.mailboxes.create_shared('hr@example.com', 'HR', '')
    assert err.value.status == 503
    assert len(http.calls) == 1


def test_create_is_retried_after_a_429(http, fake_clock):
    http.expect('PUT', MAILBOXES + '/shared', status=429, headers={'Retry-After': '1'})
    http.expect('PUT', MAILBOXES + '/shared', answer={'resourceId': '7'})
    conn = connect(retries=2)
    conn.mailboxes.api.module.warn = lambda msg: None
    assert conn.mailboxes.create_shared('hr@example.com', 'HR', '')[0]['id'] == '7'
    assert fake_clock.slept == [1.0]


def test_create_without_an_id_in_the_answer_fails(http):
    http.expect('PUT', MAILBOXES + '/shared', answer={}, headers={'X-Request-Id': 'req-x'})
    with pytest.raises(MailadminError) as err:
        connect().mailboxes.create_shared('hr@example.com', 'HR', '')
    assert 'hr@example.com' in err.value.msg and 'req-x' in err.value.msg


@pytest.mark.parametrize('answer', [
    {'id': SUPPORT, 'email': 'support@example.com', 'name': 'Care', 'description': 'Inbox'},
    {},
    None,
])
def test_update_sends_name_and_description_whatever_the_answer(http, answer):
    expect_shared(http, {SUPPORT: 2})
    expect_shared_details(http, SUPPORT, 'support@example.com')
    http.expect('PUT', '%s/shared/%s' % (MAILBOXES, SUPPORT), body={'name': 'Care', 'description': 'Inbox'},
                answer=answer, headers={'X-Request-Id': 'req-up'})
    conn = connect()
    assert conn.directory.find_shared(SUPPORT)['name'] == 'Support'
    details, request_id = conn.mailboxes.update_shared(SUPPORT, 'Care', 'Inbox')
    assert details == {'id': SUPPORT, 'email': 'support@example.com', 'name': 'Care', 'description': 'Inbox'}
    assert request_id == 'req-up'
    assert conn.directory.find_shared(SUPPORT) == details


@pytest.mark.parametrize('status, answer', [(200, {}), (200, None), (204, None), (404, {'code': 5})])
def test_delete_forgets_the_mailbox(http, status, answer):
    expect_shared(http, {SUPPORT: 2})
    http.expect('DELETE', '%s/shared/%s' % (MAILBOXES, SUPPORT), status=status, answer=answer,
                headers={'X-Request-Id': 'req-del'})
    conn = connect()
    conn.mailboxes.shared()
    assert conn.mailboxes.delete_shared(SUPPORT) == (None, 'req-del')
    assert conn.mailboxes.shared() == {}
    assert conn.directory.find_shared(SUPPORT) is None


def test_writes_are_refused_in_check_mode(http):
    conn = connect(check_mode=True)
    with pytest.raises(MailadminError):
        conn.mailboxes.create_shared('hr@example.com', 'HR', '')
    with pytest.raises(MailadminError):
        conn.mailboxes.update_shared(SUPPORT, 'HR', '')
    with pytest.raises(MailadminError):
        conn.mailboxes.delete_shared(SUPPORT)
    assert http.calls == []


def test_normalize_user_keeps_what_user_info_returns():
    user = normalize_user({'id': 42, 'nickname': 'neo', 'email': 'neo@example.com', 'aliases': ['N.Anderson'],
                           'name': {'first': 'Thomas', 'last': 'Anderson'}, 'departmentId': 3,
                           'isAdmin': True, 'isEnabled': 'false'})
    assert user['aliases'] == ['N.Anderson']
    assert user['alias_keys'] == {'n.anderson', 'neo'}
    assert user['name'] == {'first': 'Thomas', 'last': 'Anderson', 'middle': ''}
    assert user['department_id'] == '3'
    assert (user['is_admin'], user['is_enabled'], user['is_dismissed']) == (True, False, False)
    bare = normalize_user({'id': '1'})
    assert bare['aliases'] == [] and bare['department_id'] is None and bare['is_admin'] is False
    assert bare['name'] == {'first': '', 'last': '', 'middle': ''}
