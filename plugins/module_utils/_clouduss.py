# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""CloudUSS email security platform API: login, the protected-mailbox list, add and remove.

Answers are normalised here (0/1 flags to booleans, ``realname`` stripped) so modules never see
raw quirks. Mailbox ``id`` and ``email_address_id`` stay integers, as the API gives them and as
the ``DELETE`` body needs them.
"""

from __future__ import annotations

import re

from ansible.module_utils.parsing.convert_bool import boolean

from ._changes import clouduss_change, ordered, with_request_id
from ._http import ApiError, HttpClient, MailadminError, clouduss_pages, to_bool, to_int

MAILBOX_LIST_PATH = '/email/mailbox/v2'
MAILBOX_PATH = '/email/mailbox'
# The API's default is 20; the server may clamp a larger size and the paginator follows ``meta``.
PAGE_SIZE = 100
# The ``id`` of a new mailbox in the vendor's own examples (a client-side model id).
NEW_MAILBOX_ID = 'USSportal.email.model.Mailbox-%d'

_SECOND_FACTOR_WORDS = re.compile(
    r'(mfa|2fa|otp|totp|two[ _-]?factor|second[ _-]?factor|multi[ _-]?factor|verification[ _-]?code)',
    re.IGNORECASE)
SECOND_FACTOR_MSG = (
    'CloudUSS asks for a second login factor for user %s: accounts with two-factor login are not '
    'supported (the extra calls are not public). Use an account without two-factor login, or give '
    'access_token and account_id obtained elsewhere.')


def normalize_mailbox(item):
    """One mailbox record with typed values: flags as booleans, ids as int, realname stripped."""
    return dict(
        id=to_int(item.get('id'), item.get('id')),
        email_address_id=to_int(item.get('email_address_id'), item.get('email_address_id')),
        email_address=str(item.get('email_address') or ''),
        executive=to_bool(item.get('executive'), False),
        realname=str(item.get('realname') or '').strip(),
        is_ad_mailbox=to_bool(item.get('is_ad_mailbox'), False),
    )


def predicted_mailbox(address, executive):
    """What a mailbox about to be added will look like; its ids are only known after the write."""
    return dict(id=None, email_address_id=None, email_address=address, executive=bool(executive),
                realname='', is_ad_mailbox=False)


def validate_address(address):
    """A stripped address with exactly one ``@`` and text on both sides, or an error naming it."""
    text = str(address if address is not None else '').strip()
    local, at, domain = text.partition('@')
    if not at or not local or not domain or '@' in domain or re.search(r'\s', text):
        raise MailadminError('%r is not a valid email address (expected exactly one "@" with text on '
                             'both sides and no spaces)' % (address,))
    return text


def address_key(address):
    return address.strip().lower()


def search_terms(addresses):
    """The fewest searches that find every address: one per domain.

    The API's ``search`` matches substrings, so the domain finds every mailbox of it; when only one
    address of a domain is wanted, the address itself is the narrower search. Keys are lowercase.
    """
    by_domain = {}
    for address in addresses:
        by_domain.setdefault(address_key(address).rpartition('@')[2], []).append(address_key(address))
    return sorted(keys[0] if len(set(keys)) == 1 else domain for domain, keys in by_domain.items())


def wanted_mailboxes(items, executive):
    """The requested addresses as ``[{email_address, executive}]``, checked before any request.

    ``items``: addresses, or dicts ``{email_address, executive}`` whose flag overrides ``executive``
    (the module's default for plain addresses). Duplicates (case-insensitive) are dropped, the first
    spelling kept; the same address asked with two different flags is an error naming it.
    """
    wanted, flags = [], {}
    for index, item in enumerate(items):
        flag = executive
        if isinstance(item, dict):
            unknown = sorted(set(item) - {'email_address', 'executive'})
            if unknown:
                raise MailadminError('email_addresses[%d]: unknown key(s) %s; an item is an address or a dict '
                                     'with email_address and executive' % (index, ', '.join(unknown)))
            address = validate_address(item.get('email_address'))
            if item.get('executive') is not None:
                try:
                    flag = boolean(item['executive'], strict=True)
                except TypeError:
                    raise MailadminError('email_addresses[%d] (%s): executive must be a boolean, not %r'
                                         % (index, address, item['executive']))
        else:
            address = validate_address(item)
        key = address_key(address)
        if key in flags:
            if flags[key] != bool(flag):
                raise MailadminError('%s is requested twice, with executive %s and %s'
                                     % (address, str(flags[key]).lower(), str(bool(flag)).lower()))
            continue
        flags[key] = bool(flag)
        wanted.append(dict(email_address=address, executive=bool(flag)))
    return wanted


def plan_mailboxes(wanted, existing, state, exclusive=False):
    """Pure comparison of the wanted mailboxes with the mailboxes found.

    ``wanted``: ``[{email_address, executive}]`` as :func:`wanted_mailboxes` returns them;
    ``existing``: ``{lowercase address: record}``: the matches of the wanted addresses or, with
    ``exclusive``, every registered mailbox. With ``state=present`` and ``exclusive``, registered
    mailboxes not wanted are removed.

    Returns a dict with ``add`` (the wanted entries to add, in the order given), ``remove`` (records
    to remove: in the order given for ``absent``, by address for ``exclusive``), ``unchanged``
    (addresses needing nothing), ``executive_mismatch`` (existing records whose flag differs from
    the wanted one; they cannot be changed), ``changes`` (one ``clouduss_mailbox`` change record per
    address added or removed, in the contract's order) and ``before``/``after`` (sorted addresses
    of the managed set: the wanted ones, or every registered one with ``exclusive``).
    """
    plan = dict(add=[], remove=[], unchanged=[], executive_mismatch=[])
    wanted_keys = set()
    before = []
    for item in wanted:
        address = item['email_address']
        wanted_keys.add(address_key(address))
        record = existing.get(address_key(address))
        if record is not None:
            before.append(record['email_address'])
        if state == 'present':
            if record is None:
                plan['add'].append(item)
                continue
            plan['unchanged'].append(address)
            if bool(record['executive']) != item['executive']:
                plan['executive_mismatch'].append(record)
        elif record is not None:
            plan['remove'].append(record)
        else:
            plan['unchanged'].append(address)
    if state == 'present' and exclusive:
        others = sorted((record for key, record in existing.items() if key not in wanted_keys),
                        key=lambda record: address_key(record['email_address']))
        plan['remove'].extend(others)
        before.extend(record['email_address'] for record in others)
    removed = {address_key(record['email_address']) for record in plan['remove']}
    after = [address for address in before if address_key(address) not in removed]
    after.extend(item['email_address'] for item in plan['add'])
    plan['before'] = sorted(before, key=address_key)
    plan['after'] = sorted(after, key=address_key)
    plan['changes'] = ordered(
        [clouduss_change(record['email_address'], dict(executive=bool(record['executive'])), None)
         for record in plan['remove']]
        + [clouduss_change(item['email_address'], None, dict(executive=item['executive'])) for item in plan['add']])
    return plan


def _second_factor_requested(data):
    """Whether a login answer asks for a second factor (its format is not documented)."""
    if not isinstance(data, dict):
        return bool(data) and bool(_SECOND_FACTOR_WORDS.search(str(data)))
    for key, value in data.items():
        if _SECOND_FACTOR_WORDS.search(str(key)) and value not in (None, False, '', 0, [], {}):
            return True
        if isinstance(value, str) and _SECOND_FACTOR_WORDS.search(value):
            return True
    return False


class CloudUssConnection:
    """One CloudUSS session: logs in once per module run (or uses a given token)."""

    def __init__(self, module):
        params = module.params
        self.client = HttpClient(module, params['api_url'], 'CloudUSS',
                                 secrets=[params.get('password'), params.get('access_token')])
        self.logged_in = not params.get('access_token')
        if params.get('access_token'):
            token, account_id = params['access_token'], params['account_id']
        else:
            token, account_id = self._login(params['username'], params['password'])
        self.client.add_secret(token)
        self.account_id = str(account_id)
        self.client.headers.update({
            'Authorization': 'Bearer %s' % token,
            'X-Uss-Account-Id': self.account_id,
            'Content-Type': 'application/json',
        })

    def _login(self, username, password):
        """``POST /auth`` with the credentials as form fields in the body (never in the URL).

        Logging in changes nothing, so it is allowed in check mode and safe to retry.
        """
        try:
            answer = self.client.request('POST', '/auth', form={'username': username, 'password': password},
                                         write=False, idempotent=True)
        except ApiError as exc:
            if exc.status in (400, 401, 403):
                if _second_factor_requested({'code': exc.code, 'message': exc.api_message}):
                    raise MailadminError(SECOND_FACTOR_MSG % username, status=exc.status)
                detail = ', '.join(str(part) for part in (exc.code, exc.api_message) if part not in (None, ''))
                raise MailadminError(
                    'CloudUSS login as %s failed (HTTP %s%s): check username and password'
                    % (username, exc.status, ': %s' % detail if detail else ''),
                    status=exc.status, api_code=exc.code, request_id=exc.request_id)
            raise
        data = answer.data if isinstance(answer.data, dict) else {}
        token = data.get('access_token')
        if not token:
            if _second_factor_requested(answer.data):
                raise MailadminError(SECOND_FACTOR_MSG % username)
            raise MailadminError('CloudUSS login as %s answered without an access_token (keys: %s)'
                                 % (username, ', '.join(sorted(data)) or 'none'))
        self.client.add_secret(token)
        account_id = data.get('accounts_id', data.get('account_id'))
        if account_id in (None, ''):
            raise MailadminError('CloudUSS login as %s answered without an accounts_id' % username)
        return token, account_id

    def _explain(self, exc):
        """Make a rejected token obvious; other errors pass through unchanged."""
        if exc.status in (401, 403):
            how = ('the token of this run\'s login' if self.logged_in else
                   'access_token (tokens live 24 hours) or account_id')
            exc.msg += '; CloudUSS refused %s' % how
        return exc

    # -- mailboxes ---------------------------------------------------------------------------
    def mailboxes(self, search=None):
        """Every mailbox (all pages) whose address contains ``search``, normalised."""
        params = {'page_size': PAGE_SIZE}
        if search:
            params['search'] = search
        try:
            return [normalize_mailbox(item)
                    for item in self.client.paginate(MAILBOX_LIST_PATH, clouduss_pages, params)]
        except ApiError as exc:
            raise self._explain(exc)

    def find(self, addresses):
        """``{lowercase address: record}`` for those of ``addresses`` that exist (exact match).

        One search per distinct domain (see :func:`search_terms`), every page of it.
        """
        wanted = {address_key(a) for a in addresses}
        found = {}
        for term in search_terms(addresses):
            for record in self.mailboxes(term):
                key = address_key(record['email_address'])
                if key in wanted:
                    found[key] = record
        return found

    def all_mailboxes(self):
        """``{lowercase address: record}`` of every registered mailbox (all pages)."""
        return {address_key(record['email_address']): record for record in self.mailboxes()}

    def add(self, wanted):
        """Add every wanted ``{email_address, executive}`` in one request.

        Returns ``(created records, request id)``; the records are read back when the answer does
        not list them.
        """
        answer = self._post(wanted)
        return self._created(answer, [item['email_address'] for item in wanted]), answer.request_id

    def _post(self, wanted):
        body = [{'id': NEW_MAILBOX_ID % (index + 1), 'email_address_id': 0,
                 'executive': 1 if item['executive'] else 0, 'email_address': item['email_address']}
                for index, item in enumerate(wanted)]
        try:
            # Not idempotent: the client retries it only after a 429 (not processed).
            return self.client.request('POST', MAILBOX_PATH, json_body=body, ok=(200, 201, 204))
        except ApiError as exc:
            raise self._explain(exc)

    def _created(self, answer, addresses):
        created = self._records_in(answer.data, addresses)
        if created is None:
            # The answer's format is not documented: read the new ids back.
            found = self.find(addresses)
            missing = [a for a in addresses if address_key(a) not in found]
            if missing:
                raise MailadminError('CloudUSS accepted the new mailboxes but does not list %s'
                                     % ', '.join(missing))
            created = [found[address_key(a)] for a in addresses]
        return created

    def remove(self, records):
        """Remove the given (existing) mailboxes in one request; returns the answer's request id."""
        body = [{'id': r['id'], 'email_address_id': r['email_address_id'], 'email_address': r['email_address']}
                for r in records]
        try:
            return self.client.request('DELETE', MAILBOX_PATH, json_body=body, ok=(200, 202, 204)).request_id
        except ApiError as exc:
            raise self._explain(exc)

    def apply(self, plan):
        """Send a :func:`plan_mailboxes` plan: one DELETE of its removals, then one POST of its additions.

        Returns ``(affected records, change records with their request ids)``. An error carries in
        ``changes`` the records of what was already done (the removal, when the POST fails).
        """
        done, affected = [], []
        removals = [change for change in plan['changes'] if change['action'] == 'delete']
        additions = [change for change in plan['changes'] if change['action'] == 'create']
        try:
            if plan['remove']:
                request_id = self.remove(plan['remove'])
                done.extend(with_request_id(change, request_id) for change in removals)
                affected.extend(plan['remove'])
            if plan['add']:
                answer = self._post(plan['add'])
                done.extend(with_request_id(change, answer.request_id) for change in additions)
                affected.extend(self._created(answer, [item['email_address'] for item in plan['add']]))
        except MailadminError as exc:
            exc.details['changes'] = ordered(done)
            raise
        return affected, ordered(done)

    @staticmethod
    def _records_in(data, addresses):
        """The records for ``addresses`` when the answer is a list naming each with an id, else None."""
        if isinstance(data, dict):
            data = data.get('data')
        if not isinstance(data, list):
            return None
        by_key = {}
        for item in data:
            if isinstance(item, dict) and item.get('email_address') and item.get('id') not in (None, '', 0):
                by_key[address_key(str(item['email_address']))] = normalize_mailbox(item)
        if not all(address_key(a) in by_key for a in addresses):
            return None
        return [by_key[address_key(a)] for a in addresses]
