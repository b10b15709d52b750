# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The ``previous_access`` filter: what an offboarding took from a person, from its change records,
in the shape the onboarding role takes back. Documentation: ``previous_access.yml`` beside it."""

from __future__ import annotations


def _lower(value):
    return str(value or '').lower()


def previous_access(changes, person, reachable=None, mail_lists=None):
    """``{mailbox_access: [{mailbox, roles}], mail_lists: [..], clouduss, clouduss_executive}``."""
    if not isinstance(changes, list):
        # A plain TypeError: Ansible reports it as the filter's error (importing ansible.errors here would
        # pull controller code into every unit test process).
        raise TypeError('previous_access expects a list of change records, got %s' % type(changes).__name__)
    person = _lower(person)
    mailboxes = {}
    for row in reachable or []:
        mailboxes[row.get('mailbox_email') or row.get('mailbox_id')] = sorted(row.get('roles') or [])
    lists = {str(address) for address in mail_lists or []}
    clouduss, executive = False, False
    for record in changes:
        if not isinstance(record, dict) or record.get('action') != 'delete':
            continue
        kind = record.get('kind')
        if kind == 'mailbox_access' and _lower(record.get('subject')) == person and record.get('before'):
            mailboxes[record['object']] = sorted(record['before'])
        elif kind == 'mail_list_sender' and _lower(record.get('subject')) == 'user:' + person:
            lists.add(record['object'])
        elif kind == 'clouduss_mailbox' and _lower(record.get('object')) == person:
            clouduss = True
            executive = bool((record.get('before') or {}).get('executive'))
    return dict(
        mailbox_access=[dict(mailbox=mailbox, roles=roles) for mailbox, roles in sorted(mailboxes.items())],
        mail_lists=sorted(lists),
        clouduss=clouduss,
        clouduss_executive=executive,
    )


class FilterModule:
    def filters(self):
        return {'previous_access': previous_access}
