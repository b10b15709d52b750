# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The Yandex 360 API layer: the directory resolver and the normalisation of mailbox answers."""

from __future__ import annotations

import pytest

from ansible_collections.mailops.mailadmin.plugins.module_utils import _y360 as y360
from ansible_collections.mailops.mailadmin.plugins.module_utils._http import MailadminError
from ansible_collections.mailops.mailadmin.plugins.module_utils._y360 import (
    Y360Connection, normalize_roles, sorted_roles,
)
from ansible_collections.mailops.mailadmin.tests.unit.plugins.modules.y360_org import (
    ALICE, API, ARGS, BILLING, BOB, CAROL, DAVE, DIRECTORY, MAILBOXES, SUPPORT, USERS, expect_actors,
    expect_delegated, expect_shared, expect_shared_details, expect_users, person, y360_page,
)

CLOUD = 'https://cloud.test'


class StubModule:
    def __init__(self, check_mode=False):
        self.params = dict(ARGS, cloud_api_url=CLOUD, timeout=30, retries=0, validate_certs=True)
        self.check_mode = check_mode
        self.no_log_values = set()
        self.warnings = []

    def warn(self, msg):
        self.warnings.append(msg)


def connect(check_mode=False):
    return Y360Connection(StubModule(check_mode))


def unit(unit_id, email, email_id, aliases=()):
    return {'id': unit_id, 'name': 'unit %s' % unit_id, 'email': email, 'emailId': email_id,
            'aliases': list(aliases)}


GROUPS = [
    unit(1, 'sales@example.com', '1130000000000901', ['sales-team']),
    unit(2, 'support-team@example.com', '1130000000000902'),
    unit(3, '', '0'),
    unit(4, 'odd@example.com', '0'),   # an address but no mailing list
]
DEPARTMENTS = [
    unit(1, 'all@example.com', '1130000000000951'),
    unit(2, 'eng@example.com', '1130000000000952', ['engineering']),
    unit(3, '', '0'),
]


def expect_units(http, kind, units):
    http.expect('GET', '%s/%s' % (DIRECTORY, kind), query={'page': 1, 'perPage': 1000},
                answer=y360_page(kind, units, 1, 1000, len(units)))


# -- people ------------------------------------------------------------------------------------

@pytest.mark.parametrize('ref', [ALICE, int(ALICE), 'alice', 'ALICE', ' Alice@Example.COM ',
                                 'a.smith@example.com', 'A.Smith@EXAMPLE.com', 'alice@example.com'])
def test_find_user_by_id_login_email_or_alias(http, ref):
    expect_users(http)
    assert connect().directory.find_user(ref)['id'] == ALICE


@pytest.mark.parametrize('ref', ['a.smith', 'a.smith@other.org', 'zed@example.com', '999', 'nobody'])
def test_find_user_matches_nothing_else(http, ref):
    # an alias is an address only at one of the organization's domains; a bare alias is not a login
    expect_users(http)
    assert connect().directory.find_user(ref) is None


def test_ambiguous_reference_names_every_match(http):
    expect_users(http, USERS + [person('1130000000000009', 'alex', ['a.smith'])])
    with pytest.raises(MailadminError) as err:
        connect().directory.find_user('a.smith@example.com')
    assert 'matches several people' in err.value.msg
    assert 'alice@example.com' in err.value.msg and 'alex@example.com' in err.value.msg


def test_unknown_person_is_named(http):
    expect_users(http)
    with pytest.raises(MailadminError) as err:
        connect().directory.resolve_user('zed@example.com', what='actor')
    assert "Unknown actor 'zed@example.com'" in err.value.msg
    assert err.value.details['reference'] == 'zed@example.com'


