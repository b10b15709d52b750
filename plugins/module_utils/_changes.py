# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Change records: the one machine-readable shape in which every writing module says what it
changed (or, in check mode, would change). Pure functions, no I/O.

A record is a dict with the keys of ``RECORD_KEYS``::

    {service, kind, action, object, subject, before, after, summary, request_id}

``action`` is ``create``, ``update`` or ``delete``; ``object`` is the thing changed as a person
reads it (an address where one exists); ``subject`` whom the change is about, or None. Planners
build records with the ``*_change`` functions below, never by hand, and return them through
:func:`ordered`; the apply step only fills in ``request_id`` (:func:`with_request_id`).
"""

from __future__ import annotations

RECORD_KEYS = ('service', 'kind', 'action', 'object', 'subject', 'before', 'after', 'summary', 'request_id')
KINDS = ('delegation', 'mailbox_access', 'mail_list_sender', 'shared_mailbox', 'mail_forward',
         'mail_autoreply', 'clouduss_mailbox')
ACTIONS = ('create', 'update', 'delete')


def _record(service, kind, action, obj, subject, before, after, summary):
    return dict(service=service, kind=kind, action=action, object=str(obj),
                subject=None if subject is None else str(subject),
                before=before, after=after, summary=summary, request_id=None)


def action_of(before, after):
    """``create`` when nothing was there, ``delete`` when nothing will be, else ``update``."""
    if before is None:
        return 'create'
    if after is None:
        return 'delete'
    return 'update'


def ordered(records):
    """The stable order of the contract: removals first, then by object and subject (case-insensitive).

    A record without a subject (delegation, a shared mailbox itself) comes before the records
    about people on the same object, so "turn on delegation" precedes the grants it enables.
    """
    return sorted(records, key=lambda rec: (rec['action'] != 'delete', rec['object'].lower(),
                                            (rec['subject'] or '').lower(), KINDS.index(rec['kind'])))


def with_request_id(record, request_id):
    """A copy of ``record`` carrying the request id the API answered for its write."""
    done = dict(record)
    done['request_id'] = None if request_id in (None, '') else str(request_id)
    return done


def count_removals(records):
    """What ``max_removals`` guards count: every record that takes something away."""
    return sum(1 for rec in records if rec['action'] == 'delete')


# -- one builder per kind ---------------------------------------------------------------------

def _roles_text(roles):
    return ', '.join(roles)


def access_change(mailbox, actor, before_roles, after_roles):
    """An actor's roles on a mailbox changing; ``*_roles`` sorted lists, None (or empty) for no access."""
    before = sorted(before_roles) if before_roles else None
    after = sorted(after_roles) if after_roles else None
    action = action_of(before, after)
    if action == 'create':
        summary = 'grant %s on %s to %s' % (_roles_text(after), mailbox, actor)
    elif action == 'delete':
        summary = 'revoke %s on %s from %s' % (_roles_text(before), mailbox, actor)
    else:
        summary = 'change the roles of %s on %s from %s to %s' % (
            actor, mailbox, _roles_text(before), _roles_text(after))
    return _record('y360', 'mailbox_access', action, mailbox, actor, before, after, summary)


def delegation_change(mailbox, enabled):
    """Delegation of a person's own mailbox turned on (``enabled``) or off."""
    if enabled:
        return _record('y360', 'delegation', 'create', mailbox, None, False, True,
                       'turn on delegation of %s' % mailbox)
    return _record('y360', 'delegation', 'delete', mailbox, None, True, False,
                   'turn off delegation of %s (everyone loses access to it)' % mailbox)


def sender_change(mail_list, sender, allowed):
    """A sender (``type:address-or-id``, ``organization`` or ``anonymous``) allowed or no longer allowed."""
    if allowed:
        return _record('y360', 'mail_list_sender', 'create', mail_list, sender, None, True,
                       'allow %s to send to %s' % (sender, mail_list))
    return _record('y360', 'mail_list_sender', 'delete', mail_list, sender, True, None,
                   'stop %s from sending to %s' % (sender, mail_list))


def shared_mailbox_change(mailbox, before, after):
    """A shared mailbox created, renamed or deleted; ``before``/``after`` ``{name, description}`` or None."""
    action = action_of(before, after)
    if action == 'create':
        summary = 'create shared mailbox %s named %r' % (mailbox, after['name'])
    elif action == 'delete':
        summary = 'delete shared mailbox %s and all its mail' % mailbox
    else:
        parts = ['%s from %r to %r' % (key, before.get(key), after.get(key))
                 for key in ('name', 'description') if before.get(key) != after.get(key)]
        summary = 'change shared mailbox %s: %s' % (mailbox, '; '.join(parts))
    return _record('y360', 'shared_mailbox', action, mailbox, None, before, after, summary)


def forward_change(user, address, before, after):
    """A forwarding rule on ``user``'s mailbox; ``before``/``after`` ``{address, keep_copy}`` or None."""
    action = action_of(before, after)
    if action == 'create':
        summary = 'forward mail of %s to %s (%s)' % (
            user, address, 'keeping a copy' if after['keep_copy'] else 'keeping no copy')
    elif action == 'delete':
        summary = 'stop forwarding mail of %s to %s' % (user, address)
    else:
        summary = 'forward mail of %s to %s %s' % (
            user, address, 'keeping a copy from now on' if after['keep_copy'] else 'keeping no copy from now on')
    return _record('y360', 'mail_forward', action, user, address, before, after, summary)


def autoreply_change(user, name, before, after):
    """An automatic reply on ``user``'s mailbox; ``before``/``after`` ``{name, text}`` or None."""
    action = action_of(before, after)
    if action == 'create':
        summary = 'set the automatic reply %r on %s' % (name, user)
    elif action == 'delete':
        summary = 'remove the automatic reply %r from %s' % (name, user)
    else:
        summary = 'change the text of the automatic reply %r on %s' % (name, user)
    return _record('y360', 'mail_autoreply', action, user, name, before, after, summary)


def clouduss_change(address, before, after):
    """A CloudUSS registration; ``before``/``after`` ``{executive}`` or None."""
    action = action_of(before, after)
    if action == 'create':
        summary = 'register %s in CloudUSS%s' % (address, ' as an executive mailbox' if after['executive'] else '')
    elif action == 'delete':
        summary = 'remove %s from CloudUSS' % address
    else:
        summary = 'change the CloudUSS executive flag of %s to %s' % (address, after['executive'])
    return _record('clouduss', 'clouduss_mailbox', action, address, None, before, after, summary)
