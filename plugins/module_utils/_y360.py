# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Yandex 360 admin API: delegated and shared mailboxes, the directory, and the resolver that
turns a person's or mailbox's id, login or address into an id.

Answers are normalised here (ids to strings, counters to int) so modules never see raw quirks.
"""

from __future__ import annotations

from ._http import (
    ApiError, HttpClient, MailadminError, map_concurrently, new_session, poll, to_bool, to_int, y360_pages,
)

ROLES = (
    'shared_mailbox_owner',
    'shared_mailbox_reader',
    'shared_mailbox_editor',
    'shared_mailbox_admin',
    'shared_mailbox_imap_admin',
    'shared_mailbox_sender',
    'shared_mailbox_half_sender',
)
OWNER_ROLE = 'shared_mailbox_owner'
NOTIFY_CHOICES = ('all', 'delegates', 'none')

# Documented limits (API.md 1.1).
MAX_ACTORS_PER_MAILBOX = 40
MAX_MAILBOXES_PER_ACTOR = 40
MAX_DELEGATED_PER_ORG = 2500

DIRECTORY_PAGE_SIZE = 1000
MAILBOX_PAGE_SIZE = 1000    # the server may clamp it; the paginator follows what it echoes
SHARED_LOOKUP_BATCH = 16    # largest batch of shared-mailbox details read at once to find an address


def normalize_roles(roles):
    """Roles as a set in canonical form: the owner role already holds every other role."""
    roles = frozenset(roles or ())
    if OWNER_ROLE in roles:
        return frozenset((OWNER_ROLE,))
    return roles


def sorted_roles(roles):
    return sorted(normalize_roles(roles))


class Y360Connection:
    """The two Yandex 360 hosts of one run, sharing one session and one token."""

    def __init__(self, module):
        params = module.params
        self.org_id = params['org_id']
        session = new_session()
        headers = {'Authorization': 'OAuth %s' % params['token']}
        self.api = HttpClient(module, params['api_url'], 'Yandex 360', headers=headers,
                              request_id_header='X-Request-Id', secrets=[params['token']],
                              session=session)
        self.cloud = HttpClient(module, params['cloud_api_url'], 'Yandex 360 mail lists',
                                headers=headers, request_id_header='Yandex-Cloud-Request-ID',
                                secrets=[params['token']], session=session)
        self.directory = Directory(self)
        self.mailboxes = Mailboxes(self)

    def admin_path(self, suffix):
        return '/admin/v1/org/%s%s' % (self.org_id, suffix)

    def directory_path(self, suffix):
        return '/directory/v1/org/%s%s' % (self.org_id, suffix)

    @property
    def request_count(self):
        return self.api.request_count + self.cloud.request_count


class Mailboxes:
    """Delegated and shared mailboxes, their actors, and the asynchronous ``set`` tasks."""

    def __init__(self, conn):
        self.conn = conn
        self.api = conn.api
        self._delegated = None
        self._shared = None

    def _list(self, kind):
        path = self.conn.admin_path('/mailboxes/%s' % kind)
        return [
            dict(resource_id=str(item.get('resourceId')), actors_count=to_int(item.get('count'), 0))
            for item in self.api.paginate(path, y360_pages('resources'), {'perPage': MAILBOX_PAGE_SIZE})
        ]

    def delegated(self):
        """Every delegation-enabled mailbox: ``{resource_id: actors_count}`` (read once per run)."""
        if self._delegated is None:
            self._delegated = {item['resource_id']: item['actors_count'] for item in self._list('delegated')}
        return self._delegated

    def shared(self):
        """Every shared mailbox: ``{resource_id: actors_count}`` (read once per run)."""
        if self._shared is None:
            self._shared = {item['resource_id']: item['actors_count'] for item in self._list('shared')}
        return self._shared

    def is_delegated(self, resource_id):
        return str(resource_id) in self.delegated()

    def enable_delegation(self, resource_id):
        """Turn delegation of a person's mailbox on; returns the request id of the answer."""
        answer = self.api.request('PUT', self.conn.admin_path('/mailboxes/delegated'),
                                  json_body={'resourceId': str(resource_id)})
        if self._delegated is not None:
            self._delegated.setdefault(str(resource_id), 0)
        return answer.request_id

    def disable_delegation(self, resource_id):
        """Turn delegation off (everyone loses access); returns the request id of the answer."""
        answer = self.api.request('DELETE', self.conn.admin_path('/mailboxes/delegated/%s' % resource_id),
                                  ok=(200, 204))
        if self._delegated is not None:
            self._delegated.pop(str(resource_id), None)
        return answer.request_id

    def shared_details(self, resource_id):
        """``{id, email, name, description}`` of a shared mailbox, or None when there is none."""
        try:
            data = self.api.get(self.conn.admin_path('/mailboxes/shared/%s' % resource_id)) or {}
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise
        return dict(id=str(data.get('id', resource_id)), email=data.get('email') or '',
                    name=data.get('name') or '', description=data.get('description') or '')

    def create_shared(self, email, name, description):
        """Create a shared mailbox: ``(details, request_id)``, details as :meth:`shared_details`."""
        # Not retried after a 5xx, a timeout or a dropped connection (idempotent=False): had the
        # first attempt been processed, the second would find the address taken.
        answer = self.api.request('PUT', self.conn.admin_path('/mailboxes/shared'), idempotent=False,
                                  json_body={'email': email, 'name': name, 'description': description})
        data = answer.data if isinstance(answer.data, dict) else {}
        resource_id = data.get('resourceId', data.get('id'))
        if resource_id in (None, ''):
            raise MailadminError('Yandex 360 created the shared mailbox %s but returned no id%s' % (
                email, ' (request id %s)' % answer.request_id if answer.request_id else ''),
                request_id=answer.request_id)
        details = dict(id=str(resource_id), email=email, name=name, description=description)
        if self._shared is not None:
            self._shared.setdefault(details['id'], 0)
        self.conn.directory.remember_shared(details['id'], details)
        return details, answer.request_id

    def update_shared(self, resource_id, name, description):
        """Set a shared mailbox's name and description: ``(details, request_id)``.

        The API answers the mailbox or ``{}``; what it does not say is taken from what was sent
        and from the details read before.
        """
        resource_id = str(resource_id)
        answer = self.api.request('PUT', self.conn.admin_path('/mailboxes/shared/%s' % resource_id),
                                  json_body={'name': name, 'description': description})
        data = answer.data if isinstance(answer.data, dict) else {}
        known = self.conn.directory.known_shared(resource_id) or {}
        details = dict(id=resource_id, email=data.get('email') or known.get('email') or '',
                       name=data.get('name', name) or '', description=data.get('description', description) or '')
        self.conn.directory.remember_shared(resource_id, details)
        return details, answer.request_id

    def delete_shared(self, resource_id):
        """Delete a shared mailbox, its mail and everyone's access to it: ``(None, request_id)``."""
        resource_id = str(resource_id)
        # A 404 means it is gone: when a retried DELETE meets it, the first attempt did the work.
        answer = self.api.request('DELETE', self.conn.admin_path('/mailboxes/shared/%s' % resource_id),
                                  ok=(200, 204, 404))
        if self._shared is not None:
            self._shared.pop(resource_id, None)
        self.conn.directory.remember_shared(resource_id, None)
        return None, answer.request_id

    def actors(self, resource_id):
        """``{actor_id: frozenset(roles)}`` of one mailbox (owner role normalised)."""
        data = self.api.get(self.conn.admin_path('/mailboxes/actors/%s' % resource_id)) or {}
        return {str(item.get('actorId')): normalize_roles(item.get('roles'))
                for item in data.get('actors') or []}

    def resources(self, actor_id):
        """``[{resource_id, type, roles}]``: every mailbox one person can reach."""
        data = self.api.get(self.conn.admin_path('/mailboxes/resources/%s' % actor_id)) or {}
        return [dict(resource_id=str(item.get('resourceId')), type=item.get('type') or '',
                     roles=normalize_roles(item.get('roles')))
                for item in data.get('resources') or []]

    def set_roles(self, resource_id, actor_id, roles, notify='none'):
        """Replace one actor's roles on one mailbox (empty = remove); returns ``(task id, request id)``."""
        # Setting the same roles twice leaves the same state, so a retry is harmless.
        answer = self.api.request(
            'POST', self.conn.admin_path('/mailboxes/set/%s' % resource_id),
            params={'actorId': str(actor_id), 'notify': notify},
            json_body={'roles': sorted(roles)}, idempotent=True)
        task_id = (answer.data or {}).get('taskId')
        if task_id in (None, ''):
            raise MailadminError('Yandex 360 accepted the access change of %s on mailbox %s but returned '
                                 'no task id' % (actor_id, resource_id))
        return str(task_id), answer.request_id

    def task_status(self, task_id):
        data = self.api.get(self.conn.admin_path('/mailboxes/tasks/%s' % task_id)) or {}
        return str(data.get('status') or 'unknown')

    def wait_for_tasks(self, task_ids, timeout, workers=8):
        """Poll every task until none is ``running``; returns ``{task_id: status}``.

        Statuses other than ``complete`` and ``error`` count as still running. ``workers``: how
        many status reads may be in flight at once.
        """
        statuses = {task_id: 'running' for task_id in task_ids}

        def all_done():
            pending = sorted(task_id for task_id, status in statuses.items() if status not in ('complete', 'error'))
            for task_id, status in zip(pending, map_concurrently(self.task_status, pending, workers)):
                statuses[task_id] = status
            return all(status in ('complete', 'error') for status in statuses.values())

        # The API gives no hint of how long a task takes and most finish at once: the second
        # round goes out without a pause, later ones with poll's growing interval.
        if not all_done():
            poll(all_done, timeout)
        return statuses


