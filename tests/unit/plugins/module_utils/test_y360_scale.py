# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The directory resolver stays linear in the number of people (benchmark: 2,500 users)."""

from __future__ import annotations

from ansible_collections.mailops.mailadmin.plugins.module_utils import _y360 as y360


class _NoHttp:
    """A connection that must not be used: the users are already read."""

    api = None


def _directory(count):
    directory = y360.Directory(_NoHttp())
    directory._users = [
        y360.normalize_user({'id': str(1130000100000000 + n), 'nickname': 'bench%05d' % n,
                             'email': 'bench%05d@example.com' % n, 'aliases': ['alias%05d' % n]})
        for n in range(count)
    ]
    return directory


def test_address_lookup_reads_the_domains_once_per_lookup(monkeypatch):
    directory = _directory(2500)
    calls = []
    original = directory.domains

    def counting_domains():
        calls.append(1)
        return original()

    monkeypatch.setattr(directory, 'domains', counting_domains)
    assert directory.find_user('BENCH02499@example.com')['id'] == '1130000100002499'
    assert len(calls) <= 1
    calls.clear()
    assert directory.find_user('alias00007@example.com')['id'] == '1130000100000007'
    assert len(calls) <= 1


def test_alias_of_another_domain_matches_nobody():
    assert _directory(3).find_user('alias00001@elsewhere.example') is None
