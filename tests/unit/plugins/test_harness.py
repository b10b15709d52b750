# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The harness's own rule: every expected call made once, in any order, and no other call."""

from __future__ import annotations

import pytest
import requests

from ansible_collections.mailops.mailadmin.tests.unit.plugins.harness import FakeHttp

URL = 'https://api.test/x'


@pytest.fixture
def fake():
    http = FakeHttp().start()
    yield http
    http.stop()


def test_each_expected_call_answers_once_in_any_order(fake):
    fake.expect('GET', URL, query={'page': 2}, answer={'page': 2})
    fake.expect('GET', URL, query={'page': 1}, answer={'page': 1})
    session = requests.Session()
    assert session.get(URL, params={'page': 1}).json() == {'page': 1}
    assert session.get(URL, params={'page': 2}).json() == {'page': 2}
    fake.verify()
    assert [call['query'] for call in fake.calls] == [{'page': '1'}, {'page': '2'}]


def test_unexpected_call_fails_at_once_and_in_verify(fake):
    fake.expect('GET', URL, answer={})
    session = requests.Session()
    session.get(URL)
    with pytest.raises(AssertionError, match='Unexpected HTTP call GET'):
        session.get(URL)
    with pytest.raises(AssertionError, match='Unexpected HTTP calls'):
        fake.verify()


def test_expected_call_never_made_fails_verify(fake):
    fake.expect('POST', URL, body={'a': 1})
    with pytest.raises(AssertionError, match='never made'):
        fake.verify()


def test_body_form_and_headers_must_match(fake):
    fake.expect('POST', URL, body={'a': 1}, check_headers={'X-Key': 'k'}, status=201, answer={'id': 7})
    fake.expect('POST', URL + '/form', form={'u': 'x'}, answer='ok')
    session = requests.Session()
    with pytest.raises(AssertionError):
        session.post(URL, data='{"a": 2}', headers={'X-Key': 'k'})
    answer = session.post(URL, data='{"a": 1}', headers={'X-Key': 'k', 'Content-Type': 'application/json'})
    assert (answer.status_code, answer.json()) == (201, {'id': 7})
    assert session.post(URL + '/form', data={'u': 'x'}).text == 'ok'
    assert fake.writes[-1]['form'] == {'u': 'x'}
    fake.expected = []
    assert not fake.expected
