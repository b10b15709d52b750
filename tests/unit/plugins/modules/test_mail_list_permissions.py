# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.mailops.mailadmin.plugins.modules import mail_list_permissions
from ansible_collections.mailops.mailadmin.tests.unit.plugins.harness import run_module
from ansible_collections.mailops.mailadmin.tests.unit.plugins.modules.mail_list_org import (
    ALL_LIST, ANONYMOUS, ENG_LIST, ML_ARGS, SALES_LIST, SENDER, action, expect_permissions, expect_units,
    expect_update, grants, shown, subject,
)
from ansible_collections.mailops.mailadmin.tests.unit.plugins.modules.y360_org import (
    ALICE, BOB, CAROL, ORG, SUPPORT, TOKEN, expect_shared, expect_shared_details, expect_users,
)

ANON = {'type': 'anonymous', 'id': 0, 'org_id': 0}
SALES_GROUP = subject('group', 1)
ALICE_SUBJECT = subject('user', int(ALICE))
BOB_SUBJECT = subject('user', int(BOB))
OUTSIDER = subject('user', 1130000000009001, 0)


def run(args, **kwargs):
    return run_module(mail_list_permissions, dict(ML_ARGS, **args), **kwargs)


def sender(subject_type, subject_id, email='', org_id=ORG):
    return {'type': subject_type, 'id': str(subject_id), 'org_id': org_id, 'email': email}


def test_add_a_sender(http):
    expect_units(http)
    expect_users(http)
    expect_permissions(http, SALES_LIST, [SALES_GROUP, ALICE_SUBJECT])
    expect_update(http, SALES_LIST, [action('grant', BOB_SUBJECT)])
    result = run({'mail_list': 'sales@example.com', 'senders': [{'id': 'bob'}]})
    assert result['changed'] is True
    assert result['mail_list_id'] == SALES_LIST
    assert result['role_actions'] == [shown('grant', BOB_SUBJECT)]
    assert result['senders'] == [
        sender('group', 1, 'sales@example.com'),
        sender('user', ALICE, 'alice@example.com'),
        sender('user', BOB, 'bob@example.com'),
    ]
    assert 'diff' not in result
    assert result.warning_texts == []
    assert len(http.writes) == 1


def test_sender_already_there_sends_no_write(http):
    expect_units(http)
    expect_users(http)
    expect_permissions(http, SALES_LIST, [SALES_GROUP, ALICE_SUBJECT])
    result = run({'mail_list': 'SALES-TEAM@example.com', 'senders': [{'id': 'a.smith@example.com'}]})
    assert result['changed'] is False
    assert result['role_actions'] == []
    assert http.writes == []


def test_remove_a_sender(http):
    expect_units(http)
    expect_users(http)
    expect_permissions(http, SALES_LIST, [SALES_GROUP, ALICE_SUBJECT])
    expect_update(http, SALES_LIST, [action('revoke', ALICE_SUBJECT)])
    result = run({'mail_list': SALES_LIST, 'senders': [{'id': ALICE}, {'id': 'bob'}], 'state': 'absent'})
    assert result['changed'] is True
    assert result['role_actions'] == [shown('revoke', ALICE_SUBJECT)]
    assert result['senders'] == [sender('group', 1, 'sales@example.com')]


def test_sender_already_absent_sends_no_write(http):
    expect_units(http)
    expect_users(http)
    expect_permissions(http, SALES_LIST, [SALES_GROUP, ALICE_SUBJECT])
    result = run({'mail_list': SALES_LIST, 'senders': [{'id': 'carol'}], 'state': 'absent'})
    assert result['changed'] is False
    assert result['role_actions'] == []
    assert http.writes == []


def test_exclusive_revokes_then_grants_in_one_request(http):
    expect_units(http)
    expect_users(http)
    expect_permissions(http, ALL_LIST, [ANONYMOUS])
    expect_update(http, ALL_LIST, [action('revoke', ANON), action('grant', SALES_GROUP, ALICE_SUBJECT)])
    result = run({'mail_list': 'all@example.com', 'exclusive': True,
                  'senders': [{'type': 'group', 'id': 'sales@example.com'}, {'id': 'alice'}]})
    assert result['changed'] is True
    assert [a['type'] for a in result['role_actions']] == ['revoke', 'grant']
    assert result['senders'] == [sender('group', 1, 'sales@example.com'), sender('user', ALICE, 'alice@example.com')]
    assert len(http.writes) == 1


