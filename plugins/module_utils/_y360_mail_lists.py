# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Yandex 360 mailing-list senders (the ``cloud_api_url`` host).

A sender is a subject ``(type, id, org_id)``: ``id`` a string, ``org_id`` an int. Answers and
wishes are both normalised to that form before they are compared, so one sender written two ways
(login and address, ``"5"`` and ``5``) is one sender. The pure functions here turn the wished and
the current senders into the fewest ``revoke``/``grant`` actions; they never use ``overwrite``,
whose per-type semantics would silently drop senders of the types it lists.
"""

from __future__ import annotations

from collections import namedtuple

from ._changes import ordered, sender_change
from ._http import MailadminError, map_concurrently, to_int

SENDER_ROLE = 'mail_list_sender'
SUBJECT_TYPES = ('user', 'group', 'department', 'shared_mailbox', 'organization', 'anonymous')
# Types that name one member of the directory and need an ``id``.
REFERENCE_TYPES = ('user', 'group', 'department', 'shared_mailbox')
# Keys under which an object-shaped role item may carry the role's name (API.md 2: unknown shape).
ROLE_ITEM_KEYS = ('name', 'role', 'id', 'value', 'type')
OUTSIDE_ORG_ID = 0

Subject = namedtuple('Subject', ['type', 'id', 'org_id'])

ANONYMOUS = Subject('anonymous', '0', OUTSIDE_ORG_ID)


# -- pure helpers ----------------------------------------------------------------------------
def role_name(item):
    """A role item of a ``permissions`` answer as a plain name: a string or an object naming it."""
    if isinstance(item, dict):
        for key in ROLE_ITEM_KEYS:
            if isinstance(item.get(key), str) and item[key]:
                return item[key]
        names = [value for value in item.values() if isinstance(value, str) and value]
        return names[0] if len(names) == 1 else None
    if isinstance(item, str):
        return item
    return None


def subject_from_api(raw, own_org_id):
    """A subject of a ``permissions`` answer in the normal form (None when it is unreadable)."""
    if not isinstance(raw, dict) or not raw.get('type'):
        return None
    subject_type = str(raw['type'])
    if subject_type == 'anonymous':
        return ANONYMOUS
    raw_id = raw.get('id')
    if subject_type == 'organization' and raw_id in (None, ''):
        raw_id = raw.get('org_id', own_org_id)
    number = to_int(raw_id)
    subject_id = str(number) if number is not None else str(raw_id if raw_id is not None else '')
    return Subject(subject_type, subject_id, to_int(raw.get('org_id'), own_org_id))


def senders_from_permissions(data, own_org_id):
    """The subjects holding the sender role in a ``GET .../permissions`` answer."""
    grants = ((data or {}).get('grants') or {}).get('items') or []
    senders = set()
    for grant in grants:
        if not isinstance(grant, dict):
            continue
        roles = grant.get('roles')
        items = roles.get('items') if isinstance(roles, dict) else roles
        if SENDER_ROLE not in {role_name(item) for item in items or []}:
            continue
        subject = subject_from_api(grant.get('subject'), own_org_id)
        if subject is not None:
            senders.add(subject)
    return senders


def parse_senders(specs, own_org_id):
    """Check the ``senders`` option before any request.

    Returns ``[(type, reference, org_id)]`` where ``reference`` is what still needs resolving in
    the directory (None when nothing does). Raises naming the offending entry.
    """
    parsed = []
    for index, spec in enumerate(specs or []):
        spec = spec or {}
        subject_type = spec.get('type') or 'user'
        ref = spec.get('id')
        ref = None if ref is None else str(ref).strip()
        org_id = spec.get('org_id')
        org_id = own_org_id if org_id is None else org_id
        where = 'senders[%d] (%s %s)' % (index, subject_type, ref if ref else '-')
        if subject_type not in SUBJECT_TYPES:
            raise MailadminError('%s: unknown type %r; use one of %s' % (where, subject_type, ', '.join(SUBJECT_TYPES)))
        if subject_type == 'anonymous':
            # Anyone at all: the API knows one such subject, {"type": "anonymous", "id": 0}.
            parsed.append((subject_type, None, OUTSIDE_ORG_ID))
            continue
        if org_id not in (own_org_id, OUTSIDE_ORG_ID):
            raise MailadminError('%s: org_id must be %s (this organization) or 0 (an outside contact), not %s'
                                 % (where, own_org_id, org_id))
        if subject_type == 'organization':
            if org_id != own_org_id:
                raise MailadminError('%s: an organization sender means every employee of organization %s; '
                                     'org_id 0 makes no sense here' % (where, own_org_id))
            if ref and ref != str(own_org_id):
                raise MailadminError('%s: id must be empty or the organization id %s' % (where, own_org_id))
            parsed.append((subject_type, None, own_org_id))
            continue
        if not ref:
            raise MailadminError('%s: id is required for a sender of type %s' % (where, subject_type))
        if org_id == OUTSIDE_ORG_ID and not ref.isdigit():
            raise MailadminError('%s: an outside contact (org_id 0) is named by its numeric id, not %r'
                                 % (where, ref))
        parsed.append((subject_type, ref, org_id))
    return parsed


def plan_changes(current, desired, state='present', exclusive=False):
    """``(revoke, grant)``: the fewest subjects to take the sender role from and to give it to."""
    current, desired = set(current), set(desired)
    if state == 'absent':
        return sort_subjects(current & desired), []
    revoke = current - desired if exclusive else set()
    return sort_subjects(revoke), sort_subjects(desired - current)


def sender_subject(subject, email=''):
    """A sender as change records name it: ``organization``, ``anonymous``, or ``type:address``
    (``type:id`` for an outside contact or a sender whose address is unknown)."""
    if subject.type in ('organization', 'anonymous'):
        return subject.type
    return '%s:%s' % (subject.type, email or subject.id)


def sender_records(mail_list, revoke, grant, emails):
    """One ``mail_list_sender`` change record per sender revoked or granted, in the contract's order.

    ``mail_list``: the list's address; ``revoke``/``grant``: subjects (as :func:`plan_changes`
    returns them); ``emails``: ``{Subject: address}`` for the senders whose address is known.
    """
    records = [sender_change(mail_list, sender_subject(subject, emails.get(subject, '')), False)
               for subject in revoke]
    records.extend(sender_change(mail_list, sender_subject(subject, emails.get(subject, '')), True)
                   for subject in grant)
    return ordered(records)


def apply_changes(current, revoke, grant):
    """The senders after ``revoke`` then ``grant``."""
    return (set(current) - set(revoke)) | set(grant)


def role_actions(revoke, grant):
    """The ``role_actions`` body: one revoke action, then one grant action, each only when needed."""
    actions = []
    for action_type, subjects in (('revoke', revoke), ('grant', grant)):
        if subjects:
            actions.append(dict(type=action_type, roles=[SENDER_ROLE],
                                subjects=[subject_to_api(subject) for subject in sort_subjects(subjects)]))
    return actions


def subject_to_api(subject):
    """A subject as the API wants it: integer ``id`` and ``org_id``."""
    return dict(type=subject.type, id=int(subject.id), org_id=int(subject.org_id))


def printable_actions(actions):
    """Role actions as the modules return them: ids as strings, like every id they return."""
    return [dict(type=action['type'], roles=list(action['roles']),
                 subjects=[dict(type=s['type'], id=str(s['id']), org_id=s['org_id']) for s in action['subjects']])
            for action in actions]


def subject_sort_key(subject):
    return (subject.type, len(subject.id), subject.id, subject.org_id)


def sort_subjects(subjects):
    return sorted(subjects, key=subject_sort_key)


def sender_label(sender, own_org_id):
    """A readable line for the diff: ``type:email`` or ``type:id``."""
    if sender['type'] == 'anonymous':
        return 'anonymous'
    label = '%s:%s' % (sender['type'], sender.get('email') or sender['id'])
    if sender['org_id'] != own_org_id:
        label += ' (org_id %s)' % sender['org_id']
    return label


# -- API and directory -----------------------------------------------------------------------
class MailListPermissions:
    """Reads and changes who may send to a mailing list, and describes senders for humans."""

    def __init__(self, conn):
        self.conn = conn
        self.cloud = conn.cloud
        self.directory = conn.directory
        self.org_id = conn.org_id

    def _path(self, mail_list_id, operation):
        return '/v1/admin/org/%s/mail-lists/%s/%s' % (self.org_id, mail_list_id, operation)

    def senders(self, mail_list_id):
        """The set of subjects holding the sender role on the list."""
        data = self.cloud.get(self._path(mail_list_id, 'permissions'))
        return senders_from_permissions(data, self.org_id)

    def update(self, mail_list_id, actions):
        """Send the role actions in one request (success: 204 without a body, or 200).

        Returns the request id of the answer (None when the API sent none).
        """
        # Revoke/grant leave the same state when repeated, so a retry is harmless.
        answer = self.cloud.request('POST', self._path(mail_list_id, 'update-permissions'),
                                    json_body=dict(role_actions=actions), ok=(200, 204), idempotent=True)
        return answer.request_id

    # -- mailing lists -----------------------------------------------------------------------
    def mail_list(self, ref):
        return self.directory.resolve_mail_list(ref)

    def all_mail_lists(self):
        return [dict(mail_list_id=unit['email_id'], email=unit['email'], owner_type=unit['type'],
                     owner_id=unit['id'])
                for unit in self.directory.mail_lists()]

    def report(self, mail_lists):
        """``[{mail_list_id, email, owner_type, owner_id, senders, anyone_can_send}]`` sorted by email."""
        mail_lists = sorted(mail_lists, key=lambda item: (item['email'].lower(), item['mail_list_id']))
        all_senders = map_concurrently(self.senders, [item['mail_list_id'] for item in mail_lists])
        return [dict(item, senders=self.describe(senders), anyone_can_send=ANONYMOUS in senders)
                for item, senders in zip(mail_lists, all_senders)]

    # -- senders -----------------------------------------------------------------------------
    def resolve(self, parsed):
        """``{Subject: email}`` for parsed senders; every reference is looked up before any write."""
        resolved = {}
        for subject_type, ref, org_id in parsed:
            if subject_type == 'anonymous':
                resolved[ANONYMOUS] = ''
            elif subject_type == 'organization':
                resolved[Subject('organization', str(self.org_id), self.org_id)] = ''
            elif org_id == OUTSIDE_ORG_ID:
                resolved[Subject(subject_type, str(int(ref)), OUTSIDE_ORG_ID)] = ''
            else:
                subject_id, email = self._resolve_member(subject_type, ref)
                resolved[Subject(subject_type, subject_id, org_id)] = email
        return resolved

    def _resolve_member(self, subject_type, ref):
        if subject_type == 'user':
            user = self.directory.resolve_user(ref, what='sender')
            return user['id'], user['email']
        if subject_type == 'group':
            unit = self.directory.resolve_group(ref)
            return unit['id'], unit['email']
        if subject_type == 'department':
            unit = self.directory.resolve_department(ref)
            return unit['id'], unit['email']
        shared = self.directory.find_shared(ref)
        if shared is None:
            raise MailadminError('Unknown sender %r: no shared mailbox of organization %s has this id or address'
                                 % (ref, self.org_id), reference=str(ref))
        return shared['id'], shared['email']

    def email_of(self, subject, known=None):
        """The address of a sender of this organization, '' when it has none or is unknown."""
        if known and subject in known:
            return known[subject]
        if subject.org_id != self.org_id or subject.type in ('anonymous', 'organization'):
            return ''
        if subject.type == 'user':
            user = self.directory.find_user(subject.id) if subject.id.isdigit() else None
            return user['email'] if user else ''
        if subject.type == 'shared_mailbox':
            details = self.directory.shared_mailbox(subject.id)
            return details['email'] if details else ''
        units = self.directory.groups() if subject.type == 'group' else self.directory.departments()
        return next((unit['email'] for unit in units if unit['id'] == subject.id), '')

    def emails(self, subjects, known=None):
        """``{Subject: address}`` for ``subjects`` ('' where none is known)."""
        return {subject: self.email_of(subject, known) for subject in subjects}

    def describe(self, subjects, known=None):
        """Senders as returned: sorted ``[{type, id, org_id, email}]``."""
        return [dict(type=subject.type, id=subject.id, org_id=subject.org_id,
                     email=self.email_of(subject, known))
                for subject in sort_subjects(subjects)]
