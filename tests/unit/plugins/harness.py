# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit-test harness: an expected-call fake of HTTP and a runner for a module's real entry point.

``FakeHttp`` is a ``responses`` mock (it intercepts at the transport adapter, so the real
``requests`` session prepares every request) with a registry in which each expected call
answers exactly once. Each test lists the calls it expects, in any order (modules send some
requests concurrently); a call nobody expected fails the test at once, and ``verify()`` (run
automatically by the ``http`` fixture) fails on expected calls that were never made.

``run_module`` passes the arguments the way ansible-core offers for tests
(``ansible.module_utils.testing.patch_module_args``).
"""

from __future__ import annotations

import contextlib
import io
import json
from unittest import mock
from urllib.parse import parse_qsl, urlsplit

import requests
import responses
from responses import matchers
from responses.registries import FirstMatchRegistry

from ansible.module_utils import _internal as ansible_internal
from ansible.module_utils.common import warnings as ansible_warnings
from ansible.module_utils.testing import patch_module_args

ANY = object()

# The real Session.request, captured before any test patches it (FakeHttp.__call__ uses it).
_SESSION_REQUEST = requests.Session.request


def _no_body(request):
    return (not request.body, '' if not request.body else 'the request has a body')


def _describe(response):
    query = [m for m in response.match if getattr(m, 'mailadmin_query', None) is not None]
    return '%s %s%s' % (response.method, response.url, ' ?%s' % query[0].mailadmin_query if query else '')


def _query_matcher(query):
    match = matchers.query_param_matcher(query)
    match.mailadmin_query = query
    return match


class _EachOnceRegistry(FirstMatchRegistry):
    """Every expected call answers once; a request that matches none fails the test.

    ``responses``' own registries either repeat the last match forever or insist on one order;
    the harness rule is "every expected call made once, in any order, no other call".
    """

    def __init__(self):
        super().__init__()
        self.unexpected = []

    def find(self, request):
        reasons = []
        for index, response in enumerate(self.registered):
            matched, reason = response.matches(request)
            if matched:
                return self.registered.pop(index), reasons
            reasons.append(reason)
        message = 'Unexpected HTTP call %s %s body=%s; still expected: %s' % (
            request.method, request.url, request.body, [_describe(r) for r in self.registered])
        self.unexpected.append(message)
        raise AssertionError(message)


class FakeHttp:
    def __init__(self):
        self.mock = responses.RequestsMock(assert_all_requests_are_fired=False, registry=_EachOnceRegistry)

    def start(self):
        self.mock.start()
        return self

    def stop(self):
        self.mock.stop()
        self.mock.reset()

    def expect(self, method, url, query=ANY, body=ANY, form=ANY, status=200, answer=None,
               headers=None, exc=None, check_headers=None, times=1):
        """Expect ``times`` calls of ``method url``; ``query``/``body``/``form`` are compared
        exactly unless left as ``ANY``; ``check_headers`` must be among the request's headers.
        ``exc`` raises instead of answering."""
        match = []
        if query is not ANY:
            match.append(_query_matcher(query))
        if body is None:
            match.append(_no_body)
        elif body is not ANY:
            match.append(matchers.json_params_matcher(body))
        if form is not ANY:
            match.append(matchers.urlencoded_params_matcher({k: str(v) for k, v in form.items()}))
        if check_headers:
            match.append(matchers.header_matcher(check_headers))
        if exc is not None:
            content = dict(body=exc)
        elif answer is None:
            content = dict(body='')
        elif isinstance(answer, (bytes, str)):
            content = dict(body=answer)
        else:
            content = dict(json=answer)
        for dummy in range(times):
            self.mock.add(responses.Response(method.upper(), url, status=status, headers=headers,
                                             match=match, **content))
        return self

    def __call__(self, session, method, url, **kwargs):
        """Send one request through the fake (for tests that wrap ``requests.Session.request``)."""
        return _SESSION_REQUEST(session, method, url, **kwargs)

    @property
    def expected(self):
        """The expected calls not made yet; ``http.expected = []`` drops them all."""
        return self.mock.registered()

    @expected.setter
    def expected(self, value):
        if value:
            raise ValueError('only http.expected = [] is supported')
        self.mock._registry.registered.clear()  # pylint: disable=protected-access

    @property
    def calls(self):
        """Every call made, in order: ``{method, url, query, body, form, headers, timeout, verify}``."""
        return [_call_dict(call.request) for call in self.mock.calls]

    @property
    def writes(self):
        return [call for call in self.calls if call['method'] not in ('GET', 'HEAD')]

    def verify(self):
        unexpected = self.mock._registry.unexpected  # pylint: disable=protected-access
        assert not unexpected, 'Unexpected HTTP calls: %s' % unexpected
        assert not self.expected, 'Expected HTTP calls never made: %s' % [_describe(r) for r in self.expected]


def _call_dict(request):
    split = urlsplit(request.url)
    body = request.body.decode() if isinstance(request.body, bytes) else request.body
    json_body = form = None
    if body and 'x-www-form-urlencoded' in request.headers.get('Content-Type', ''):
        form = dict(parse_qsl(body, keep_blank_values=True))
    elif body:
        json_body = json.loads(body)
    kwargs = getattr(request, 'req_kwargs', {})
    return dict(method=request.method, url='%s://%s%s' % (split.scheme, split.netloc, split.path),
                query=dict(parse_qsl(split.query, keep_blank_values=True)), body=json_body, form=form,
                headers=dict(request.headers), timeout=kwargs.get('timeout'), verify=kwargs.get('verify'))


class ModuleResult(dict):
    """The module's JSON output, as Ansible would receive it (after no_log masking)."""

    def __init__(self, data, raw):
        super().__init__(data)
        self.raw = raw

    @property
    def failed(self):
        return bool(self.get('failed'))

    @property
    def warning_texts(self):
        """The warnings as plain strings (ansible-core 2.19 sends structured warning summaries)."""
        return [w if isinstance(w, str) else (w.get('event') or {}).get('msg', str(w))
                for w in self.get('warnings') or []]


def run_module(module, args, check_mode=False, diff=False):
    """Run ``module.main()`` as Ansible would and return its parsed output."""
    args = dict(args)
    args['_ansible_check_mode'] = check_mode
    args['_ansible_diff'] = diff
    stdout = io.StringIO()
    with _as_module_process(), patch_module_args(args), contextlib.redirect_stdout(stdout):
        try:
            module.main()
        except SystemExit:
            pass
        else:
            raise AssertionError('the module returned without exit_json or fail_json')
    raw = stdout.getvalue()
    return ModuleResult(json.loads(raw), raw)


@contextlib.contextmanager
def _as_module_process():
    """Run the module as in its own process: no warnings of earlier runs, not on the controller.

    ansible-core keeps warnings and deprecations in process-wide stores and offers no public way
    to empty them (a real module runs once per process); patch.dict restores them afterwards.
    Once a test in the same process imported controller code (a callback or filter plugin),
    ansible-core treats the process as the controller and shows module warnings on stderr
    instead of returning them; a real module never runs in the controller's process.
    """
    stores = [getattr(ansible_warnings, name, None) for name in ('_global_warnings', '_global_deprecations')]
    with contextlib.ExitStack() as stack:
        for store in stores:
            if store is not None:
                stack.enter_context(mock.patch.dict(store, clear=True))
        if hasattr(ansible_internal, 'is_controller'):
            stack.enter_context(mock.patch.object(ansible_internal, 'is_controller', False))
        yield
