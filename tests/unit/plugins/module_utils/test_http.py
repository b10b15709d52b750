# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import time

import pytest
import requests

from ansible_collections.mailops.mailadmin.plugins.module_utils import _http
from ansible_collections.mailops.mailadmin.plugins.module_utils._http import (
    ApiError, CheckModeWriteError, HttpClient, MailadminError, clouduss_pages, pdd_pages, poll,
    y360_pages,
)

BASE = 'https://api.test'
SECRET = 'sekret-token-abc123'


class StubModule:
    def __init__(self, check_mode=False, retries=5, timeout=30):
        self.params = dict(retries=retries, timeout=timeout, validate_certs=True)
        self.check_mode = check_mode
        self.warnings = []
        self.no_log_values = set()

    def warn(self, msg):
        self.warnings.append(msg)


def client(check_mode=False, retries=5, **kwargs):
    module = StubModule(check_mode=check_mode, retries=retries)
    return HttpClient(module, BASE + '/', 'Test', headers={'Authorization': 'OAuth ' + SECRET},
                      secrets=[SECRET], **kwargs)


def test_get_sends_headers_timeout_and_tls(http):
    http.expect('GET', BASE + '/x', query={'a': '1'}, answer={'ok': True},
                check_headers={'Authorization': 'OAuth ' + SECRET})
    assert client().get('/x', {'a': 1}) == {'ok': True}
    call = http.calls[0]
    assert call['timeout'] == 30.0
    assert call['verify'] is True
    assert call['headers']['User-Agent'].startswith('mailops.mailadmin/' + _http.COLLECTION_VERSION)


def test_secret_registered_for_masking():
    c = client()
    assert SECRET in c.module.no_log_values


@pytest.mark.parametrize('status', [429, 500, 502, 503, 504])
def test_transient_status_is_retried_with_warning(http, fake_clock, status):
    http.expect('GET', BASE + '/x', status=status, answer={'code': 8, 'message': 'busy'})
    http.expect('GET', BASE + '/x', answer={'ok': 1})
    c = client()
    assert c.get('/x') == {'ok': 1}
    assert len(c.module.warnings) == 1
    assert 'HTTP %s' % status in c.module.warnings[0]
    assert len(fake_clock.slept) == 1 and 0 < fake_clock.slept[0] <= _http.BACKOFF_CAP


def test_retry_after_is_honoured(http, fake_clock):
    http.expect('GET', BASE + '/x', status=429, headers={'Retry-After': '7'})
    http.expect('GET', BASE + '/x', answer={})
    client().get('/x')
    assert fake_clock.slept == [7.0]


def test_backoff_grows_and_is_capped(http, fake_clock):
    http.expect('GET', BASE + '/x', status=503, times=6)
    with pytest.raises(ApiError) as err:
        client(retries=5).get('/x')
    assert err.value.status == 503
    assert 'after 6 attempts' in err.value.msg
    assert len(fake_clock.slept) == 5
    assert fake_clock.slept[-1] <= _http.BACKOFF_CAP
    assert fake_clock.slept[3] > fake_clock.slept[0]


def test_retries_zero_means_one_try(http, fake_clock):
    http.expect('GET', BASE + '/x', status=500)
    with pytest.raises(ApiError):
        client(retries=0).get('/x')
    assert fake_clock.slept == []


def test_dropped_connection_retried_for_reads(http):
    http.expect('GET', BASE + '/x', exc=requests.exceptions.ConnectionError('reset by peer'))
    http.expect('GET', BASE + '/x', answer={'ok': 1})
    assert client().get('/x') == {'ok': 1}


def test_dropped_connection_not_retried_for_unsafe_post(http):
    http.expect('POST', BASE + '/create', exc=requests.exceptions.ConnectionError('reset by peer'))
    with pytest.raises(ApiError) as err:
        client().request('POST', '/create', json_body=[{'a': 1}])
    assert 'not safe' in err.value.msg


def test_unsafe_post_retried_after_429_only(http):
    http.expect('POST', BASE + '/create', status=429)
    http.expect('POST', BASE + '/create', answer={'id': 1})
    assert client().request('POST', '/create', json_body=[]).data == {'id': 1}
    http.expect('POST', BASE + '/create', status=503)
    with pytest.raises(ApiError) as err:
        client().request('POST', '/create', json_body=[])
    assert err.value.status == 503


def test_idempotent_post_retried_after_5xx(http):
    http.expect('POST', BASE + '/set', status=500)
    http.expect('POST', BASE + '/set', answer={'taskId': '1'})
    assert client().request('POST', '/set', json_body={}, idempotent=True).data == {'taskId': '1'}


