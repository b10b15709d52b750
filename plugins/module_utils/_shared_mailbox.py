# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Shared mailboxes as a thing to create, rename and delete: finding one for a write, checking
a new address before anything is sent, and the pure planner that turns current and wanted
``{name, description}`` into change records."""

from __future__ import annotations

from ._changes import shared_mailbox_change
from ._http import MailadminError


def managed(details):
    """The managed value of a shared mailbox: ``{name, description}``, or None when there is none."""
    if details is None:
        return None
    return dict(name=details.get('name') or '', description=details.get('description') or '')


def find_for_write(directory, ref):
    """The shared mailbox ``ref`` (id or address) names, or None when there is none.

    A reference to a person (id, login or address, aliases included) fails: a person's mailbox is
    never created, renamed or deleted as a shared one.
    """
    user = directory.find_user(ref)
    if user is not None:
        raise MailadminError(
            'mailbox %r belongs to the person %s (user id %s), not to a shared mailbox: a shared '
            'mailbox needs an address nobody uses' % (ref, user['email'] or user['nickname'], user['id']),
            reference=str(ref))
    return directory.find_shared(ref)


def check_new_address(directory, email):
    """Fail, naming ``email``, unless a shared mailbox can be created with this address.

    The address must be on one of the organization's domains and free: not a person's (checked by
    :func:`find_for_write`), not a group's or department's mailing-list address or alias.
    """
    local, _sep, domain = email.rpartition('@')
    if not local or not domain or ' ' in email:
        raise MailadminError('mailbox %r is not an email address: a new shared mailbox needs one' % email,
                             reference=email)
    domains = sorted(directory.domains())
    if domain.lower() not in domains:
        raise MailadminError('mailbox %r is not on a domain of organization %s (%s): a shared mailbox '
                             'needs an address on one of them' % (email, directory.conn.org_id,
                                                                  ', '.join(domains) or 'none known'),
                             reference=email)
    key = email.lower()
    for unit in directory.groups() + directory.departments():
        if unit['email'].lower() == key or key in unit['alias_emails']:
            raise MailadminError('mailbox %r is the mailing-list address of the %s %r (id %s), not free '
                                 'for a shared mailbox' % (email, unit['type'], unit['name'], unit['id']),
                                 reference=email)


def plan_shared_mailbox(email, current, state, name=None, description=None):
    """Change records that take a shared mailbox from ``current`` to ``state``. Pure.

    ``current``: its details (``{name, description, ...}``) or None. ``name``/``description``
    None means "leave as it is" (a new mailbox gets ``''`` for a missing description; its name
    must have been checked to be given). Returns a list of zero or one record.
    """
    before = managed(current)
    if state == 'absent':
        return [] if before is None else [shared_mailbox_change(email, before, None)]
    if before is None:
        return [shared_mailbox_change(email, None, dict(name=name, description=description or ''))]
    after = dict(name=before['name'] if name is None else name,
                 description=before['description'] if description is None else description)
    return [] if after == before else [shared_mailbox_change(email, before, after)]
