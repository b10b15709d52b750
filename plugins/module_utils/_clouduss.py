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


def plan_mailboxes(addresses, existing, state, executive):
    """Pure comparison of the wanted addresses with the mailboxes found.

    ``addresses``: validated addresses (duplicates ignored case-insensitively, first spelling kept);
    ``existing``: ``{lowercase address: record}``. Returns a dict with ``add`` (addresses to add),
    ``remove`` (records to remove), ``unchanged`` (addresses needing nothing), ``executive_mismatch``
    (existing records whose flag differs from ``executive``, with ``state=present`` only), and
    ``before``/``after`` (sorted addresses of the managed set that exist before and after).
    """
    wanted, seen = [], set()
    for address in addresses:
        if address_key(address) not in seen:
            seen.add(address_key(address))
            wanted.append(address)
    plan = dict(add=[], remove=[], unchanged=[], executive_mismatch=[])
    before = []
    for address in wanted:
        record = existing.get(address_key(address))
        if record is not None:
            before.append(record['email_address'])
        if state == 'present':
            if record is None:
                plan['add'].append(address)
                continue
            plan['unchanged'].append(address)
            if bool(record['executive']) != bool(executive):
                plan['executive_mismatch'].append(record)
        elif record is not None:
            plan['remove'].append(record)
        else:
            plan['unchanged'].append(address)
    after = [a for a in before if address_key(a) not in {address_key(r['email_address']) for r in plan['remove']}]
    after.extend(plan['add'])
    plan['before'] = sorted(before, key=address_key)
    plan['after'] = sorted(after, key=address_key)
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

    def add(self, addresses, executive):
        """Add every address in one request; returns the created records (read back when the
        answer does not list them)."""
        body = [{'id': NEW_MAILBOX_ID % (index + 1), 'email_address_id': 0,
                 'executive': 1 if executive else 0, 'email_address': address}
                for index, address in enumerate(addresses)]
        try:
            # Not idempotent: the client retries it only after a 429 (not processed).
            answer = self.client.request('POST', MAILBOX_PATH, json_body=body, ok=(200, 201, 204))
        except ApiError as exc:
            raise self._explain(exc)
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
        """Remove the given (existing) mailboxes in one request."""
        body = [{'id': r['id'], 'email_address_id': r['email_address_id'], 'email_address': r['email_address']}
                for r in records]
        try:
            self.client.request('DELETE', MAILBOX_PATH, json_body=body, ok=(200, 202, 204))
        except ApiError as exc:
            raise self._explain(exc)

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