def test_exclusive_already_exact_sends_no_write(http):
    expect_units(http)
    expect_users(http)
    expect_permissions(http, SALES_LIST, [SALES_GROUP, ALICE_SUBJECT])
    result = run({'mail_list': SALES_LIST, 'exclusive': True,
                  'senders': [{'type': 'group', 'id': '1'}, {'id': 'alice'}]})
    assert result['changed'] is False
    assert http.writes == []


def test_empty_exclusive_list_means_nobody_may_send(http):
    expect_units(http)
    expect_users(http)  # to name the senders that lose the right
    expect_permissions(http, SALES_LIST, [SALES_GROUP, ALICE_SUBJECT])
    expect_update(http, SALES_LIST, [action('revoke', SALES_GROUP, ALICE_SUBJECT)])
    result = run({'mail_list': SALES_LIST, 'exclusive': True, 'senders': []}, diff=True)
    assert result['changed'] is True
    assert result['senders'] == []
    assert result['diff']['after'] == {'mail_list': 'sales@example.com', 'senders': []}
    assert result.warning_texts == []  # the user asked for it


def test_empty_exclusive_list_already_empty(http):
    expect_units(http)
    expect_permissions(http, SALES_LIST, [])
    result = run({'mail_list': SALES_LIST, 'exclusive': True, 'senders': []})
    assert result['changed'] is False
    assert result['senders'] == []


def test_removing_the_last_sender_warns(http):
    expect_units(http)
    expect_permissions(http, ALL_LIST, [ANONYMOUS])
    expect_update(http, ALL_LIST, [action('revoke', ANON)])
    result = run({'mail_list': ALL_LIST, 'senders': [{'type': 'anonymous'}], 'state': 'absent'})
    assert result['changed'] is True
    assert result['senders'] == []
    assert any('Nobody may send' in warning for warning in result.warning_texts)


@pytest.mark.parametrize('spec', [
    {'type': 'anonymous'},
    {'type': 'anonymous', 'org_id': ORG},  # org_id is ignored: anonymous is always org 0
    {'type': 'anonymous', 'id': '12'},
])
def test_anonymous_is_always_id_0_org_0(http, spec):
    expect_units(http)
    expect_permissions(http, SALES_LIST, [SALES_GROUP])
    expect_update(http, SALES_LIST, [action('grant', ANON)])
    result = run({'mail_list': SALES_LIST, 'senders': [spec]})
    assert result['role_actions'] == [shown('grant', ANON)]
    assert sender('anonymous', 0, org_id=0) in result['senders']


def test_present_on_an_unrestricted_list_grants_and_warns(http):
    expect_units(http)
    expect_users(http)
    expect_permissions(http, ALL_LIST, [{'type': 'anonymous', 'id': 0, 'org_id': ORG}])  # any org_id: one anonymous
    expect_update(http, ALL_LIST, [action('grant', BOB_SUBJECT)])
    result = run({'mail_list': ALL_LIST, 'senders': [{'id': 'bob'}]})
    assert result['changed'] is True
    assert result['senders'] == [sender('anonymous', 0, org_id=0), sender('user', BOB, 'bob@example.com')]
    assert any('anyone may send' in warning for warning in result.warning_texts)


def test_organization(http):
    expect_units(http)
    expect_permissions(http, SALES_LIST, [])
    org_subject = subject('organization', ORG)
    expect_update(http, SALES_LIST, [action('grant', org_subject)])
    result = run({'mail_list': SALES_LIST, 'senders': [{'type': 'organization'}, {'type': 'organization', 'id': str(ORG)}]})
    assert result['role_actions'] == [shown('grant', org_subject)]
    assert result['senders'] == [sender('organization', ORG)]


def test_organization_already_there_with_id_omitted_by_the_api(http):
    expect_units(http)
    expect_permissions(http, SALES_LIST, [{'type': 'organization', 'org_id': ORG}])
    result = run({'mail_list': SALES_LIST, 'senders': [{'type': 'organization'}]})
    assert result['changed'] is False