def test_read_timeout_retried(http):
    http.expect('GET', BASE + '/x', exc=requests.exceptions.ReadTimeout('slow'))
    http.expect('GET', BASE + '/x', answer=[])
    assert client().get('/x') == []


def test_error_carries_method_url_status_code_message_request_id(http):
    http.expect('GET', BASE + '/x', status=403, answer={'code': 7, 'message': 'Not an admin', 'details': []},
                headers={'X-Request-Id': 'req-42'})
    with pytest.raises(ApiError) as err:
        client().get('/x')
    e = err.value
    assert (e.status, e.code, e.api_message, e.request_id) == (403, 7, 'Not an admin', 'req-42')
    for part in ('GET', BASE + '/x', '403', 'API code 7', 'Not an admin', 'req-42'):
        assert part in e.msg


def test_error_text_body(http):
    http.expect('DELETE', BASE + '/x', status=404, answer='no such thing')
    with pytest.raises(ApiError) as err:
        client().request('DELETE', '/x')
    assert 'no such thing' in err.value.msg


def test_secret_echoed_by_api_is_redacted(http):
    http.expect('GET', BASE + '/x', status=401, answer={'code': 16, 'message': 'bad token ' + SECRET})
    with pytest.raises(ApiError) as err:
        client().get('/x')
    assert SECRET not in err.value.msg
    assert _http.REDACTED in err.value.msg


def test_secret_in_exception_text_is_redacted(http):
    http.expect('POST', BASE + '/x', exc=requests.exceptions.ConnectionError('boom ' + SECRET))
    with pytest.raises(ApiError) as err:
        client().request('POST', '/x', json_body={})
    assert SECRET not in err.value.msg


def test_malformed_json_read_is_retried_then_fails(http):
    http.expect('GET', BASE + '/x', answer='{not json', times=2)
    with pytest.raises(ApiError) as err:
        client(retries=1).get('/x')
    assert 'not valid JSON' in err.value.msg


def test_malformed_json_on_write_fails_without_retry(http):
    http.expect('PUT', BASE + '/x', answer='<html>')
    with pytest.raises(ApiError):
        client().request('PUT', '/x', json_body={})


def test_empty_body_is_none(http):
    http.expect('POST', BASE + '/x', status=204, answer=None)
    assert client().request('POST', '/x', json_body={}, ok=(200, 204)).data is None


@pytest.mark.parametrize('method', ['POST', 'PUT', 'DELETE', 'PATCH'])
def test_check_mode_refuses_writes_before_sending(http, method):
    with pytest.raises(CheckModeWriteError):
        client(check_mode=True).request(method, '/x', json_body={})
    assert http.calls == []


def test_check_mode_allows_reads_and_declared_non_writes(http):
    http.expect('GET', BASE + '/x', answer={})
    http.expect('POST', BASE + '/auth', answer={})
    c = client(check_mode=True)
    c.get('/x')
    c.request('POST', '/auth', form={'u': 'x'}, write=False)


def test_retry_if_hook(http):
    http.expect('GET', BASE + '/x', answer={'success': 'error', 'error': 'unknown'})
    http.expect('GET', BASE + '/x', answer={'success': 'ok'})
    data = client().get('/x', retry_if=lambda d: 'temporary' if d.get('error') == 'unknown' else None)
    assert data == {'success': 'ok'}


def test_y360_paginator_follows_pages(http):
    http.expect('GET', BASE + '/l', query={'page': '1', 'perPage': '2'},
                answer={'items': [1, 2], 'page': 1, 'pages': 2, 'perPage': 2, 'total': 3})
    http.expect('GET', BASE + '/l', query={'page': '2', 'perPage': '2'},
                answer={'items': [3], 'page': 2, 'pages': 2, 'perPage': 2, 'total': 3})
    assert list(client().paginate('/l', y360_pages('items'), {'perPage': 2})) == [1, 2, 3]


def test_y360_paginator_without_pages_and_clamped_page_size(http):
    # asked for 1000, the server echoes 2 and no "pages": follow total
    http.expect('GET', BASE + '/l', query={'page': '1', 'perPage': '1000'},
                answer={'items': [1, 2], 'page': 1, 'perPage': 2, 'total': '5'})
    http.expect('GET', BASE + '/l', query={'page': '2', 'perPage': '1000'},
                answer={'items': [3, 4], 'page': 2, 'perPage': 2, 'total': '5'})
    http.expect('GET', BASE + '/l', query={'page': '3', 'perPage': '1000'},
                answer={'items': [5], 'page': 3, 'perPage': 2, 'total': '5'})
    assert list(client().paginate('/l', y360_pages('items'), {'perPage': 1000})) == [1, 2, 3, 4, 5]


