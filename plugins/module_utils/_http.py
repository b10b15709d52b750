# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The collection's one HTTP client.

This is the only file that imports ``requests``. It owns: one session per module run, a timeout
on every request, retries with capped exponential backoff that honours ``Retry-After``, the
check-mode write barrier, secret redaction, one error type, the paginators and the task poller.
API layers build on it; modules never talk HTTP themselves.

Every request goes through the rate governor of its base URL (``_governor.py``), shared by all
threads and clients of the run: a 429 (or a 503 with ``Retry-After``) pauses everyone, and such
throttled answers are absorbed by the governor instead of using up the request's ``retries``.
"""

from __future__ import annotations

import concurrent.futures
import email.utils
import json
import random
import time
import traceback

try:
    import requests
except ImportError:
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    REQUESTS_IMPORT_ERROR = None

from ._governor import Gate, RateGovernor

HAS_REQUESTS = requests is not None

# Equal to galaxy.yml's version (tests/unit/test_version.py keeps them equal).
COLLECTION_VERSION = '0.1.0'
USER_AGENT = 'mailops.mailadmin/%s (Ansible collection)' % COLLECTION_VERSION

READ_METHODS = frozenset(('GET', 'HEAD'))
IDEMPOTENT_METHODS = frozenset(('GET', 'HEAD', 'PUT', 'DELETE'))
TRANSIENT_STATUSES = frozenset((429, 500, 502, 503, 504))
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0
RETRY_AFTER_CAP = 120.0
MAX_PAGES = 10000
PAGE_WORKERS = 8            # pages read at once once the first answer tells how many there are
MAX_IN_FLIGHT = 16          # requests in flight to one API host at most (the session's pool size)
THROTTLE_BUDGET_PER_RETRY = 10  # throttled answers a request may absorb: this many times ``retries``
MAX_THROTTLE_WARNINGS = 5   # slow-downs reported per API host and run; later ones only counted
REDACTED = '********'


class MailadminError(Exception):
    """A failure the module reports with ``fail_json``: a message plus structured details."""

    def __init__(self, msg, **details):
        super().__init__(msg)
        self.msg = msg
        self.details = details


class ApiError(MailadminError):
    """An HTTP call that did not succeed, with everything support will ask for."""

    def __init__(self, method, url, status=None, code=None, api_message=None, request_id=None,
                 reason=None):
        parts = []
        if status is not None:
            parts.append('HTTP %s' % status)
        if code not in (None, ''):
            parts.append('API code %s' % code)
        if api_message:
            parts.append(str(api_message))
        if reason:
            parts.append(str(reason))
        if request_id:
            parts.append('request id %s' % request_id)
        super().__init__('%s %s failed: %s' % (method, url, ', '.join(parts) or 'no answer'),
                         method=method, url=url, status=status, api_code=code,
                         api_message=api_message, request_id=request_id)
        self.status = status
        self.code = code
        self.api_message = api_message
        self.request_id = request_id


class CheckModeWriteError(MailadminError):
    """A write was attempted in check mode: a bug in the calling code, never sent."""


class Response:
    """What callers get back: status, headers, parsed JSON (``None`` for an empty body)."""

    def __init__(self, status, headers, data, request_id):
        self.status = status
        self.headers = headers
        self.data = data
        self.request_id = request_id


def _sleep(seconds):
    time.sleep(seconds)


def _clock():
    return time.monotonic()


def _gate_clock():
    return _clock()     # looked up at call time, so tests can replace _clock and _sleep


def _gate_sleep(seconds):
    _sleep(seconds)


def to_int(value, default=None):
    """APIs send numbers as numbers in some answers and as strings in others."""
    if value is None or value == '':
        return default
    if isinstance(value, bool):
        return int(value)
    try:
        return int(value)
    except (TypeError, ValueError):
        try:
            return int(float(value))
        except (TypeError, ValueError):
            return default


def to_bool(value, default=None):
    """Flags arrive as 0/1, "0"/"1", "yes"/"no", "true"/"false" or real booleans."""
    if value is None or value == '':
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    text = str(value).strip().lower()
    if text in ('1', 'yes', 'y', 'true', 'on'):
        return True
    if text in ('0', 'no', 'n', 'false', 'off'):
        return False
    return default


def parse_retry_after(value):
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def backoff_delay(attempt, retry_after=None):
    """Capped exponential backoff with jitter; the server's ``Retry-After`` wins when given."""
    if retry_after is not None:
        return min(retry_after, RETRY_AFTER_CAP)
    delay = min(BACKOFF_CAP, BACKOFF_BASE * (2 ** attempt))
    return delay * random.uniform(0.75, 1.0)


