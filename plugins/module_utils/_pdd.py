# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Legacy Yandex PDD ("mail for domain") API: the mailbox list of a domain.

Every PDD answer is HTTP 200; failures say ``"success": "error"`` with a code. This layer turns
each code into a plain-words failure, retries ``unknown`` (temporary) through the client, and
types the answer (numbers that arrive as strings, ``yes``/``no`` flags).
"""

from __future__ import annotations

from ._http import HttpClient, MailadminError, pdd_pages, to_bool, to_int

MAILBOX_LIST_PATH = '/api2/admin/email/list'
DEFAULT_PAGE_SIZE = 100

# What each documented error code means (API.md 3).
ERROR_MEANINGS = {
    'unknown': 'a temporary error on the PDD side; try again later',
    'no_token': 'no token was passed',
    'no_domain': 'no domain was passed',
    'no_ip': 'no IP address was passed',
    'bad_domain': 'the domain name is invalid or the domain is not connected to PDD',
    'prohibited': 'the domain name is prohibited',
    'bad_token': 'the PDD token is wrong or has been revoked',
    'bad_login': 'the login is wrong',
    'bad_passwd': 'the password is wrong',
    'no_auth': 'no PddToken header was sent (the token is empty)',
    'not_allowed': 'the token\'s owner is not an administrator of this domain',
    'blocked': 'the domain or the account is blocked',
    'occupied': 'the domain name or login is already taken',
    'domain_limit_reached': 'the account has reached its limit of connected domains',
    'no_reply': 'a PDD backend did not reply; try again later',
    'bad_uid': 'the user id (uid) is wrong',
}
NUMBER_KEYS = ('uid', 'sex')
FLAG_KEYS = ('enabled', 'ready', 'maillist')


def error_message(code):
    """``PDD error <code>: <meaning>`` for any code, known or not."""
    meaning = ERROR_MEANINGS.get(code, 'an error code this collection does not know')
    return 'PDD error %s: %s' % (code, meaning)


def retry_unknown(data):
    """The client's ``retry_if`` hook: ``unknown`` is temporary, so it is worth another try."""
    if isinstance(data, dict) and data.get('success') == 'error' and data.get('error') == 'unknown':
        return error_message('unknown')
    return None


def check_answer(data, domain):
    """Raise a plain-words failure for an ``error`` answer (or one that is not a PDD answer)."""
    if not isinstance(data, dict):
        raise MailadminError('PDD answered something that is not a JSON object for domain %s' % domain)
    success = data.get('success')
    if success == 'error':
        code = str(data.get('error') or 'unknown')
        raise MailadminError('%s (domain %s)' % (error_message(code), domain), api_code=code)
    if success != 'ok':
        raise MailadminError('PDD answered without "success": "ok" for domain %s (success=%r)' % (domain, success))


def normalize_account(item):
    """The API's own keys with typed values; anything else (``birth_date`` null too) as given."""
    account = dict(item)
    for key in NUMBER_KEYS:
        if key in account:
            account[key] = to_int(account[key])
    for key in FLAG_KEYS:
        if key in account:
            account[key] = to_bool(account[key], False)
    aliases = account.get('aliases')
    if aliases is None or aliases == '':
        account['aliases'] = []
    elif isinstance(aliases, str):
        account['aliases'] = [a.strip() for a in aliases.split(',') if a.strip()]
    else:
        account['aliases'] = list(aliases)
    return account


def full_login(login, domain):
    """``login`` as ``user@domain`` (lowercase); an address of another domain is an error."""
    text = str(login).strip().lower()
    if not text:
        raise MailadminError('login must not be empty')
    if '@' in text:
        if text.rpartition('@')[2] != domain.strip().lower():
            raise MailadminError('login %s is not in domain %s' % (login, domain))
        return text
    return '%s@%s' % (text, domain.strip().lower())


class PddConnection:
    """The PDD API with the domain administrator's token."""

    def __init__(self, module):
        params = module.params
        self.client = HttpClient(module, params['api_url'], 'PDD', headers={'PddToken': params['token']},
                                 secrets=[params['token']])

    def mailboxes(self, domain, page_size=DEFAULT_PAGE_SIZE):
        """Every mailbox of ``domain``, all pages, normalised."""
        def read_page(data, page, seen):
            check_answer(data, domain)
            return pdd_pages(data, page, seen)

        return [normalize_account(item) for item in self.client.paginate(
            MAILBOX_LIST_PATH, read_page, {'domain': domain, 'on_page': page_size}, retry_if=retry_unknown)]
