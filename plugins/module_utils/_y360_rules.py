# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Yandex 360 mail rules of one person: forwards and automatic replies (API.md 1.3).

The API cannot change a rule: a change is a delete, then a create. Rule ids arrive as numbers or
strings and are strings here; ``withStore`` is a bool. The planners are pure: they compare the
rules read with the wanted one and return *steps*, each ``{record, delete, create}``: the change
record (``_changes``) plus the rule to delete and/or the rule to create to get there.
"""

from __future__ import annotations

from ._changes import autoreply_change, forward_change, ordered, with_request_id
from ._http import ApiError, MailadminError, to_bool


class MailRules:
    """``GET/POST .../mail/users/{userId}/settings/user_rules`` and ``DELETE .../{ruleId}``."""

    def __init__(self, conn):
        self.conn = conn
        self.api = conn.api

    def _path(self, user_id, suffix=''):
        return self.conn.admin_path('/mail/users/%s/settings/user_rules%s' % (user_id, suffix))

    def list(self, user_id):
        """``{forwards: [{rule_id, name, address, keep_copy}], autoreplies: [{rule_id, name, text}]}``."""
        data = self.api.get(self._path(user_id)) or {}
        return dict(
            forwards=[dict(rule_id=str(item.get('ruleId')), name=item.get('ruleName') or '',
                           address=item.get('address') or '', keep_copy=to_bool(item.get('withStore'), False))
                      for item in data.get('forwards') or []],
            autoreplies=[dict(rule_id=str(item.get('ruleId')), name=item.get('ruleName') or '',
                              text=item.get('text') or '')
                         for item in data.get('autoreplies') or []],
        )

    def _create(self, user_id, body, what):
        # POST creates a new rule each time: never repeated after an answer that may have been
        # processed (the client retries it only after a 429).
        answer = self.api.request('POST', self._path(user_id), json_body=body, idempotent=False)
        rule_id = (answer.data or {}).get('ruleId') if isinstance(answer.data, dict) else None
        if rule_id in (None, ''):
            raise MailadminError('Yandex 360 accepted the %s for user %s but returned no rule id'
                                 % (what, user_id), request_id=answer.request_id)
        return str(rule_id), answer.request_id

    def create_forward(self, user_id, name, address, keep_copy):
        """Returns ``(rule_id, request_id)``."""
        return self._create(user_id, {'forward': {'ruleName': name, 'address': address,
                                                  'withStore': bool(keep_copy)}}, 'forward')

    def create_autoreply(self, user_id, name, text):
        """Returns ``(rule_id, request_id)``."""
        return self._create(user_id, {'autoreply': {'ruleName': name, 'text': text}}, 'autoreply')

    def delete(self, user_id, rule_id):
        """Delete one rule; a rule already gone (404, e.g. a retried DELETE) counts as deleted.
        Returns the request id."""
        try:
            return self.api.request('DELETE', self._path(user_id, '/%s' % rule_id), ok=(200, 204)).request_id
        except ApiError as exc:
            if exc.status == 404:
                return exc.request_id
            raise


# -- references, checked before any write -------------------------------------------------------

def resolve_rule_owner(directory, ref):
    """The person whose mail rules ``ref`` names: ``{id, email, nickname, type: 'user'}``.

    A mailing list or a shared mailbox named as the person fails naming what it is.
    """
    if directory.find_user(ref) is not None:
        return directory.resolve_user(ref, what='user')
    try:
        mail_list = directory.resolve_mail_list(ref)
    except MailadminError:
        mail_list = None
    if mail_list is not None:
        raise MailadminError(
            'user %r is the mailing list %s of a %s, not a person: mail rules belong to a person\'s own '
            'mailbox' % (ref, mail_list['email'], mail_list['owner_type']), reference=str(ref))
    shared = directory.find_shared(ref)
    if shared is not None:
        raise MailadminError(
            'user %r is the shared mailbox %s (id %s), not a person: mail rules belong to a person\'s own '
            'mailbox' % (ref, shared['email'], shared['id']), reference=str(ref))
    return directory.resolve_user(ref, what='user')


def check_address_syntax(address):
    """An address is ``local@domain`` without spaces; fails naming the value otherwise."""
    local, dummy, domain = address.rpartition('@')
    if not local or not domain or any(char.isspace() for char in address) or '@' in local:
        raise MailadminError('address %r is not an email address' % address, reference=address)


def check_forward_target(directory, owner, address):
    """Fail before any write unless ``address`` is on the organization's domains, names a known
    person, mailing list or shared mailbox, and is not ``owner``'s own mailbox."""
    domain = address.rpartition('@')[2].lower()
    domains = directory.domains()
    if domain not in domains:
        raise MailadminError(
            'address %r is outside the organization\'s domains (%s): Yandex 360 forwards only to '
            'addresses of the organization' % (address, ', '.join(sorted(domains))), reference=address)
    person = directory.find_user(address)
    if person is not None:
        if person['id'] == owner['id']:
            raise MailadminError('address %r is the mailbox of %s itself: a forward to itself would loop'
                                 % (address, owner['email'] or owner['id']), reference=address)
        return
    try:
        directory.resolve_mail_list(address)
        return
    except MailadminError:
        pass
    if directory.find_shared(address) is None:
        raise MailadminError(
            'Unknown forward target %r: no person, mailing list or shared mailbox of organization %s has '
            'this address' % (address, directory.conn.org_id), reference=address)