def test_directory_is_read_once(http):
    expect_users(http)
    directory = connect().directory
    assert directory.resolve_user('bob') == {'id': BOB, 'email': 'bob@example.com', 'nickname': 'bob',
                                             'type': 'user'}
    assert directory.resolve_user('carol')['id'] == CAROL
    assert directory.email_of(DAVE) == 'dave@example.com'
    assert len(http.calls) == 1


def test_users_are_read_over_clamped_pages(http):
    # perPage 1000 is asked for every page; the server clamps it to 3 and omits "pages"
    for number, chunk in enumerate([USERS[:3], USERS[3:]], start=1):
        http.expect('GET', DIRECTORY + '/users', query={'page': number, 'perPage': 1000},
                    answer=y360_page('users', chunk, number, 3, len(USERS), with_pages=False))
    users = connect().directory.users()
    assert [user['id'] for user in users] == [ALICE, BOB, CAROL, DAVE]


def test_users_are_normalised(http):
    raw = {'id': 1130000000000042, 'nickname': 'neo', 'email': '', 'aliases': ['N.Anderson'],
           'isEnabled': False, 'isDismissed': True}
    expect_users(http, [raw])
    user = connect().directory.users()[0]
    assert user['id'] == '1130000000000042'
    assert user['email'] == ''
    assert user['alias_keys'] == {'n.anderson', 'neo'}
    assert (user['is_enabled'], user['is_dismissed']) == (False, True)


# -- mailboxes ---------------------------------------------------------------------------------

def test_resolve_mailbox_prefers_people(http):
    expect_users(http)
    mailbox = connect().directory.resolve_mailbox('carol@example.com')
    assert mailbox == {'id': CAROL, 'email': 'carol@example.com', 'nickname': 'carol', 'type': 'user'}
    assert len(http.calls) == 1


def test_shared_mailbox_by_address(http):
    expect_users(http)
    expect_shared(http, {SUPPORT: 2, BILLING: 1})
    expect_shared_details(http, SUPPORT, 'support@example.com')
    expect_shared_details(http, BILLING, 'billing@example.com')
    mailbox = connect().directory.resolve_mailbox('BILLING@example.com')
    assert mailbox == {'id': BILLING, 'email': 'billing@example.com', 'nickname': '', 'type': 'shared'}


def record_batches(monkeypatch):
    """The batches the resolver hands to map_concurrently, in order."""
    batches = []
    original = y360.map_concurrently

    def recording(func, items, workers=8):
        batches.append(list(items))
        return original(func, items, workers)

    monkeypatch.setattr(y360, 'map_concurrently', recording)
    return batches


def shared_ids(count):
    return ['11300000000005%02d' % number for number in range(1, count + 1)]


def test_shared_mailbox_lookup_reads_details_in_growing_batches(http, monkeypatch):
    # The 4th of 7 mailboxes: rounds of 1, 2 and 4 reads; 3 reads after the match, 4 before it.
    ids = shared_ids(7)
    expect_shared(http, dict.fromkeys(ids, 1))
    for number, resource_id in enumerate(ids, 1):
        expect_shared_details(http, resource_id, 'shared%d@example.com' % number)
    batches = record_batches(monkeypatch)
    found = connect().directory.find_shared('SHARED4@example.com')
    assert found['id'] == ids[3]
    assert batches == [ids[:1], ids[1:3], ids[3:7]]


def test_shared_mailbox_lookup_stops_at_the_first_batch_that_matches(http, monkeypatch):
    ids = shared_ids(7)
    expect_shared(http, dict.fromkeys(ids, 1))
    expect_shared_details(http, ids[0], 'first@example.com')
    batches = record_batches(monkeypatch)
    assert connect().directory.find_shared('first@example.com')['id'] == ids[0]
    assert batches == [ids[:1]]     # FakeHttp also fails on any read of the other six


