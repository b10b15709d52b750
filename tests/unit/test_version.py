# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's version has one source, galaxy.yml (MANIFEST.json in a built artifact).

Modules run as single files on the controller and cannot read either, so the User-Agent's
version is a constant in _http.py; this test keeps it equal to the real one.
"""

from __future__ import annotations

import json
import os

import yaml

from ansible_collections.mailops.mailadmin.plugins.module_utils import _http

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def collection_version():
    if os.path.exists(os.path.join(ROOT, 'galaxy.yml')):
        with open(os.path.join(ROOT, 'galaxy.yml'), encoding='utf-8') as handle:
            return yaml.safe_load(handle)['version']
    with open(os.path.join(ROOT, 'MANIFEST.json'), encoding='utf-8') as handle:
        return json.load(handle)['collection_info']['version']


def test_user_agent_names_the_collection_version():
    assert _http.COLLECTION_VERSION == collection_version(), (
        'plugins/module_utils/_http.py COLLECTION_VERSION must equal the version in galaxy.yml')
    assert _http.USER_AGENT.startswith('mailops.mailadmin/%s ' % collection_version())