def test_outside_contact_is_taken_as_given(http):
    expect_units(http)  # no directory lookup of the outsider
    expect_permissions(http, ENG_LIST, [subject('department', 2)])
    expect_update(http, ENG_LIST, [action('grant', OUTSIDER)])
    result = run({'mail_list': 'engineering@example.com', 'senders': [{'id': '1130000000009001', 'org_id': 0}]},
                 diff=True)
    assert result['changed'] is True
    assert result['senders'] == [sender('department', 2, 'eng@example.com'), sender('user', '1130000000009001', org_id=0)]
    assert result['diff']['after']['senders'] == ['department:eng@example.com', 'user:1130000000009001 (org_id 0)']


def test_outside_contact_already_there_as_a_string_id(http):
    expect_units(http)
    expect_permissions(http, ENG_LIST, [dict(OUTSIDER, id='1130000000009001', org_id='0')])
    result = run({'mail_list': ENG_LIST, 'senders': [{'id': '1130000000009001', 'org_id': 0}]})
    assert result['changed'] is False


def test_same_sender_written_several_ways_is_one_sender(http):
    expect_units(http)
    expect_users(http)
    expect_permissions(http, ALL_LIST, [])
    expect_update(http, ALL_LIST, [action('grant', SALES_GROUP, ALICE_SUBJECT)])
    result = run({'mail_list': ALL_LIST, 'senders': [
        {'id': 'alice'}, {'id': 'ALICE@example.com'}, {'id': 'a.smith@example.com'}, {'id': ALICE},
        {'type': 'group', 'id': '1'}, {'type': 'group', 'id': 'sales-team@example.com'},
    ]})
    assert result['role_actions'] == [shown('grant', SALES_GROUP, ALICE_SUBJECT)]


def test_department_and_shared_mailbox_by_address(http):
    expect_units(http)
    expect_shared(http, {SUPPORT: 1})
    expect_shared_details(http, SUPPORT, 'support@example.com')
    expect_permissions(http, SALES_LIST, [])
    shared = subject('shared_mailbox', int(SUPPORT))
    eng = subject('department', 2)
    expect_update(http, SALES_LIST, [action('grant', eng, shared)])
    result = run({'mail_list': SALES_LIST, 'senders': [
        {'type': 'shared_mailbox', 'id': 'Support@example.com'}, {'type': 'department', 'id': 'eng@example.com'}]})
    assert result['senders'] == [sender('department', 2, 'eng@example.com'),
                                 sender('shared_mailbox', SUPPORT, 'support@example.com')]


def test_unknown_sender_fails_before_any_write(http):
    expect_units(http)
    expect_users(http)
    result = run({'mail_list': SALES_LIST, 'exclusive': True,
                  'senders': [{'id': 'alice'}, {'id': 'nobody@example.com'}]})
    assert result['failed'] is True
    assert 'nobody@example.com' in result['msg']
    assert http.writes == []


@pytest.mark.parametrize('spec, name', [
    ({'type': 'group', 'id': 'nogroup@example.com'}, 'nogroup@example.com'),
    ({'type': 'department', 'id': '99'}, '99'),
])
def test_unknown_group_or_department_fails(http, spec, name):
    expect_units(http)
    result = run({'mail_list': SALES_LIST, 'senders': [spec]})
    assert result['failed'] is True
    assert name in result['msg']


def test_unknown_shared_mailbox_fails(http):
    expect_units(http)
    expect_shared(http, {SUPPORT: 1})
    result = run({'mail_list': SALES_LIST, 'senders': [{'type': 'shared_mailbox', 'id': '1130000000000599'}]})
    assert result['failed'] is True
    assert '1130000000000599' in result['msg']


@pytest.mark.parametrize('ref, text', [
    ('nolist@example.com', 'Unknown mailing list'),
    ('0', 'Unknown mailing list'),
    ('old-project@example.com', 'has no mailing-list address'),
])
def test_unknown_list_or_list_without_address_fails(http, ref, text):
    expect_units(http)
    result = run({'mail_list': ref, 'senders': [{'id': 'alice'}]})
    assert result['failed'] is True
    assert text in result['msg']
    assert ref in result['msg']


@pytest.mark.parametrize('args, text', [
    ({'senders': [{'type': 'user'}]}, 'id is required'),
    ({'senders': [{'type': 'group', 'id': ' '}]}, 'id is required'),
    ({'senders': [{'id': 'bob@partner.com', 'org_id': 0}]}, 'numeric id'),
    ({'senders': [{'id': 'bob', 'org_id': 999}]}, 'org_id must be'),
    ({'senders': [{'type': 'organization', 'org_id': 0}]}, 'org_id 0 makes no sense'),
    ({'senders': [{'type': 'organization', 'id': '42'}]}, 'organization id'),
    ({'senders': [{'id': 'bob'}], 'state': 'absent', 'exclusive': True}, 'only applies with state=present'),
    ({'mail_list': '  ', 'senders': []}, 'mail_list must not be empty'),
])
def test_bad_options_fail_before_any_request(http, args, text):
    result = run(dict({'mail_list': SALES_LIST}, **args))
    assert result['failed'] is True
    assert text in result['msg']
    assert http.calls == []