def test_shared_mailbox_lookup_batches_are_capped(http, monkeypatch):
    monkeypatch.setattr(y360, 'SHARED_LOOKUP_BATCH', 2)
    ids = shared_ids(6)
    expect_shared(http, dict.fromkeys(ids, 1))
    for number, resource_id in enumerate(ids, 1):
        expect_shared_details(http, resource_id, 'shared%d@example.com' % number)
    batches = record_batches(monkeypatch)
    assert connect().directory.find_shared('nobody@example.com') is None
    assert batches == [ids[:1], ids[1:3], ids[3:5], ids[5:]]


def test_shared_mailbox_by_id_reads_only_its_details(http):
    expect_users(http)
    expect_shared(http, {SUPPORT: 2, BILLING: 1})
    expect_shared_details(http, BILLING, 'billing@example.com')
    directory = connect().directory
    assert directory.resolve_mailbox(int(BILLING))['type'] == 'shared'
    assert directory.email_of(BILLING) == 'billing@example.com'   # cached
    assert len(http.calls) == 3


def test_unknown_mailbox_is_named(http):
    expect_users(http)
    expect_shared(http, {SUPPORT: 2})
    with pytest.raises(MailadminError) as err:
        connect().directory.resolve_mailbox('1130000000000777')
    assert "Unknown mailbox '1130000000000777'" in err.value.msg
    assert 'neither a user nor a shared mailbox' in err.value.msg


def test_shared_details_missing_is_none(http):
    http.expect('GET', MAILBOXES + '/shared/' + SUPPORT, status=404, answer={'code': 5, 'message': 'not_found'})
    assert connect().mailboxes.shared_details(SUPPORT) is None


# -- mail lists --------------------------------------------------------------------------------

def expect_all_units(http):
    expect_units(http, 'groups', GROUPS)
    expect_units(http, 'departments', DEPARTMENTS)


@pytest.mark.parametrize('ref, owner', [
    ('1130000000000901', ('group', '1')),
    ('Sales@Example.com', ('group', '1')),
    ('sales-team@example.com', ('group', '1')),
    ('1130000000000952', ('department', '2')),
    ('ENGINEERING@example.com', ('department', '2')),
])
def test_mail_list_by_email_id_or_address(http, ref, owner):
    expect_all_units(http)
    mail_list = connect().directory.resolve_mail_list(ref)
    assert (mail_list['owner_type'], mail_list['owner_id']) == owner
    assert mail_list['mail_list_id'] in ('1130000000000901', '1130000000000952')


def test_mail_list_without_address_fails(http):
    expect_all_units(http)
    with pytest.raises(MailadminError) as err:
        connect().directory.resolve_mail_list('odd@example.com')
    assert 'has no mailing-list address' in err.value.msg


@pytest.mark.parametrize('ref', ['0', 'nolist@example.com', '42'])
def test_unknown_mail_list_fails(http, ref):
    expect_all_units(http)
    with pytest.raises(MailadminError) as err:
        connect().directory.resolve_mail_list(ref)
    assert 'Unknown mailing list %r' % ref in err.value.msg


def test_mail_lists_are_only_units_with_an_address(http):
    expect_all_units(http)
    lists = connect().directory.mail_lists()
    assert sorted(unit['email_id'] for unit in lists) == [
        '1130000000000901', '1130000000000902', '1130000000000951', '1130000000000952']


def test_group_and_department_references(http):
    expect_all_units(http)
    directory = connect().directory
    assert directory.resolve_group(2)['email'] == 'support-team@example.com'
    assert directory.resolve_department('eng@example.com')['id'] == '2'
    with pytest.raises(MailadminError, match="Unknown group '9'"):
        directory.resolve_group('9')


# -- mailbox answers ---------------------------------------------------------------------------