def default_error_fields(data, text):
    """Pull the API's own code and message out of an error body of any plausible shape."""
    if isinstance(data, dict):
        code = data.get('code', data.get('error_code', data.get('error')))
        message = (data.get('message') or data.get('error_description') or data.get('detail')
                   or data.get('description'))
        if isinstance(code, str) and message is None and 'error' in data:
            # {"error": "bad_token"}: the code is the message
            return code, None
        return code, message
    text = (text or '').strip()
    return None, text[:300] if text else None


class HttpClient:
    """Talks to one API host. Several clients of one run share one ``requests`` session."""

    def __init__(self, module, base_url, service, headers=None, request_id_header='X-Request-Id',
                 secrets=(), session=None):
        self.module = module
        self.base_url = base_url.rstrip('/')
        self.service = service
        self.headers = dict(headers or {})
        self.request_id_header = request_id_header
        self.timeout = float(module.params.get('timeout') or 30)
        self.retries = max(0, int(module.params.get('retries') if module.params.get('retries') is not None else 5))
        self.validate_certs = module.params.get('validate_certs', True)
        self.session = session or new_session()
        max_rate = module.params.get('max_requests_per_second')
        if max_rate is not None and max_rate <= 0:
            raise MailadminError('max_requests_per_second must be greater than 0, not %s' % max_rate)
        self.gate = _gate_for(self.session, self.base_url, max_rate)
        # A throttled answer does not use up ``retries``, but this many of them end the request
        # (with ``retries: 0`` the first one does: retrying is off).
        self.throttle_budget = THROTTLE_BUDGET_PER_RETRY * self.retries
        self._secrets = set()
        for secret in secrets:
            self.add_secret(secret)
        self.request_count = 0

    # -- secrets -----------------------------------------------------------------------------
    def add_secret(self, secret):
        """Never let this value reach any output: Ansible masks it and so do our messages."""
        if secret:
            secret = str(secret)
            self._secrets.add(secret)
            self.module.no_log_values.add(secret)

    def redact(self, text):
        if text is None:
            return None
        text = str(text)
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        return text

    # -- requests ----------------------------------------------------------------------------
    def url(self, path):
        return self.base_url + path

    def request(self, method, path, params=None, json_body=None, form=None, ok=(200,),
                write=None, idempotent=None, headers=None, retry_if=None, allow_empty=True):
        """Send one request (retrying when safe) and return a :class:`Response`.

        ``write``: whether the request changes state (default: any method but GET/HEAD). Writes
        are refused in check mode. ``idempotent``: whether repeating it is harmless (default: GET,
        HEAD, PUT, DELETE); a non-idempotent request is retried only after a 429, which means it
        was not processed. ``retry_if``: a function of the parsed body returning a reason to
        retry (for APIs that report temporary errors inside a 200 answer).
        """
        method = method.upper()
        if write is None:
            write = method not in READ_METHODS
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        url = self.url(path)
        if write and self.module.check_mode:
            raise CheckModeWriteError(
                'Internal error: %s %s would change state while running in check mode; '
                'nothing was sent' % (method, url))
        send_headers = {'User-Agent': USER_AGENT, 'Accept': 'application/json'}
        send_headers.update(self.headers)
        send_headers.update(headers or {})
        body = None
        if json_body is not None:
            body = json.dumps(json_body)
            send_headers['Content-Type'] = 'application/json'

        attempt = throttles = 0
        while True:
            retry_after = None
            answer, failure, retry_reason = self._send(method, url, params, body, form, send_headers,
                                                       idempotent)
            if answer is not None:
                status = answer.status_code
                request_id = answer.headers.get(self.request_id_header)
                retry_after = parse_retry_after(answer.headers.get('Retry-After'))
                throttled = status == 429 or (status == 503 and retry_after is not None)
                if throttled and (idempotent or status == 429):
                    # The governor makes every thread wait; this request does not use a retry.
                    if throttles >= self.throttle_budget:
                        raise self._final_error(method, url, None, answer, 'HTTP %s' % status,
                                                attempt + throttles)
                    throttles += 1
                    continue
                if status in TRANSIENT_STATUSES and idempotent:
                    retry_reason = 'HTTP %s' % status
                elif status not in ok:
                    raise self._error(method, url, answer, request_id)
                else:
                    data, bad_json = self._parse(answer, allow_empty)
                    if bad_json:
                        if method in READ_METHODS:
                            retry_reason = 'the answer was not valid JSON'
                        else:
                            raise ApiError(method, url, status, reason='the answer was not valid JSON',
                                           request_id=request_id)
                    elif retry_if is not None:
                        retry_reason = retry_if(data)
                    if not retry_reason:
                        return Response(status, answer.headers, data, request_id)

            if retry_reason is None or attempt >= self.retries:
                raise self._final_error(method, url, failure, answer, retry_reason, attempt + throttles)
            delay = backoff_delay(attempt, retry_after)
            attempt += 1
            self.module.warn('%s %s: %s; retry %d of %d in %.1f s' % (
                method, url, retry_reason, attempt, self.retries, delay))
            _sleep(delay)

    def _send(self, method, url, params, body, form, headers, idempotent):
        """One attempt through the governor: ``(answer, failure, retry_reason)``."""
        ticket = self.gate.acquire()
        answer, failure, retry_reason, outcome, retry_after = None, None, None, 'other', None
        try:
            self.request_count += 1
            answer = self.session.request(
                method, url, params=params, data=body if form is None else form,
                headers=headers, timeout=self.timeout, verify=self.validate_certs,
                allow_redirects=False)
        except requests.exceptions.ConnectTimeout as exc:
            # Nothing reached the server: safe to retry any request.
            retry_reason, failure = 'connection timed out', exc
        except requests.exceptions.Timeout as exc:
            retry_reason = 'no answer within %s s' % self.timeout if idempotent else None
            failure = exc
        except requests.exceptions.ConnectionError as exc:
            retry_reason = 'connection failed' if idempotent else None
            failure = exc
        except requests.exceptions.RequestException as exc:
            raise ApiError(method, url, reason=self.redact(exc.__class__.__name__ + ': ' + str(exc)))
        else:
            retry_after = parse_retry_after(answer.headers.get('Retry-After'))
            if answer.status_code == 429 or (answer.status_code == 503 and retry_after is not None):
                outcome = 'throttled'
            elif answer.status_code < 400:
                outcome = 'ok'
        finally:
            if self.gate.release(ticket, outcome, retry_after):
                self._report_slowdown(method, url, answer, retry_after)
        return answer, failure, retry_reason

    def _report_slowdown(self, method, url, answer, retry_after):
        state = self.gate.describe()
        if state['slowdowns'] > MAX_THROTTLE_WARNINGS:
            return
        pause = 'Retry-After %.1f s' % retry_after if retry_after is not None else 'backing off'
        text = ('%s %s: HTTP %s; every request to %s pauses (%s) and at most %d go at once'
                % (method, url, answer.status_code, self.base_url, pause, state['limit']))
        if state['slowdowns'] == MAX_THROTTLE_WARNINGS:
            text += '; further slow-downs of this run are not reported'
        self.module.warn(text)

    def _final_error(self, method, url, failure, answer, reason, attempts):
        tries = ' after %d attempts' % (attempts + 1) if attempts else ''
        if failure is not None:
            text = self.redact('%s: %s' % (failure.__class__.__name__, failure))
            if reason is None:
                text += ('; not retried because repeating this request is not safe: '
                         'check the state and run again')
            return ApiError(method, url, reason=text + tries)
        request_id = answer.headers.get(self.request_id_header)
        if answer.status_code in TRANSIENT_STATUSES:
            error = self._error(method, url, answer, request_id)
            if tries:
                error.msg += tries
            return error
        return ApiError(method, url, answer.status_code, reason=(reason or 'failed') + tries,
                        request_id=request_id)

    @staticmethod
    def _parse(answer, allow_empty):
        text = answer.text
        if not text.strip():
            return (None, not allow_empty)
        try:
            return json.loads(text), False
        except ValueError:
            return None, True

    def _error(self, method, url, answer, request_id):
        try:
            data = answer.json()
        except ValueError:
            data = None
        code, message = default_error_fields(data, answer.text)
        return ApiError(method, url, answer.status_code, code=self.redact(code) if isinstance(code, str) else code,
                        api_message=self.redact(message), request_id=request_id)

    def get(self, path, params=None, **kwargs):
        return self.request('GET', path, params=params, **kwargs).data

    # -- pagination --------------------------------------------------------------------------
    def paginate(self, path, read_page, params=None, first_page=1, **request_kwargs):
        """Yield every item of a paged list.

        ``read_page(data, page, seen)`` returns ``(items, more, page_count)`` from one answer
        (``page_count`` None when the answer does not tell). When the first answer tells how many
        pages there are, the others are read concurrently; otherwise page after page until one
        says there is no more or is empty. Past the page cap it fails (a list cut short silently
        would look like absent items). ``request_kwargs`` (``retry_if``, ``ok``, ...) go to
        every page's :meth:`request`.
        """
        def fetch(page):
            query = dict(params or {})
            query['page'] = page
            return self.get(path, query, **request_kwargs) or {}

        page, seen = first_page, 0
        while True:
            items, more, page_count = read_page(fetch(page), page, seen)
            seen += len(items)
            yield from items
            if not items or not more:
                return
            if page_count is not None and page_count - first_page + 1 > MAX_PAGES:
                self._too_many_pages(path)
            if page == first_page and page_count is not None:
                for later in map_concurrently(fetch, range(page + 1, first_page + page_count), PAGE_WORKERS):
                    yield from read_page(later, page, seen)[0]
                return
            page += 1
            if page - first_page >= MAX_PAGES:
                self._too_many_pages(path)

    def _too_many_pages(self, path):
        raise MailadminError('%s: more than %d pages; stopping rather than looping forever'
                             % (self.url(path), MAX_PAGES))