@pytest.mark.parametrize('status, answer', [(204, None), (200, {}), (200, None)])
def test_update_answers_204_or_200(http, status, answer):
    expect_units(http)
    expect_permissions(http, SALES_LIST, [])
    expect_update(http, SALES_LIST, [action('grant', ANON)], status=status, answer=answer)
    result = run({'mail_list': SALES_LIST, 'senders': [{'type': 'anonymous'}]})
    assert result['changed'] is True


@pytest.mark.parametrize('role_item', [SENDER, {'name': SENDER}, {'role': SENDER}, {'id': SENDER, 'title': 'Sender'}])
def test_role_items_as_strings_or_objects(http, role_item):
    expect_units(http)
    expect_users(http)
    expect_permissions(http, SALES_LIST, answer=grants([SALES_GROUP, ALICE_SUBJECT], role_item))
    result = run({'mail_list': SALES_LIST, 'exclusive': True, 'senders': [{'type': 'group', 'id': '1'}, {'id': 'alice'}]})
    assert result['changed'] is False


def test_subject_without_the_sender_role_is_not_a_sender(http):
    expect_units(http)
    expect_users(http)
    answer = grants([SALES_GROUP])
    answer['grants']['items'].append({'roles': {'items': ['mail_list_moderator']}, 'subject': ALICE_SUBJECT})
    expect_permissions(http, SALES_LIST, answer=answer)
    expect_update(http, SALES_LIST, [action('grant', ALICE_SUBJECT)])
    result = run({'mail_list': SALES_LIST, 'senders': [{'id': 'alice'}]})
    assert result['changed'] is True


def test_check_mode_sends_no_write_and_predicts_role_actions(http):
    expect_units(http)
    expect_users(http)
    expect_permissions(http, ALL_LIST, [ANONYMOUS, ALICE_SUBJECT])
    result = run({'mail_list': ALL_LIST, 'exclusive': True, 'senders': [{'id': 'alice'}, {'id': 'carol'}]},
                 check_mode=True, diff=True)
    assert result['changed'] is True
    assert result['role_actions'] == [shown('revoke', ANON), shown('grant', subject('user', int(CAROL)))]
    assert result['senders'] == [sender('user', ALICE, 'alice@example.com'), sender('user', CAROL, 'carol@example.com')]
    assert result['diff'] == {
        'before': {'mail_list': 'all@example.com', 'senders': ['anonymous', 'user:alice@example.com']},
        'after': {'mail_list': 'all@example.com', 'senders': ['user:alice@example.com', 'user:carol@example.com']},
    }
    assert http.writes == []


def test_check_mode_without_changes(http):
    expect_units(http)
    expect_permissions(http, ALL_LIST, [ANONYMOUS])
    result = run({'mail_list': ALL_LIST, 'senders': [{'type': 'anonymous'}]}, check_mode=True, diff=True)
    assert result['changed'] is False
    assert result['role_actions'] == []
    assert result['diff']['before'] == result['diff']['after']


def test_api_error_names_the_cloud_request_id(http):
    expect_units(http)
    expect_permissions(http, SALES_LIST, [])
    expect_update(http, SALES_LIST, [action('grant', ANON)], status=403,
                  answer={'code': 7, 'message': 'Not an admin', 'details': []},
                  headers={'Yandex-Cloud-Request-ID': 'cloud-req-123'})
    result = run({'mail_list': SALES_LIST, 'senders': [{'type': 'anonymous'}]})
    assert result['failed'] is True
    assert 'cloud-req-123' in result['msg']
    assert 'Not an admin' in result['msg']
    assert result['request_id'] == 'cloud-req-123'
    assert TOKEN not in result.raw


