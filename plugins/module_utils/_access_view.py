# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the Yandex 360 delegation and access-report modules share: the shape of access rows in
results and diffs (pure functions), the owner of a delegated mailbox, and reading a mailbox's
actors when its delegation may be off. Rows ``[{actor_id, email, roles}]`` come from
``_access.access_list``."""

from __future__ import annotations

from ._access import access_list
from ._http import ApiError, MailadminError, map_concurrently
from ._y360 import sorted_roles

SHARED_DETAILS_WORKERS = 16  # shared-mailbox details read at once (one request each)

# Answers to ``GET actors/{id}`` that may mean "this mailbox is not delegated" rather than a failure.
NOT_DELEGATED_STATUSES = frozenset((400, 404, 409, 422))


def emails_by_id(users):
    """``{user id: primary address}`` from the directory's normalised users."""
    return {user['id']: user['email'] for user in users}


def actors_view(actors, emails):
    """The diff's view of a mailbox's actors: ``{email (or id when unknown): sorted roles}``."""
    return {row['email'] or row['actor_id']: row['roles'] for row in access_list(actors, emails)}


def access_row(mailbox_id, mailbox_type, mailbox_email, actor_id, actor_email, roles):
    return dict(mailbox_id=str(mailbox_id), mailbox_type=mailbox_type, mailbox_email=mailbox_email or '',
                actor_id=str(actor_id), actor_email=actor_email or '', roles=sorted_roles(roles))


def sort_access(rows):
    """Rows of ``access_row`` in a stable order: mailbox, then actor (addresses first, then ids)."""
    return sorted(rows, key=lambda row: (row['mailbox_email'].lower(), row['mailbox_id'],
                                         row['actor_email'].lower(), row['actor_id']))


def resolve_delegation_owner(directory, ref, what='mailbox'):
    """The person whose own mailbox ``ref`` names: ``{id, email, nickname, type: 'user'}``.

    A shared mailbox is an error: it has no owner to delegate from and needs no delegation.
    """
    mailbox = directory.resolve_mailbox(ref, what=what)
    if mailbox['type'] == 'shared':
        raise MailadminError(
            '%s %r is the shared mailbox %s (id %s): shared mailboxes need no delegation; give '
            'people access to it with mailops.mailadmin.mailbox_access' % (
                what, ref, mailbox['email'], mailbox['id']), reference=str(ref))
    return mailbox


def actors_when_delegation_may_be_off(mailboxes, resource_id):
    """``{actor_id: roles}`` of a person's mailbox; ``{}`` when its delegation is off.

    For a mailbox whose delegation is off the API answers either an empty list or an error. An
    error is taken for "not delegated" only after the delegated list confirms it, so a failed read
    is never mistaken for "nobody has access".
    """
    try:
        return mailboxes.actors(resource_id)
    except ApiError as exc:
        if exc.status in NOT_DELEGATED_STATUSES and not mailboxes.is_delegated(resource_id):
            return {}
        raise


def delegation_action(state, delegated):
    """What reaching ``state`` takes from the current ``delegated`` flag: 'enable', 'disable' or None."""
    if state == 'present' and not delegated:
        return 'enable'
    if state == 'absent' and delegated:
        return 'disable'
    return None


def reached_mailboxes(conn, emails, actor_id):
    """``[{mailbox_id, mailbox_type, mailbox_email, roles}]``: every mailbox one person reaches
    (one read, then the details of the shared ones concurrently, for their addresses)."""
    resources = conn.mailboxes.resources(actor_id)
    rows = []
    for resource in resources:
        mailbox_type = resource['type']
        if mailbox_type not in ('delegated', 'shared'):
            mailbox_type = 'delegated' if resource['resource_id'] in emails else 'shared'
        rows.append(dict(mailbox_id=resource['resource_id'], mailbox_type=mailbox_type, roles=resource['roles']))
    shared = [row['mailbox_id'] for row in rows if row['mailbox_type'] == 'shared']
    details = dict(zip(shared, map_concurrently(conn.directory.shared_mailbox, shared, SHARED_DETAILS_WORKERS)))
    for row in rows:
        if row['mailbox_type'] == 'shared':
            row['mailbox_email'] = (details.get(row['mailbox_id']) or {}).get('email') or ''
        else:
            row['mailbox_email'] = emails.get(row['mailbox_id']) or ''
    return rows