def _page_info(items, page, seen, pages, total, per_page):
    """``(more, page_count)`` from what an answer says about the whole list."""
    if pages is None and total is not None and per_page:
        pages = -(-total // per_page)
    if pages is not None:
        return page < pages, pages
    if total is not None:
        return seen + len(items) < total, None
    return bool(items), None


def y360_pages(items_key):
    """Yandex 360 ``page``/``perPage``: ``pages`` may be missing, ``perPage`` may be clamped."""
    def read_page(data, page, seen):
        items = data.get(items_key) or []
        return (items,) + _page_info(items, page, seen, to_int(data.get('pages')), to_int(data.get('total')),
                                     to_int(data.get('perPage')))
    return read_page


def pdd_pages(data, page, seen):
    """PDD ``page``/``on_page``, numbers possibly strings."""
    items = data.get('accounts') or []
    return (items,) + _page_info(items, page, seen, to_int(data.get('pages')), to_int(data.get('total')),
                                 to_int(data.get('on_page')))


def clouduss_pages(data, page, seen):
    """CloudUSS ``page``/``page_size`` with a ``meta`` object."""
    items = data.get('data') or []
    meta = data.get('meta') or {}
    return (items,) + _page_info(items, page, seen, to_int(meta.get('total_pages')), to_int(meta.get('total')),
                                 to_int(meta.get('page_size')))


def poll(check, timeout, first_interval=0.1, factor=1.6, max_interval=2.0):
    """Call ``check()`` with a short, growing interval until it returns True or time runs out.

    Returns True when done, False at the timeout (the caller names what is still pending).
    """
    deadline = _clock() + timeout
    interval = first_interval
    while True:
        if check():
            return True
        remaining = deadline - _clock()
        if remaining <= 0:
            return False
        _sleep(min(interval, remaining))
        interval = min(max_interval, interval * factor)


def map_concurrently(func, items, workers=8):
    """``[func(item) for item in items]`` with up to ``workers`` requests in flight at once.

    For APIs without batch calls (one request per actor). Results keep the order of ``items``;
    the first exception is raised after every started call has finished, so nothing is left
    running behind the module's back.
    """
    items = list(items)
    if len(items) <= 1 or workers <= 1:
        return [func(item) for item in items]
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(workers, len(items))) as pool:
        futures = [pool.submit(func, item) for item in items]
        concurrent.futures.wait(futures)
    return [future.result() for future in futures]


def _gate_for(session, base_url, max_rate):
    """The governor of ``base_url`` for this run: every client sharing the session shares it."""
    gates = session.__dict__.setdefault('_mailadmin_gates', {})
    key = base_url.rstrip('/')
    if key not in gates:
        gates[key] = Gate(RateGovernor(MAX_IN_FLIGHT, max_rate, backoff=backoff_delay), _gate_clock, _gate_sleep)
    return gates[key]


def new_session():
    session = requests.Session()
    # Retries are ours (they warn and know which requests are safe to repeat).
    adapter = requests.adapters.HTTPAdapter(max_retries=0, pool_connections=4, pool_maxsize=16)
    session.mount('https://', adapter)
    session.mount('http://', adapter)
    return session
