# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""CloudUSS answers and credentials shared by the unit tests of its API layer and modules."""

from __future__ import annotations

BASE = 'https://uss.test'
USER = 'admin@example.com'
PASSWORD = 'pa55-Secret!'
TOKEN = 'bearer-abc123'
ACCOUNT = 'acc-uuid-1'
LIST = BASE + '/email/mailbox/v2'
MAILBOX = BASE + '/email/mailbox'
AUTH = BASE + '/auth'


def raw(id_, address, executive=0, realname=' ', ad=0):
    """One mailbox as the API sends it (0/1 flags, a single space for no name)."""
    return dict(id=id_, email_address_id=id_ + 1000, email_address=address, executive=executive,
                realname=realname, is_ad_mailbox=ad)


def page(items, page_no=1, total_pages=1, total=None):
    return {'data': items, 'meta': {'page': page_no, 'page_size': 100,
                                    'total': len(items) if total is None else total, 'total_pages': total_pages}}


def expect_login(http, token=TOKEN):
    http.expect('POST', AUTH, query={}, form={'username': USER, 'password': PASSWORD},
                answer={'access_token': token, 'token_type': 'Bearer', 'expires_in': 86400, 'accounts_id': ACCOUNT})


def expect_search(http, term, items, page_no=1, total_pages=1, total=None):
    query = {'page': str(page_no), 'page_size': '100'}
    if term is not None:
        query['search'] = term
    http.expect('GET', LIST, query=query, answer=page(items, page_no, total_pages, total))
