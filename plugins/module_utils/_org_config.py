# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The organization's mailbox sharing as configuration (the ``mailboxes`` resource module):
checking a ``config`` before any request, the ``config`` view of what the API holds, and the
per-mailbox plan of each ``state``. Pure functions, no I/O.

A config item is ``{mailbox, type, name, description, access}``; ``access`` None means "not
managed", ``[]`` means "nobody". The view uses addresses wherever one exists, sorted throughout,
so a gathered configuration fed back changes nothing.
"""

from __future__ import annotations

from . import _access
from ._http import MailadminError
from ._y360 import sorted_roles

STATES = ('merged', 'replaced', 'overridden', 'deleted', 'gathered')
WRITING_STATES = ('merged', 'replaced', 'overridden')


def check_config(config, state):
    """Raise, naming the value, on a config that no API answer could make right."""
    if state == 'overridden' and not config:
        raise MailadminError('state=overridden with an empty config would take every access away from every '
                             'mailbox of the organization and turn off every delegation; to do that on purpose use '
                             'state=deleted with config: []. Nothing was changed.')
    for item in config:
        ref = str(item.get('mailbox') or '').strip()
        if not ref:
            raise MailadminError('config: every item needs a mailbox (got %r)' % (item,))
        if item.get('type') == 'delegated' and (item.get('name') is not None or item.get('description') is not None):
            raise MailadminError('config item %r: name and description apply only to shared mailboxes' % ref)
        if state not in WRITING_STATES or item.get('access') is None:
            continue
        for entry in item['access']:
            actor = str(entry.get('actor') or '').strip()
            if not actor:
                raise MailadminError('config item %r: every access entry needs an actor' % ref)
            if not entry.get('roles'):
                raise MailadminError('config item %r: actor %r has no roles; leave the actor out to take access '
                                     'away (with state=replaced or overridden)' % (ref, actor))


def mailbox_view(mailbox, actor_map, names, details=None):
    """One mailbox in the config shape. ``mailbox``: ``{id, email, type: user|shared}``;
    ``details``: a shared mailbox's ``{name, description}``."""
    owner = mailbox['id'] if mailbox['type'] == 'user' else None
    access = [dict(actor=names.get(actor) or actor, roles=sorted_roles(roles))
              for actor, roles in actor_map.items() if roles and actor != owner]
    view = dict(mailbox=mailbox['email'] or mailbox['id'],
                type='shared' if mailbox['type'] == 'shared' else 'delegated')
    if mailbox['type'] == 'shared':
        details = details or {}
        view.update(name=details.get('name') or '', description=details.get('description') or '')
    view['access'] = sorted(access, key=lambda row: row['actor'].lower())
    return view


def sort_config(items):
    return sorted(items, key=lambda item: (item['mailbox'].lower(), item['type']))


def plan_mailbox(state, mailbox, current, desired, delegated):
    """What one mailbox needs. Returns ``(changes, enable, disable)``.

    ``mailbox``: ``{id, type}``; ``current``: its actor map (``{}`` for a person's mailbox whose
    delegation is off, or a shared mailbox the run creates); ``desired``: ``{actor_id: roles}`` or
    None when access is not managed; ``delegated``: whether a person's mailbox has delegation on.
    ``state`` is the state that applies to this mailbox: ``deleted`` also for mailboxes that
    ``overridden`` does not list.
    """
    person = mailbox['type'] == 'user'
    if state == 'deleted':
        if person:
            return {}, False, delegated
        return {actor: frozenset() for actor, roles in current.items() if roles}, False, False
    enable = person and not delegated
    if desired is None:
        return {}, enable, False
    changes, dummy = _access.plan_access(current, desired, 'present', exclusive=state != 'merged',
                                         keep=(mailbox['id'],) if person else ())
    return changes, enable, False


def check_removals(count, max_removals):
    if 0 <= max_removals < count:
        raise MailadminError('This run would take away %d grants and delegations, more than max_removals=%d. '
                             'Nothing was changed. Check the plan (--check --diff), then raise max_removals '
                             '(-1 for no limit) if it is right.' % (count, max_removals))