# -- pure planners ------------------------------------------------------------------------------

def forward_view(rule):
    return None if rule is None else dict(address=rule['address'], keep_copy=bool(rule['keep_copy']))


def autoreply_view(rule):
    return None if rule is None else dict(name=rule['name'], text=rule['text'])


def _step(record, delete=None, create=None):
    return dict(record=record, delete=delete, create=create)


def plan_forward(forwards, user, address, keep_copy, name, state):
    """Steps that make ``user`` (their address) forward to ``address`` or not; ``(steps, rule_after)``.

    One rule per person and target address (compared case-insensitively). ``name`` None keeps
    the name of a rule that is replaced and gives a new one ``forward to <address>``.
    ``rule_after`` is ``{rule_id, name, address, keep_copy}`` (``rule_id`` None for a rule not
    created yet) or None.
    """
    matching = [rule for rule in forwards if rule['address'].lower() == address.lower()]
    if state == 'absent':
        return [_step(forward_change(user, rule['address'], forward_view(rule), None), delete=rule)
                for rule in matching], None
    for rule in matching:
        if rule['keep_copy'] == keep_copy:
            return [], dict(rule)
    old = matching[0] if matching else None
    if name is None:
        name = old['name'] if old and old['name'] else 'forward to %s' % address
    wanted = dict(rule_id=None, name=name, address=address, keep_copy=keep_copy)
    record = forward_change(user, address, forward_view(old), forward_view(wanted))
    return [_step(record, delete=old, create=wanted)], wanted


def plan_autoreply(autoreplies, user, name, text, state):
    """Steps that give ``user`` the automatic reply ``name`` with ``text`` or remove it; ``(steps, rule_after)``.

    The name identifies the rule (exact match). ``rule_after`` is ``{rule_id, name, text}`` or None.
    """
    matching = [rule for rule in autoreplies if rule['name'] == name]
    if state == 'absent':
        return [_step(autoreply_change(user, name, autoreply_view(rule), None), delete=rule)
                for rule in matching], None
    for rule in matching:
        if rule['text'] == text:
            return [], dict(rule)
    old = matching[0] if matching else None
    wanted = dict(rule_id=None, name=name, text=text)
    record = autoreply_change(user, name, autoreply_view(old), autoreply_view(wanted))
    return [_step(record, delete=old, create=wanted)], wanted


def ordered_steps(steps):
    """The steps in the contract's stable order of their records."""
    records = ordered([step['record'] for step in steps])
    return sorted(steps, key=lambda step: records.index(step['record']))


def apply_steps(steps, delete, create):
    """Send the steps; returns ``(records with request ids, id of the rule created or None)``.

    ``delete(rule)`` returns the request id, ``create(rule)`` ``(rule_id, request_id)``. A failure
    carries the records of what was done before it (``changes``). When a replacement's delete
    went through and its create failed, the message says that the old rule is gone and
    ``changes`` ends with the record of that delete.
    """
    done, created = [], None
    for step in ordered_steps(steps):
        record, old = step['record'], step['delete']
        deleted, delete_request_id = False, None
        try:
            if old is not None:
                delete_request_id = delete(old)
                deleted = True
            if step['create'] is None:
                done.append(with_request_id(record, delete_request_id))
                continue
            created, request_id = create(step['create'])
            done.append(with_request_id(record, request_id))
        except MailadminError as exc:
            if deleted:
                done.append(with_request_id(_deleted_record(record), delete_request_id))
                exc.msg = ('The old rule %s (%r) on %s was removed but creating its replacement failed, '
                           'so that rule is gone now; run again to create it. %s'
                           % (old['rule_id'], old['name'], record['object'], exc.msg))
                exc.args = (exc.msg,)
            if done:
                exc.details['changes'] = done
                exc.details['changed'] = True
            raise
    return done, created


def _deleted_record(record):
    """The ``delete`` record of the rule an ``update`` record replaces."""
    if record['kind'] == 'mail_forward':
        return forward_change(record['object'], record['subject'], record['before'], None)
    return autoreply_change(record['object'], record['subject'], record['before'], None)
