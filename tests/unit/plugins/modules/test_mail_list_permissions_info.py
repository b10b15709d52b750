# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.mailops.mailadmin.plugins.modules import mail_list_permissions_info
from ansible_collections.mailops.mailadmin.tests.unit.plugins.harness import run_module
from ansible_collections.mailops.mailadmin.tests.unit.plugins.modules.mail_list_org import (
    ALL_LIST, ANONYMOUS, ENG_LIST, ML_ARGS, SALES_LIST, SUPPORT_LIST, expect_permissions, expect_units,
    grants, subject,
)
from ansible_collections.mailops.mailadmin.tests.unit.plugins.modules.y360_org import (
    ALICE, ORG, SUPPORT, expect_shared_details, expect_users,
)


def run(args, **kwargs):
    return run_module(mail_list_permissions_info, dict(ML_ARGS, **args), **kwargs)


def test_every_list_with_an_address_sorted_by_email(http):
    expect_units(http)
    expect_users(http)
    expect_shared_details(http, SUPPORT, 'support@example.com')
    expect_permissions(http, ALL_LIST, [ANONYMOUS])
    expect_permissions(http, ENG_LIST, [subject('department', 2), subject('user', 1130000000009001, 0)])
    expect_permissions(http, SALES_LIST, answer=grants([subject('group', 2), subject('user', int(ALICE))],
                                                       {'name': 'mail_list_sender'}))
    expect_permissions(http, SUPPORT_LIST, [subject('organization', ORG), subject('shared_mailbox', SUPPORT)])
    result = run({}, check_mode=True)
    assert result['changed'] is False
    assert [item['email'] for item in result['mail_lists']] == [
        'all@example.com', 'eng@example.com', 'sales@example.com', 'support-team@example.com']
    by_email = {item['email']: item for item in result['mail_lists']}
    assert by_email['all@example.com'] == {
        'mail_list_id': ALL_LIST, 'email': 'all@example.com', 'owner_type': 'department', 'owner_id': '1',
        'senders': [{'type': 'anonymous', 'id': '0', 'org_id': 0, 'email': ''}], 'anyone_can_send': True}
    assert by_email['eng@example.com']['senders'] == [
        {'type': 'department', 'id': '2', 'org_id': ORG, 'email': 'eng@example.com'},
        {'type': 'user', 'id': '1130000000009001', 'org_id': 0, 'email': ''}]
    assert by_email['sales@example.com']['senders'] == [
        {'type': 'group', 'id': '2', 'org_id': ORG, 'email': 'support-team@example.com'},
        {'type': 'user', 'id': ALICE, 'org_id': ORG, 'email': 'alice@example.com'}]
    assert by_email['sales@example.com']['owner_type'] == 'group'
    assert by_email['support-team@example.com']['senders'] == [
        {'type': 'organization', 'id': str(ORG), 'org_id': ORG, 'email': ''},
        {'type': 'shared_mailbox', 'id': SUPPORT, 'org_id': ORG, 'email': 'support@example.com'}]
    assert not any(item['anyone_can_send'] for item in result['mail_lists'][1:])
    assert http.writes == []


def test_one_list_by_alias(http):
    expect_units(http)
    expect_permissions(http, ENG_LIST, [])
    result = run({'mail_list': 'Engineering@example.com'})
    assert result['mail_lists'] == [{'mail_list_id': ENG_LIST, 'email': 'eng@example.com', 'owner_type': 'department',
                                     'owner_id': '2', 'senders': [], 'anyone_can_send': False}]


def test_unknown_list_fails(http):
    expect_units(http)
    result = run({'mail_list': 'nolist@example.com'})
    assert result['failed'] is True
    assert 'nolist@example.com' in result['msg']


def test_failed_read_names_the_request_id(http):
    expect_units(http)
    expect_permissions(http, SALES_LIST, status=403, answer={'code': 7, 'message': 'Not an admin', 'details': []},
                       headers={'Yandex-Cloud-Request-ID': 'cloud-req-9'})
    result = run({'mail_list': 'sales@example.com'})
    assert result['failed'] is True
    assert 'cloud-req-9' in result['msg']
