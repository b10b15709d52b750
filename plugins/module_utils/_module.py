# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What every module of the collection shares: connection options per API family, the module
wrapper that turns errors into ``fail_json`` in one place, and the result/diff shape."""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ._http import HAS_REQUESTS, REQUESTS_IMPORT_ERROR, MailadminError


def _http_options():
    return dict(
        validate_certs=dict(type='bool', default=True),
        timeout=dict(type='float', default=30),
        retries=dict(type='int', default=5),
        max_requests_per_second=dict(type='float'),
    )


def y360_argument_spec():
    spec = dict(
        token=dict(type='str', required=True, no_log=True, fallback=(env_fallback, ['Y360_TOKEN'])),
        org_id=dict(type='int', required=True, fallback=(env_fallback, ['Y360_ORG_ID'])),
        api_url=dict(type='str', default='https://api360.yandex.net',
                     fallback=(env_fallback, ['Y360_API_URL'])),
        cloud_api_url=dict(type='str', default='https://cloud-api.yandex.net',
                           fallback=(env_fallback, ['Y360_CLOUD_API_URL'])),
    )
    spec.update(_http_options())
    return spec


def clouduss_argument_spec():
    spec = dict(
        username=dict(type='str', fallback=(env_fallback, ['CLOUDUSS_USERNAME'])),
        password=dict(type='str', no_log=True, fallback=(env_fallback, ['CLOUDUSS_PASSWORD'])),
        access_token=dict(type='str', no_log=True, fallback=(env_fallback, ['CLOUDUSS_ACCESS_TOKEN'])),
        account_id=dict(type='str', fallback=(env_fallback, ['CLOUDUSS_ACCOUNT_ID'])),
        api_url=dict(type='str', default='https://apiv2.clouduss.com',
                     fallback=(env_fallback, ['CLOUDUSS_API_URL'])),
    )
    spec.update(_http_options())
    return spec


CLOUDUSS_REQUIREMENTS = dict(
    required_together=[('username', 'password'), ('access_token', 'account_id')],
    required_one_of=[('username', 'access_token')],
)


def pdd_argument_spec():
    spec = dict(
        token=dict(type='str', required=True, no_log=True, fallback=(env_fallback, ['PDD_TOKEN'])),
        api_url=dict(type='str', default='https://pddimp.yandex.ru', fallback=(env_fallback, ['PDD_API_URL'])),
    )
    spec.update(_http_options())
    return spec


FAMILIES = {
    'y360': (y360_argument_spec, {}),
    'clouduss': (clouduss_argument_spec, CLOUDUSS_REQUIREMENTS),
    'pdd': (pdd_argument_spec, {}),
}


def _merge_rules(family_rules, module_rules):
    merged = dict(module_rules)
    for key, rules in family_rules.items():
        merged[key] = list(rules) + list(module_rules.get(key, []))
    return merged


class MailadminModule:
    """An ``AnsibleModule`` with its family's connection options and the collection's habits.

    Usage: ``MailadminModule('y360', argument_spec).run(main_logic)`` where ``main_logic(m)``
    returns the result dict; any :class:`MailadminError` becomes ``fail_json`` here and only here.
    """

    def __init__(self, family, argument_spec, **kwargs):
        family_spec, family_rules = FAMILIES[family]
        spec = family_spec()
        spec.update(argument_spec)
        self.family = family
        self.ansible = AnsibleModule(argument_spec=spec, supports_check_mode=True,
                                     **_merge_rules(family_rules, kwargs))
        if not HAS_REQUESTS:
            self.ansible.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
        self.params = self.ansible.params
        self.check_mode = self.ansible.check_mode
        self.diff_mode = bool(getattr(self.ansible, '_diff', False))

    @property
    def no_log_values(self):
        return self.ansible.no_log_values

    def fail(self, msg, **details):
        raise MailadminError(msg, **details)

    def warn(self, msg):
        self.ansible.warn(msg)

    def run(self, logic):
        try:
            result = logic(self)
        except MailadminError as exc:
            self.ansible.fail_json(msg=exc.msg, **{k: v for k, v in exc.details.items() if v is not None})
        self.ansible.exit_json(**result)

    def result(self, changed, before=None, after=None, **data):
        """The result dict: ``diff`` only when ``--diff`` asked for it, and only when it says something."""
        data['changed'] = bool(changed)
        if self.diff_mode and (before is not None or after is not None):
            data['diff'] = dict(before=before, after=after)
        return data

    def changes_result(self, changes, before=None, after=None, **data):
        """The result of a writing module: ``changes`` (change records) decide ``changed``."""
        data['changes'] = list(changes)
        return self.result(bool(changes), before, after, **data)


def require_non_empty(value, name):
    """Empty strings are never a valid reference: say so before any request."""
    if value is None:
        return None
    if not str(value).strip():
        raise MailadminError('%s must not be empty' % name)
    return str(value).strip()
