#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: pdd_mailbox_info
short_description: List the mailboxes of a domain in the legacy Yandex PDD service
version_added: 0.1.0
description:
  - Lists the mailboxes of one domain from the legacy Yandex PDD ("mail for domain") API, reading every page.
  - Numbers that PDD sends as strings become integers and its V(yes)/V(no) flags become booleans.
  - An error answer fails the task with PDD's error code and what it means; the temporary error
    C(unknown) is retried like a busy server (see O(retries)).
author: mailops.mailadmin contributors (@mailops)
options:
  domain:
    description:
      - The domain whose mailboxes are listed.
    type: str
    required: true
  login:
    description:
      - Only this mailbox, given as V(user) or V(user@domain), compared case-insensitively.
      - An address of another domain than O(domain) fails before any request.
    type: str
  page_size:
    description:
      - How many mailboxes to ask for per page (sent as C(on_page)). The server may send fewer;
        every page is read either way.
    type: int
    default: 100
extends_documentation_fragment:
  - mailops.mailadmin.pdd
  - mailops.mailadmin.connection
  - mailops.mailadmin.attributes.info_module
  - mailops.mailadmin.attributes.actiongroup_pdd
notes:
  - The PDD service was switched off on 2023-04-01; point O(api_url) at a mirror that still serves its API.
'''

EXAMPLES = r'''
- name: Export the legacy PDD inventory
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/mailops.mailadmin.pdd:
      token: "{{ pdd_token }}"
      api_url: https://pdd-mirror.example.com
  tasks:
    - name: List every mailbox of the domain
      mailops.mailadmin.pdd_mailbox_info:
        domain: example.com
      register: pdd

    - name: Look up one mailbox
      mailops.mailadmin.pdd_mailbox_info:
        domain: example.com
        login: alice
      register: pdd_alice

    - name: Show the disabled mailboxes
      ansible.builtin.debug:
        msg: "{{ pdd.mailboxes | rejectattr('enabled') | map(attribute='login') | list }}"
'''

RETURN = r'''
mailboxes:
  description:
    - The mailboxes of the domain (only the one named by O(login) when given), from every page.
    - Each has the API's own keys; the ones below are typed, the others are returned as PDD gives them.
  returned: always
  type: list
  elements: dict
  contains:
    login:
      description: The address.
      type: str
      sample: alice@example.com
    uid:
      description: The user id.
      type: int
      sample: 1130000000100001
    enabled:
      description: Whether the mailbox is enabled.
      type: bool
      sample: true
    ready:
      description: Whether the mailbox is ready for use.
      type: bool
      sample: true
    maillist:
      description: Whether the address is a mailing list.
      type: bool
      sample: false
    aliases:
      description: The alias logins.
      type: list
      elements: str
      sample: [a.smith]
    sex:
      description: V(0) not set, V(1) male, V(2) female; V(null) when PDD does not say.
      type: int
      sample: 0
    birth_date:
      description: The date of birth (V(YYYY-MM-DD)), or V(null).
      type: str
      sample: "1970-01-01"
    fio:
      description: The full name.
      type: str
      sample: Smith Alice
    fname:
      description: The last name.
      type: str
      sample: Smith
    iname:
      description: The first name.
      type: str
      sample: Alice
    hintq:
      description: The password hint question.
      type: str
      sample: Favourite colour?
  sample:
    - login: alice@example.com
      uid: 1130000000100001
      enabled: true
      fio: Smith Alice
      fname: Smith
      iname: Alice
      birth_date: "1970-01-01"
      sex: 0
      hintq: Favourite colour?
      ready: true
      aliases: [a.smith]
      maillist: false
total:
  description: The number of mailboxes returned.
  returned: always
  type: int
  sample: 45
'''

from ansible_collections.mailops.mailadmin.plugins.module_utils._module import MailadminModule, require_non_empty
from ansible_collections.mailops.mailadmin.plugins.module_utils._pdd import PddConnection, full_login


def run(m):
    params = m.params
    domain = require_non_empty(params['domain'], 'domain')
    login = full_login(params['login'], domain) if params['login'] is not None else None
    if params['page_size'] < 1:
        m.fail('page_size must be at least 1, not %s' % params['page_size'])
    mailboxes = PddConnection(m).mailboxes(domain, params['page_size'])
    if login is not None:
        mailboxes = [mb for mb in mailboxes if str(mb.get('login') or '').strip().lower() == login]
    return m.result(False, mailboxes=mailboxes, total=len(mailboxes))


def main():
    MailadminModule(
        'pdd',
        dict(
            domain=dict(type='str', required=True),
            login=dict(type='str'),
            page_size=dict(type='int', default=100),
        ),
    ).run(run)


if __name__ == '__main__':
    main()
