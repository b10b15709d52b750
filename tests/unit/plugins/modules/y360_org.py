# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A small Yandex 360 organization for unit tests: module arguments, directory people, and the
expected calls (with answers) that read it through the ``http`` fixture."""

from __future__ import annotations

API = 'https://api360.test'
ORG = 1234567
TOKEN = 'y360-unit-token-9f8e7d'
ARGS = dict(token=TOKEN, org_id=ORG, api_url=API)
ADMIN = '%s/admin/v1/org/%d' % (API, ORG)
DIRECTORY = '%s/directory/v1/org/%d' % (API, ORG)
MAILBOXES = ADMIN + '/mailboxes'

ALICE, BOB, CAROL, DAVE = '1130000000000001', '1130000000000002', '1130000000000003', '1130000000000004'
SUPPORT, BILLING = '1130000000000501', '1130000000000502'


def person(user_id, nickname, aliases=()):
    return {'id': user_id, 'nickname': nickname, 'email': '%s@example.com' % nickname,
            'aliases': list(aliases), 'name': {'first': nickname.title(), 'last': '', 'middle': ''},
            'isEnabled': True, 'isDismissed': False, 'isRobot': False}


USERS = [
    person(ALICE, 'alice', ['a.smith']),
    person(BOB, 'bob'),
    person(CAROL, 'carol', ['c.white']),
    person(DAVE, 'dave'),
]


def y360_page(key, items, page, per_page, total, with_pages=True):
    body = {key: items, 'page': page, 'perPage': per_page, 'total': total}
    if with_pages:
        body['pages'] = max(1, -(-total // per_page))
    return body


def expect_users(http, users=None):
    users = USERS if users is None else users
    http.expect('GET', DIRECTORY + '/users', query={'page': 1, 'perPage': 1000},
                answer=y360_page('users', users, 1, 1000, len(users)))


def expect_mailbox_list(http, kind, counts):
    """One page of ``GET mailboxes/<kind>``; ``counts``: ``{resource_id: actors_count}``."""
    items = [{'resourceId': resource_id, 'count': count} for resource_id, count in counts.items()]
    http.expect('GET', '%s/%s' % (MAILBOXES, kind), query={'page': 1, 'perPage': 1000},
                answer=y360_page('resources', items, 1, 1000, len(items)))


def expect_delegated(http, counts):
    expect_mailbox_list(http, 'delegated', counts)


def expect_shared(http, counts):
    expect_mailbox_list(http, 'shared', counts)


def expect_shared_details(http, resource_id, email):
    http.expect('GET', '%s/shared/%s' % (MAILBOXES, resource_id),
                answer={'id': resource_id, 'email': email, 'name': email.split('@')[0].title(),
                        'description': '', 'createdAt': '2023-03-01T10:00:00Z',
                        'updatedAt': '2024-01-01T10:00:00Z'})


def expect_actors(http, resource_id, actors, status=200, answer=None):
    """``GET actors/{id}``; ``actors``: ``{actor_id: [roles]}`` (or an explicit ``answer``)."""
    if answer is None:
        answer = {'actors': [{'actorId': actor_id, 'roles': roles} for actor_id, roles in actors.items()]}
    http.expect('GET', '%s/actors/%s' % (MAILBOXES, resource_id), status=status, answer=answer)


def read_urls(http):
    return [(call['method'], call['url'].replace(API, '')) for call in http.calls]