def test_failed_read_of_permissions_is_not_absent(http):
    expect_units(http)
    expect_permissions(http, SALES_LIST, status=404, answer={'code': 5, 'message': 'not_found'},
                       headers={'Yandex-Cloud-Request-ID': 'cloud-req-404'})
    result = run({'mail_list': SALES_LIST, 'senders': [{'type': 'anonymous'}]})
    assert result['failed'] is True
    assert 'cloud-req-404' in result['msg']
    assert http.writes == []


def test_token_reaches_the_cloud_host(http):
    expect_units(http)
    expect_permissions(http, SALES_LIST, [ANONYMOUS], check_headers={'Authorization': 'OAuth ' + TOKEN})
    result = run({'mail_list': SALES_LIST, 'senders': [{'type': 'anonymous'}]})
    assert result['changed'] is False


# -- change records -------------------------------------------------------------------------------

def without_request_id(changes):
    return [{k: v for k, v in change.items() if k != 'request_id'} for change in changes]


def test_changes_carry_the_request_id_of_the_one_update(http):
    expect_units(http)
    expect_users(http)
    expect_permissions(http, ALL_LIST, [ANONYMOUS, BOB_SUBJECT])
    expect_update(http, ALL_LIST, [action('revoke', ANON, BOB_SUBJECT), action('grant', SALES_GROUP, ALICE_SUBJECT, OUTSIDER)],
                  headers={'Yandex-Cloud-Request-ID': 'cloud-req-777'})
    result = run({'mail_list': ALL_LIST, 'exclusive': True, 'senders': [
        {'id': 'alice'}, {'type': 'group', 'id': 'sales@example.com'}, {'id': '1130000000009001', 'org_id': 0}]})
    assert result['changed'] is True
    assert [(c['action'], c['subject']) for c in result['changes']] == [
        ('delete', 'anonymous'), ('delete', 'user:bob@example.com'),
        ('create', 'group:sales@example.com'), ('create', 'user:1130000000009001'),
        ('create', 'user:alice@example.com'),
    ]
    assert {c['object'] for c in result['changes']} == {'all@example.com'}
    assert {c['kind'] for c in result['changes']} == {'mail_list_sender'}
    assert {c['request_id'] for c in result['changes']} == {'cloud-req-777'}
    assert len(http.writes) == 1


def test_check_mode_changes_equal_the_real_run_but_request_id(http):
    args = {'mail_list': 'sales@example.com', 'exclusive': True,
            'senders': [{'type': 'shared_mailbox', 'id': 'support@example.com'}, {'type': 'organization'}]}
    shared = subject('shared_mailbox', int(SUPPORT))
    for check_mode in (True, False):
        expect_units(http)
        expect_users(http)
        expect_shared(http, {SUPPORT: 1})
        expect_shared_details(http, SUPPORT, 'support@example.com')
        expect_permissions(http, SALES_LIST, [SALES_GROUP, ALICE_SUBJECT])
    expect_update(http, SALES_LIST, [action('revoke', SALES_GROUP, ALICE_SUBJECT),
                                     action('grant', subject('organization', ORG), shared)],
                  headers={'Yandex-Cloud-Request-ID': 'cloud-req-1'})
    planned = run(args, check_mode=True)
    applied = run(args)
    assert planned['changed'] is True and applied['changed'] is True
    assert {c['request_id'] for c in planned['changes']} == {None}
    assert {c['request_id'] for c in applied['changes']} == {'cloud-req-1'}
    assert without_request_id(planned['changes']) == without_request_id(applied['changes'])
    assert [c['subject'] for c in applied['changes']] == [
        'group:sales@example.com', 'user:alice@example.com', 'organization', 'shared_mailbox:support@example.com']
    assert len(http.writes) == 1


def test_no_change_returns_empty_changes(http):
    expect_units(http)
    expect_users(http)
    expect_permissions(http, SALES_LIST, [SALES_GROUP, ALICE_SUBJECT])
    result = run({'mail_list': SALES_LIST, 'senders': [{'id': 'alice'}]})
    assert result['changed'] is False and result['changes'] == []


def test_update_without_request_id_leaves_it_null(http):
    expect_units(http)
    expect_permissions(http, SALES_LIST, [])
    expect_update(http, SALES_LIST, [action('grant', ANON)])
    result = run({'mail_list': SALES_LIST, 'senders': [{'type': 'anonymous'}]})
    assert result['changes'] == [dict(service='y360', kind='mail_list_sender', action='create',
                                      object='sales@example.com', subject='anonymous', before=None, after=True,
                                      summary='allow anonymous to send to sales@example.com', request_id=None)]
