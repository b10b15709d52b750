#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: user_info
short_description: Look up people in the Yandex 360 directory
version_added: 0.1.0
description:
  - Lists the people of a Yandex 360 for Business organization from its directory (all pages), or
    finds one person by id, login or email address.
  - Reads the directory once and changes nothing.
  - Shared mailboxes are not people and are not listed here; see M(mailops.mailadmin.shared_mailbox_info).
author: mailops.mailadmin contributors (@mailops)
options:
  user:
    description:
      - Only this person, by user id, login, or email address (primary or alias), matched
        case-insensitively.
      - A reference that matches nobody gives an empty RV(users) list, not a failure, so a task can
        ask whether someone exists.
      - Without it, every person of the organization is returned.
    type: str
extends_documentation_fragment:
  - mailops.mailadmin.y360
  - mailops.mailadmin.connection
  - mailops.mailadmin.attributes.info_module
  - mailops.mailadmin.attributes.actiongroup_y360
notes:
  - Needs the OAuth scope C(directory:read_users).
seealso:
  - module: mailops.mailadmin.mailbox_access_info
  - module: mailops.mailadmin.shared_mailbox_info
'''

EXAMPLES = r'''
- name: Find Alice by one of her alias addresses
  mailops.mailadmin.user_info:
    user: a.smith@example.com
    token: "{{ y360_token }}"
    org_id: 1234567
  register: alice

- name: Fail early when the new employee is not in the directory yet
  ansible.builtin.assert:
    that: alice.users | length == 1
    fail_msg: a.smith@example.com is not in the directory

- name: List every administrator
  module_defaults:
    group/mailops.mailadmin.y360:
      token: "{{ y360_token }}"
      org_id: 1234567
  block:
    - name: Read the directory
      mailops.mailadmin.user_info:
      register: directory

    - name: Show the administrators' addresses
      ansible.builtin.debug:
        msg: "{{ directory.users | selectattr('is_admin') | map(attribute='email') | list }}"
'''

RETURN = r'''
users:
  description:
    - The people found, sorted by primary address (then id). With O(user), the one match or an
      empty list.
  returned: success
  type: list
  elements: dict
  sample:
    - id: "1130000000000001"
      nickname: alice
      email: alice@example.com
      aliases: [a.smith, alice.smith]
      name: {first: Alice, last: Smith, middle: ""}
      department_id: "2"
      is_enabled: true
      is_dismissed: false
      is_admin: true
  contains:
    id:
      description: The user id.
      type: str
      sample: "1130000000000001"
    nickname:
      description: The login.
      type: str
      sample: alice
    email:
      description: The primary address (empty when the directory has none).
      type: str
      sample: alice@example.com
    aliases:
      description: Alias logins, as the directory lists them (without the domain).
      type: list
      elements: str
      sample: [a.smith]
    name:
      description: The person's name; parts the directory does not know are empty strings.
      type: dict
      contains:
        first:
          description: First name.
          type: str
        last:
          description: Last name.
          type: str
        middle:
          description: Middle name.
          type: str
    department_id:
      description: Id of the person's department (V(1) is the root department); null when unknown.
      type: str
      sample: "2"
    is_enabled:
      description: Whether the account is enabled.
      type: bool
    is_dismissed:
      description: Whether the person was dismissed.
      type: bool
    is_admin:
      description: Whether the person is an administrator of the organization.
      type: bool
'''

from ansible_collections.mailops.mailadmin.plugins.module_utils._module import MailadminModule, require_non_empty
from ansible_collections.mailops.mailadmin.plugins.module_utils._y360 import Y360Connection

USER_KEYS = ('id', 'nickname', 'email', 'aliases', 'name', 'department_id', 'is_enabled', 'is_dismissed',
             'is_admin')


def user_view(user):
    """The returned shape of one normalised directory user."""
    view = {key: user[key] for key in USER_KEYS}
    view['aliases'] = list(user['aliases'])
    view['name'] = dict(user['name'])
    return view


def run(m):
    ref = require_non_empty(m.params['user'], 'user')
    directory = Y360Connection(m).directory
    if ref is None:
        users = directory.users()
    else:
        match = directory.find_user(ref)
        users = [match] if match is not None else []
    views = sorted((user_view(user) for user in users), key=lambda view: (view['email'].lower(), view['id']))
    return m.result(False, users=views)


def main():
    MailadminModule('y360', dict(
        user=dict(type='str'),
    )).run(run)


if __name__ == '__main__':
    main()