def test_delegated_list_is_normalised_and_read_once(http):
    pages = [[{'resourceId': int(ALICE), 'count': '2'}, {'resourceId': CAROL, 'count': None}],
             [{'resourceId': DAVE, 'count': 1}]]
    for number, items in enumerate(pages, start=1):
        http.expect('GET', MAILBOXES + '/delegated', query={'page': number, 'perPage': 1000},
                    answer=y360_page('resources', items, number, 2, 3))
    mailboxes = connect().mailboxes
    assert mailboxes.delegated() == {ALICE: 2, CAROL: 0, DAVE: 1}
    assert mailboxes.is_delegated(int(CAROL)) and not mailboxes.is_delegated(BOB)
    assert len(http.calls) == 2


def test_enable_and_disable_keep_the_delegated_list_current(http):
    expect_delegated(http, {ALICE: 1})
    http.expect('PUT', MAILBOXES + '/delegated', body={'resourceId': BOB}, answer={'resourceId': BOB})
    http.expect('DELETE', MAILBOXES + '/delegated/' + ALICE, answer=None)
    mailboxes = connect().mailboxes
    assert not mailboxes.is_delegated(BOB)
    mailboxes.enable_delegation(int(BOB))
    mailboxes.disable_delegation(ALICE)
    assert mailboxes.delegated() == {BOB: 0}


def test_writes_are_refused_in_check_mode(http):
    with pytest.raises(MailadminError, match='check mode'):
        connect(check_mode=True).mailboxes.enable_delegation(BOB)
    assert http.calls == []


def test_actors_and_resources_are_normalised(http):
    expect_actors(http, SUPPORT, {int(ALICE): ['shared_mailbox_owner', 'shared_mailbox_reader'],
                                  DAVE: ['shared_mailbox_sender']})
    http.expect('GET', MAILBOXES + '/resources/' + DAVE, answer={'resources': [
        {'resourceId': int(SUPPORT), 'type': 'shared', 'roles': ['shared_mailbox_sender']}]})
    mailboxes = connect().mailboxes
    assert mailboxes.actors(SUPPORT) == {ALICE: frozenset(['shared_mailbox_owner']),
                                         DAVE: frozenset(['shared_mailbox_sender'])}
    assert mailboxes.resources(DAVE) == [
        {'resource_id': SUPPORT, 'type': 'shared', 'roles': frozenset(['shared_mailbox_sender'])}]


def test_actors_of_an_empty_answer(http):
    expect_actors(http, BOB, None, answer={})
    assert connect().mailboxes.actors(BOB) == {}


def test_set_roles_returns_the_task_id_as_a_string_and_the_request_id(http):
    http.expect('POST', MAILBOXES + '/set/' + SUPPORT, query={'actorId': BOB, 'notify': 'none'},
                body={'roles': ['shared_mailbox_reader', 'shared_mailbox_sender']}, answer={'taskId': 77},
                headers={'X-Request-Id': 'req-77'})
    http.expect('POST', MAILBOXES + '/set/' + SUPPORT, query={'actorId': DAVE, 'notify': 'all'},
                body={'roles': []}, answer={})
    mailboxes = connect().mailboxes
    assert mailboxes.set_roles(SUPPORT, BOB, {'shared_mailbox_sender', 'shared_mailbox_reader'}) == ('77', 'req-77')
    with pytest.raises(MailadminError, match='no task id'):
        mailboxes.set_roles(SUPPORT, DAVE, [], notify='all')


def test_roles_are_canonical():
    assert normalize_roles(['shared_mailbox_sender', 'shared_mailbox_owner']) == frozenset(['shared_mailbox_owner'])
    assert normalize_roles(None) == frozenset()
    assert sorted_roles(['shared_mailbox_sender', 'shared_mailbox_reader']) == [
        'shared_mailbox_reader', 'shared_mailbox_sender']


def test_admin_and_directory_paths():
    conn = connect()
    assert conn.api.url(conn.admin_path('/mailboxes/delegated')) == MAILBOXES + '/delegated'
    assert conn.api.url(conn.directory_path('/users')) == DIRECTORY + '/users'
    assert conn.cloud.url('/v1') == CLOUD + '/v1'
    assert API in conn.api.base_url
