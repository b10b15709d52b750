#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: mail_list_permissions_info
short_description: Report who may send to Yandex 360 mailing lists
version_added: 0.1.0
description:
  - Reports the senders of one Yandex 360 mailing list, or of every group and department that has a
    mailing-list address.
author: mailops.mailadmin contributors (@mailops)
options:
  mail_list:
    description:
      - Only this mailing list, by its C(emailId) or by the address (or an alias address) of the group or
        department that owns it. A group or department without an address fails.
      - Without it, every group and department that has an address is reported.
    type: str
extends_documentation_fragment:
  - mailops.mailadmin.y360
  - mailops.mailadmin.connection
  - mailops.mailadmin.attributes.info_module
  - mailops.mailadmin.attributes.actiongroup_y360
notes:
  - Mailing-list calls go to O(cloud_api_url); the lists are found through the directory on O(api_url).
    The token needs the C(ya360_admin:mail_read_mail_list_permissions) scope plus the directory read scopes.
seealso:
  - module: mailops.mailadmin.mail_list_permissions
'''

EXAMPLES = r'''
- name: Who may send to every mailing list
  mailops.mailadmin.mail_list_permissions_info:
  module_defaults:
    group/mailops.mailadmin.y360:
      token: "{{ y360_token }}"
      org_id: "{{ y360_org_id }}"
  register: lists

- name: Show the lists anyone may send to
  ansible.builtin.debug:
    msg: "{{ lists.mail_lists | selectattr('anyone_can_send') | map(attribute='email') | list }}"

- name: Who may send to the Sales list
  mailops.mailadmin.mail_list_permissions_info:
    mail_list: sales@example.com
'''

RETURN = r'''
mail_lists:
  description: The mailing lists, sorted by address.
  returned: success
  type: list
  elements: dict
  contains:
    mail_list_id:
      description: The C(emailId) of the list.
      type: str
      sample: "1130000000000901"
    email:
      description: The list's address.
      type: str
      sample: sales@example.com
    owner_type:
      description: Whether a V(group) or a V(department) owns the address.
      type: str
      sample: group
    owner_id:
      description: The id of that group or department.
      type: str
      sample: "1"
    senders:
      description:
        - Who may send, sorted by type and id. V([]) means nobody may send.
      type: list
      elements: dict
      contains:
        type:
          description: The subject type (V(user), V(group), V(department), V(shared_mailbox), V(organization), V(anonymous)).
          type: str
          sample: user
        id:
          description: The subject id; the organization id for C(organization), V(0) for C(anonymous).
          type: str
          sample: "1130000000000001"
        org_id:
          description: The subject's organization; V(0) for an outside contact and for C(anonymous).
          type: int
          sample: 1234567
        email:
          description: The address of a user, group, department or shared mailbox of the organization; empty when unknown.
          type: str
          sample: alice@example.com
    anyone_can_send:
      description: Whether the list holds the C(anonymous) grant, so anyone (outsiders included) may send.
      type: bool
      sample: false
  sample:
    - mail_list_id: "1130000000000901"
      email: sales@example.com
      owner_type: group
      owner_id: "1"
      senders:
        - {type: group, id: "2", org_id: 1234567, email: support-team@example.com}
        - {type: user, id: "1130000000000001", org_id: 1234567, email: alice@example.com}
      anyone_can_send: false
'''

from ansible_collections.mailops.mailadmin.plugins.module_utils._module import MailadminModule, require_non_empty
from ansible_collections.mailops.mailadmin.plugins.module_utils._y360 import Y360Connection
from ansible_collections.mailops.mailadmin.plugins.module_utils._y360_mail_lists import MailListPermissions


def run(m):
    mail_list_ref = require_non_empty(m.params['mail_list'], 'mail_list')
    lists = MailListPermissions(Y360Connection(m))
    if mail_list_ref is not None:
        wanted = [lists.mail_list(mail_list_ref)]
    else:
        wanted = lists.all_mail_lists()
    return m.result(False, mail_lists=lists.report(wanted))


def main():
    MailadminModule('y360', dict(mail_list=dict(type='str'))).run(run)


if __name__ == '__main__':
    main()