def test_paginator_stops_on_empty_page(http):
    http.expect('GET', BASE + '/l', query={'page': '1'}, answer={'items': [1], 'total': 10})
    http.expect('GET', BASE + '/l', query={'page': '2'}, answer={'items': [], 'total': 10})
    assert list(client().paginate('/l', y360_pages('items'))) == [1]


def test_paginator_page_cap(http, monkeypatch):
    monkeypatch.setattr(_http, 'MAX_PAGES', 2)
    http.expect('GET', BASE + '/l', answer={'items': [1], 'total': 99}, times=2)
    with pytest.raises(MailadminError, match='more than 2 pages'):
        list(client().paginate('/l', y360_pages('items')))


def test_pdd_paginator_numbers_as_strings(http):
    http.expect('GET', BASE + '/p', query={'page': '1'}, answer={'accounts': [1], 'pages': '2', 'total': '2'})
    http.expect('GET', BASE + '/p', query={'page': '2'}, answer={'accounts': [2], 'pages': '2', 'total': '2'})
    assert list(client().paginate('/p', pdd_pages)) == [1, 2]


def test_clouduss_paginator_meta(http):
    http.expect('GET', BASE + '/c', query={'page': '1'}, answer={'data': [1], 'meta': {'total_pages': 2, 'total': 2}})
    http.expect('GET', BASE + '/c', query={'page': '2'}, answer={'data': [2], 'meta': {'total_pages': 2, 'total': 2}})
    assert list(client().paginate('/c', clouduss_pages)) == [1, 2]


def test_poll_grows_interval_and_times_out(fake_clock):
    calls = []
    assert poll(lambda: calls.append(1) and False, timeout=5) is False
    assert fake_clock.slept[1] > fake_clock.slept[0]
    assert sum(fake_clock.slept) == pytest.approx(5)


def test_poll_done():
    state = iter([False, False, True])
    assert poll(lambda: next(state), timeout=5) is True


@pytest.mark.parametrize('value,expected', [('3', 3), (None, None), ('', None), ('x', None), (7, 7)])
def test_to_int(value, expected):
    assert _http.to_int(value) == expected


def test_parse_retry_after_http_date():
    assert _http.parse_retry_after('Wed, 21 Oct 2015 07:28:00 GMT') == 0.0
    assert _http.parse_retry_after('2.5') == 2.5
    assert _http.parse_retry_after('junk') is None


def test_map_concurrently_keeps_order_and_raises():
    assert _http.map_concurrently(lambda x: x * 2, [3, 1, 2]) == [6, 2, 4]

    def boom(x):
        if x == 2:
            raise MailadminError('bad %s' % x)
        return x

    with pytest.raises(MailadminError, match='bad 2'):
        _http.map_concurrently(boom, [1, 2, 3])


def test_paginator_reads_later_pages_concurrently_in_order(http, monkeypatch):
    # Once page 1 says there are 4 pages, pages 2-4 go out together; items keep page order.
    in_flight, peak = [0], [0]
    original = http.__call__

    def counting(session, method, url, **kwargs):
        in_flight[0] += 1
        peak[0] = max(peak[0], in_flight[0])
        try:
            time.sleep(0.05)  # keep each call open long enough for the others to overlap
            return original(session, method, url, **kwargs)
        finally:
            in_flight[0] -= 1

    monkeypatch.setattr(requests.Session, 'request', counting)
    for page in range(1, 5):
        http.expect('GET', BASE + '/l', query={'page': str(page), 'perPage': '2'},
                    answer={'items': [page * 10, page * 10 + 1], 'perPage': 2, 'total': 8})
    assert list(client().paginate('/l', y360_pages('items'), {'perPage': 2})) == [10, 11, 20, 21, 30, 31, 40, 41]
    assert peak[0] >= 2


def test_paginator_page_cap_known_from_first_answer(http, monkeypatch):
    monkeypatch.setattr(_http, 'MAX_PAGES', 3)
    http.expect('GET', BASE + '/l', answer={'items': [1], 'pages': 4})
    with pytest.raises(MailadminError, match='more than 3 pages'):
        list(client().paginate('/l', y360_pages('items')))


# -- the rate governor in the client ------------------------------------------------------------