class Directory:
    """People, shared mailboxes, groups and departments, read once per run and matched by
    id, login or address (case-insensitive)."""

    def __init__(self, conn):
        self.conn = conn
        self.api = conn.api
        self._users = None
        self._index = None
        self._groups = None
        self._departments = None
        self._shared_details = {}

    # -- reading -----------------------------------------------------------------------------
    def _read(self, kind):
        path = self.conn.directory_path('/%s' % kind)
        return list(self.api.paginate(path, y360_pages(kind), {'perPage': DIRECTORY_PAGE_SIZE}))

    def users(self):
        if self._users is None:
            self._users = [normalize_user(user) for user in self._read('users')]
        return self._users

    def groups(self):
        if self._groups is None:
            self._groups = [normalize_unit(group, 'group') for group in self._read('groups')]
        return self._groups

    def departments(self):
        if self._departments is None:
            self._departments = [normalize_unit(dep, 'department') for dep in self._read('departments')]
        return self._departments

    def shared_mailbox(self, resource_id):
        """Details of a shared mailbox by id (cached), or None."""
        resource_id = str(resource_id)
        if resource_id not in self._shared_details:
            self._shared_details[resource_id] = self.conn.mailboxes.shared_details(resource_id)
        return self._shared_details[resource_id]

    def known_shared(self, resource_id):
        """The details of a shared mailbox this run has already read or written, without a request."""
        return self._shared_details.get(str(resource_id))

    def remember_shared(self, resource_id, details):
        """Keep the cache in step with a write: ``details`` of the mailbox now, None once deleted."""
        self._shared_details[str(resource_id)] = details

    def all_shared(self, workers=SHARED_LOOKUP_BATCH):
        """Details of every shared mailbox, read concurrently (``workers`` at once), sorted by address.

        A mailbox deleted between the list and its details read is left out.
        """
        ids = sorted(self.conn.mailboxes.shared())
        found = [details for details in map_concurrently(self.shared_mailbox, ids, workers) if details]
        return sorted(found, key=lambda details: (details['email'].lower(), details['id']))

    def domains(self):
        return {user['email'].rpartition('@')[2] for user in self.users() if '@' in user['email']}

    # -- resolving ---------------------------------------------------------------------------
    def _user_index(self):
        """Lookup tables built once per run: ``(by id, by address, by login or alias, domains)``,
        each key to a list of users (several people may share a key; that is reported)."""
        if self._index is None:
            by_id, by_email, by_local = {}, {}, {}
            for user in self.users():
                by_id.setdefault(user['id'], []).append(user)
                if user['email']:
                    by_email.setdefault(user['email'].lower(), []).append(user)
                for local in user['alias_keys']:
                    by_local.setdefault(local, []).append(user)
            self._index = (by_id, by_email, by_local, self.domains())
        return self._index

    def find_user(self, ref):
        """The user a reference names, or None. Raises when it names several."""
        key = str(ref).strip().lower()
        if not key:
            return None
        by_id, by_email, by_local, domains = self._user_index()
        if key.isdigit():
            matches = by_id.get(key, [])
        elif '@' in key:
            local, _sep, domain = key.rpartition('@')
            matches = list(by_email.get(key, []))
            if domain in domains:
                matches += [user for user in by_local.get(local, []) if user not in matches]
        else:
            matches = [user for user in by_local.get(key, []) if user['nickname'].lower() == key]
        if len(matches) > 1:
            raise MailadminError('%r matches several people: %s' % (
                ref, ', '.join(sorted(user['email'] or user['id'] for user in matches))))
        return matches[0] if matches else None

    def find_shared(self, ref):
        """The shared mailbox a reference (id or address) names, or None."""
        key = str(ref).strip().lower()
        if key.isdigit():
            details = self.shared_mailbox(key) if key in self.conn.mailboxes.shared() else None
            return details
        if '@' not in key:
            return None
        # A shared mailbox's address is only in its details, one request each. They are read in
        # batches of growing size (1, 2, 4, ... SHARED_LOOKUP_BATCH), sent concurrently: the first
        # mailbox costs one read, the n-th about log2(n) rounds instead of n, and the reads made
        # beyond the match are fewer than those made before it.
        pending = sorted(self.conn.mailboxes.shared())
        size = 1
        while pending:
            batch, pending = pending[:size], pending[size:]
            for details in map_concurrently(self.shared_mailbox, batch, size):
                if details and details['email'].lower() == key:
                    return details
            size = min(size * 2, SHARED_LOOKUP_BATCH)
        return None

    def resolve_user(self, ref, what='person'):
        """A person of the directory: ``{id, email, nickname, type: 'user'}``."""
        user = self.find_user(ref)
        if user is None:
            raise MailadminError('Unknown %s %r: no user of organization %s has this id, login or '
                                 'address' % (what, ref, self.conn.org_id), reference=str(ref))
        return dict(id=user['id'], email=user['email'], nickname=user['nickname'], type='user')

    def resolve_mailbox(self, ref, what='mailbox'):
        """A person's own mailbox or a shared mailbox: ``{id, email, type: 'user'|'shared'}``."""
        user = self.find_user(ref)
        if user is not None:
            return dict(id=user['id'], email=user['email'], nickname=user['nickname'], type='user')
        shared = self.find_shared(ref)
        if shared is not None:
            return dict(id=shared['id'], email=shared['email'], nickname='', type='shared')
        raise MailadminError('Unknown %s %r: it is neither a user nor a shared mailbox of organization %s'
                             % (what, ref, self.conn.org_id), reference=str(ref))

    def email_of(self, resource_id):
        """The address of a user or shared mailbox by id, '' when unknown."""
        resource_id = str(resource_id)
        for user in self.users():
            if user['id'] == resource_id:
                return user['email']
        details = self.shared_mailbox(resource_id) if resource_id in self.conn.mailboxes.shared() else None
        return details['email'] if details else ''

    def _find_unit(self, units, ref):
        key = str(ref).strip().lower()
        if key.isdigit():
            return [unit for unit in units if unit['id'] == key]
        return [unit for unit in units
                if unit['email'].lower() == key or key in unit['alias_emails']]

    def resolve_group(self, ref):
        matches = self._find_unit(self.groups(), ref)
        if not matches:
            raise MailadminError('Unknown group %r: no group of organization %s has this id or address'
                                 % (ref, self.conn.org_id), reference=str(ref))
        return matches[0]

    def resolve_department(self, ref):
        matches = self._find_unit(self.departments(), ref)
        if not matches:
            raise MailadminError('Unknown department %r: no department of organization %s has this id '
                                 'or address' % (ref, self.conn.org_id), reference=str(ref))
        return matches[0]

    def mail_lists(self):
        """Every group and department that has an address, as mailing lists."""
        return [unit for unit in self.groups() + self.departments() if unit['email_id'] not in ('', '0')]

    def resolve_mail_list(self, ref):
        """A mailing list by its ``emailId`` or address: ``{mail_list_id, email, owner_type, owner_id}``."""
        key = str(ref).strip().lower()
        if not key:
            raise MailadminError('mail_list must not be empty')
        units = self.groups() + self.departments()
        if key.isdigit():
            matches = [unit for unit in units if unit['email_id'] == key and key != '0']
        else:
            matches = [unit for unit in units if unit['email'].lower() == key or key in unit['alias_emails']]
        if not matches:
            raise MailadminError('Unknown mailing list %r: no group or department of organization %s has '
                                 'this address or emailId' % (ref, self.conn.org_id), reference=str(ref))
        unit = matches[0]
        if unit['email_id'] in ('', '0'):
            raise MailadminError('The %s %r has no mailing-list address' % (unit['type'], ref),
                                 reference=str(ref))
        return dict(mail_list_id=unit['email_id'], email=unit['email'], owner_type=unit['type'],
                    owner_id=unit['id'])


