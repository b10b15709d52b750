# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The mailing lists of the unit-test organization (``y360_org``): groups, departments, and the
expected calls of the mail-list host (``cloud_api_url``)."""

from __future__ import annotations

from ansible_collections.mailops.mailadmin.tests.unit.plugins.modules.y360_org import (
    ARGS, DIRECTORY, ORG, y360_page,
)

CLOUD = 'https://cloud-api.test'
ML_ARGS = dict(ARGS, cloud_api_url=CLOUD)
MAIL_LISTS = '%s/v1/admin/org/%d/mail-lists' % (CLOUD, ORG)
SENDER = 'mail_list_sender'

SALES_LIST, SUPPORT_LIST, ALL_LIST, ENG_LIST = '1130000000000901', '1130000000000902', '1130000000000951', '1130000000000952'


def unit(unit_id, email, email_id, aliases=()):
    return {'id': unit_id, 'name': email.split('@')[0].title() or 'Nameless', 'email': email,
            'emailId': email_id, 'aliases': list(aliases)}


GROUPS = [
    unit(1, 'sales@example.com', SALES_LIST, ['sales-team']),
    unit(2, 'support-team@example.com', SUPPORT_LIST),
    unit(3, '', '0'),
    # An address without a mailing list (emailId "0"): can be named, has no list.
    unit(4, 'old-project@example.com', '0'),
]
DEPARTMENTS = [
    unit(1, 'all@example.com', ALL_LIST),
    unit(2, 'eng@example.com', ENG_LIST, ['engineering']),
]


def expect_units(http):
    """``resolve_mail_list`` reads both groups and departments."""
    for key, units in (('groups', GROUPS), ('departments', DEPARTMENTS)):
        http.expect('GET', '%s/%s' % (DIRECTORY, key), query={'page': 1, 'perPage': 1000},
                    answer=y360_page(key, units, 1, 1000, len(units)))


def subject(subject_type, subject_id, org_id=ORG):
    return {'type': subject_type, 'id': subject_id, 'org_id': org_id}


ANONYMOUS = {'type': 'anonymous', 'id': 0}


def grants(subjects, role_item=SENDER):
    """A ``permissions`` answer: every subject holds the sender role (``role_item`` as served)."""
    return {'grants': {'items': [{'roles': {'items': [role_item]}, 'subject': s} for s in subjects]}}


def expect_permissions(http, mail_list_id, subjects=(), answer=None, **kwargs):
    http.expect('GET', '%s/%s/permissions' % (MAIL_LISTS, mail_list_id),
                answer=grants(subjects) if answer is None else answer, **kwargs)


def expect_update(http, mail_list_id, actions, status=204, answer=None, **kwargs):
    http.expect('POST', '%s/%s/update-permissions' % (MAIL_LISTS, mail_list_id),
                body={'role_actions': actions}, status=status, answer=answer, **kwargs)


def action(action_type, *subjects):
    return {'type': action_type, 'roles': [SENDER], 'subjects': list(subjects)}


def shown(action_type, *subjects):
    """A role action as the module returns it: ids as strings."""
    return {'type': action_type, 'roles': [SENDER],
            'subjects': [dict(s, id=str(s['id'])) for s in subjects]}