def test_throttled_answers_do_not_use_up_retries(http, fake_clock):
    # retries: 1, yet three 429s and one 500 end in success: only the 500 used a retry
    http.expect('GET', BASE + '/x', status=429, headers={'Retry-After': '2'}, times=2)
    http.expect('GET', BASE + '/x', status=500)
    http.expect('GET', BASE + '/x', status=429)
    http.expect('GET', BASE + '/x', answer={'ok': 1})
    c = client(retries=1)
    assert c.get('/x') == {'ok': 1}
    assert [w for w in c.module.warnings if 'retry 1 of 1' in w] != []
    assert not [w for w in c.module.warnings if 'retry 2' in w]
    assert fake_clock.slept[:2] == [2.0, 2.0]


def test_throttle_budget_ends_a_request(http, fake_clock):
    http.expect('GET', BASE + '/x', status=429, headers={'Retry-After': '1'}, times=11)
    with pytest.raises(ApiError) as err:
        client(retries=1).get('/x')
    assert err.value.status == 429
    assert 'after 11 attempts' in err.value.msg
    assert sum(fake_clock.slept) == pytest.approx(10.0)


def test_retries_zero_turns_off_the_throttle_retries_too(http, fake_clock):
    http.expect('GET', BASE + '/x', status=429, headers={'Retry-After': '1'})
    with pytest.raises(ApiError):
        client(retries=0).get('/x')


def test_503_with_retry_after_is_throttling_without_it_a_retry(http, fake_clock):
    http.expect('GET', BASE + '/x', status=503, headers={'Retry-After': '3'}, times=3)
    http.expect('GET', BASE + '/x', answer={})
    c = client(retries=1)
    c.get('/x')
    assert c.gate.describe()['throttled'] == 3
    http.expect('GET', BASE + '/y', status=503, times=2)
    with pytest.raises(ApiError):
        client(retries=1).get('/y')


def test_unsafe_post_after_503_with_retry_after_is_not_sent_again(http, fake_clock):
    http.expect('POST', BASE + '/create', status=503, headers={'Retry-After': '1'})
    with pytest.raises(ApiError) as err:
        client().request('POST', '/create', json_body=[])
    assert err.value.status == 503


def test_threads_share_one_governor_and_absorb_429s(http, fake_clock):
    # 16 concurrent reads, each answered 429 twice before success, with retries: 1
    paths = ['/item/%d' % index for index in range(16)]
    for path in paths:
        http.expect('GET', BASE + path, status=429, headers={'Retry-After': '1'}, times=2)
        http.expect('GET', BASE + path, answer={'path': path})
    c = client(retries=1)
    answers = _http.map_concurrently(c.get, paths, 16)
    assert answers == [{'path': path} for path in paths]
    state = c.gate.describe()
    assert state['throttled'] == 32
    assert 1 <= state['slowdowns'] <= 32 and state['limit'] < 16
    assert not [w for w in c.module.warnings if 'retry 1 of 1' in w]
    slowdown_warnings = [w for w in c.module.warnings if 'pauses' in w]
    assert 1 <= len(slowdown_warnings) <= _http.MAX_THROTTLE_WARNINGS
    assert c.gate.governor.in_flight == 0


def test_clients_of_one_session_share_the_governor_of_their_base_url():
    session = _http.new_session()
    first = client(session=session)
    second = client(session=session)
    other = HttpClient(StubModule(), 'https://other.test', 'Other', session=session)
    assert first.gate is second.gate
    assert other.gate is not first.gate
    assert client().gate is not first.gate     # another run, another session


def test_max_requests_per_second_spaces_requests(http, fake_clock):
    module = StubModule()
    module.params['max_requests_per_second'] = 2.0
    c = HttpClient(module, BASE, 'Test')
    for dummy in range(5):
        http.expect('GET', BASE + '/x', answer={})
        c.get('/x')
    assert sum(fake_clock.slept) == pytest.approx(2.0)


@pytest.mark.parametrize('rate', [0, -1.5])
def test_max_requests_per_second_must_be_positive(rate):
    module = StubModule()
    module.params['max_requests_per_second'] = rate
    with pytest.raises(MailadminError, match='max_requests_per_second'):
        HttpClient(module, BASE, 'Test')


def test_without_throttling_the_governor_never_holds_a_request_back(http, fake_clock):
    paths = ['/p/%d' % index for index in range(40)]
    for path in paths:
        http.expect('GET', BASE + path, answer={})
    c = client()
    _http.map_concurrently(c.get, paths, 16)
    assert fake_clock.slept == []
    assert c.gate.describe()['limit'] == _http.MAX_IN_FLIGHT