def normalize_user(user):
    email = user.get('email') or ''
    aliases = [str(alias) for alias in user.get('aliases') or []]
    name = user.get('name') if isinstance(user.get('name'), dict) else {}
    department_id = user.get('departmentId')
    return dict(
        id=str(user.get('id')),
        nickname=user.get('nickname') or '',
        email=email,
        aliases=aliases,
        alias_keys={alias.lower() for alias in aliases} | ({(user.get('nickname') or '').lower()} - {''}),
        name={part: name.get(part) or '' for part in ('first', 'last', 'middle')},
        department_id=None if department_id in (None, '') else str(department_id),
        is_enabled=to_bool(user.get('isEnabled'), True),
        is_dismissed=to_bool(user.get('isDismissed'), False),
        is_admin=to_bool(user.get('isAdmin'), False),
    )


def normalize_unit(unit, unit_type):
    email = unit.get('email') or ''
    domain = email.rpartition('@')[2]
    aliases = set()
    for alias in unit.get('aliases') or []:
        alias = str(alias).lower()
        aliases.add(alias if '@' in alias or not domain else '%s@%s' % (alias, domain))
    return dict(
        id=str(unit.get('id')),
        type=unit_type,
        name=unit.get('name') or '',
        email=email,
        email_id=str(unit.get('emailId') if unit.get('emailId') is not None else '0'),
        alias_emails=aliases,
    )
