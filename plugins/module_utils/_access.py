# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Planning access changes on one Yandex 360 mailbox: pure functions, no I/O.

Roles are compared as sets in canonical form (``shared_mailbox_owner`` absorbs every other role).
Maps are ``{actor_id: frozenset(roles)}``; an empty role set in a change means "remove access".
"""

from __future__ import annotations

from ._http import MailadminError
from ._y360 import MAX_ACTORS_PER_MAILBOX, MAX_MAILBOXES_PER_ACTOR, normalize_roles, sorted_roles


def find_duplicates(resolved):
    """``resolved``: ``[(reference, actor_id)]``. Returns ``{actor_id: [references]}`` for every id
    named more than once (the same person written two ways counts as a duplicate)."""
    refs = {}
    for reference, actor_id in resolved:
        refs.setdefault(actor_id, []).append(reference)
    return {actor_id: names for actor_id, names in refs.items() if len(names) > 1}


def plan_access(current, desired, state='present', exclusive=False, keep=()):
    """Compare what a mailbox has with what is asked.

    ``current``: ``{actor_id: roles}`` read from the mailbox. ``desired``: ``{actor_id: roles}``
    named by the task (roles are ignored with ``state=absent``). ``exclusive`` (present only):
    actors not named lose their access, except those in ``keep`` (the mailbox's owner).

    Returns ``(changes, after)``: ``changes`` ``{actor_id: frozenset(roles)}`` only for actors
    whose access really changes (empty set = revoke); ``after`` the predicted actor map.
    """
    current = {actor: normalize_roles(roles) for actor, roles in current.items()}
    changes = {}
    if state == 'absent':
        for actor in desired:
            if current.get(actor):
                changes[actor] = frozenset()
    else:
        for actor, roles in desired.items():
            roles = normalize_roles(roles)
            if current.get(actor, frozenset()) != roles:
                changes[actor] = roles
        if exclusive:
            for actor, roles in current.items():
                if actor not in desired and actor not in keep and roles:
                    changes[actor] = frozenset()
    return changes, apply_changes(current, changes)


def apply_changes(current, changes):
    """The actor map once ``changes`` are applied (actors with no roles left disappear)."""
    after = dict(current)
    for actor, roles in changes.items():
        if roles:
            after[actor] = frozenset(roles)
        else:
            after.pop(actor, None)
    return after


def revocations(changes):
    return sorted(actor for actor, roles in changes.items() if not roles)


def grants(changes):
    return sorted(actor for actor, roles in changes.items() if roles)


def gaining_actors(current, after):
    """Actors that gain access to the mailbox (not merely a change of roles)."""
    return sorted(actor for actor, roles in after.items() if roles and not current.get(actor))


def reach_count(actor_id, resources):
    """How many mailboxes an actor reaches besides their own, from ``resources(actor_id)``."""
    return len({item['resource_id'] for item in resources if item['resource_id'] != str(actor_id)})


def check_mailbox_limit(mailbox_id, mailbox_name, current, after, others=0):
    """Raise when the plan would give a mailbox more actors besides its owner than allowed.

    Counted as the API counts it: only an actor that gains access can push the count up (revocations
    are sent first), so a change of roles never fails here. ``others``: actors of the mailbox that
    ``current`` does not show (a view of only some actors).
    """
    if not gaining_actors(current, after):
        return
    mailbox_id = str(mailbox_id)
    count = len([actor for actor in after if actor != mailbox_id]) + others
    if count > MAX_ACTORS_PER_MAILBOX:
        raise MailadminError(
            'Mailbox %s would have %d actors besides its owner; the limit is %d. Nothing was changed.'
            % (mailbox_name, count, MAX_ACTORS_PER_MAILBOX), mailbox_id=mailbox_id)


def check_actor_limit(mailbox_name, reach, names):
    """Raise when an actor gaining access already reaches the most mailboxes one person may reach.

    ``reach``: ``{actor_id: reach_count}`` of the actors that gain access; ``names``: ``{actor_id: email}``.
    """
    over = sorted(names.get(actor) or actor for actor, count in reach.items()
                  if count + 1 > MAX_MAILBOXES_PER_ACTOR)
    if over:
        raise MailadminError(
            'These people already reach %d mailboxes besides their own, the limit, so they cannot be '
            'given access to %s: %s. Nothing was changed.' % (MAX_MAILBOXES_PER_ACTOR, mailbox_name, ', '.join(over)))


def differences(expected, actual, actors):
    """The actors among ``actors`` whose roles in ``actual`` are not those of ``expected``."""
    return sorted(actor for actor in actors
                  if normalize_roles(expected.get(actor)) != normalize_roles(actual.get(actor)))


def access_list(actor_map, names):
    """``[{actor_id, email, roles}]`` sorted by email, roles sorted."""
    rows = [dict(actor_id=str(actor), email=names.get(actor) or '', roles=sorted_roles(roles))
            for actor, roles in actor_map.items()]
    return sorted(rows, key=lambda row: (row['email'].lower(), row['actor_id']))


def diff_view(mailbox_email, actor_map, names):
    """The managed state for ``--diff``: ``{mailbox, access: {actor email or id: [sorted roles]}}``."""
    return dict(mailbox=mailbox_email,
                access={names.get(actor) or actor: sorted_roles(roles) for actor, roles in sorted(actor_map.items())})
