# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit-test harness: an expected-call fake of HTTP and a runner for a module's real entry point.

``FakeHttp`` replaces ``requests.Session.request``. Each test lists the calls it expects; a call
nobody expected fails the test at once, and ``verify()`` (run automatically by the ``http``
fixture) fails on expected calls that were never made.
"""

from __future__ import annotations

import contextlib
import io
import json
import threading
from urllib.parse import parse_qsl, urlsplit

import requests

from ansible.module_utils import basic
from ansible.module_utils.common import warnings as _ansible_warnings
from ansible.module_utils.common.text.converters import to_bytes

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    patch_module_args = None

ANY = object()


class FakeAnswer:
    def __init__(self, status, body, headers):
        self.status_code = status
        if body is None:
            self.text = ''
        elif isinstance(body, (bytes, str)):
            self.text = body.decode() if isinstance(body, bytes) else body
        else:
            self.text = json.dumps(body)
        self.headers = requests.structures.CaseInsensitiveDict(headers or {})

    def json(self):
        return json.loads(self.text)


class Expected:
    def __init__(self, method, url, query, body, form, status, answer, headers, exc, check_headers):
        self.method, self.url, self.query, self.body, self.form = method.upper(), url, query, body, form
        self.status, self.answer, self.headers, self.exc = status, answer, headers, exc
        self.check_headers = check_headers

    def describe(self):
        return '%s %s%s' % (self.method, self.url, ' ?%s' % self.query if self.query not in (None, ANY) else '')


class FakeHttp:
    def __init__(self):
        self.expected = []
        self.calls = []
        self._lock = threading.Lock()  # modules send some requests concurrently

    def expect(self, method, url, query=ANY, body=ANY, form=ANY, status=200, answer=None,
               headers=None, exc=None, check_headers=None, times=1):
        """Expect ``times`` calls of ``method url``; ``query``/``body``/``form`` are compared
        exactly unless left as ``ANY``. ``exc`` raises instead of answering."""
        for dummy in range(times):
            self.expected.append(Expected(method, url, query, body, form, status, answer, headers, exc,
                                          check_headers))
        return self

    def __call__(self, session, method, url, params=None, data=None, headers=None, **kwargs):
        split = urlsplit(url)
        base_url = '%s://%s%s' % (split.scheme, split.netloc, split.path)
        query = dict(parse_qsl(split.query))
        query.update({k: str(v) for k, v in (params or {}).items()})
        body = None
        form = None
        if isinstance(data, (str, bytes)) and data:
            body = json.loads(data)
        elif isinstance(data, dict):
            form = data
        call = dict(method=method.upper(), url=base_url, query=query, body=body, form=form,
                    headers=dict(headers or {}), timeout=kwargs.get('timeout'), verify=kwargs.get('verify'))
        with self._lock:
            self.calls.append(call)
            exp = self._take(call)
        for name, value in (exp.check_headers or {}).items():
            assert call['headers'].get(name) == value, 'header %s of %s %s' % (name, method, url)
        if exp.exc is not None:
            raise exp.exc
        return FakeAnswer(exp.status, exp.answer, exp.headers)

    def _take(self, call):
        base_url, query, body, form = call['url'], call['query'], call['body'], call['form']
        for index, exp in enumerate(self.expected):
            if exp.method != call['method'] or exp.url != base_url:
                continue
            if exp.query is not ANY and {k: str(v) for k, v in exp.query.items()} != query:
                continue
            if exp.body is not ANY and exp.body != body:
                continue
            if exp.form is not ANY and exp.form != form:
                continue
            del self.expected[index]
            return exp
        raise AssertionError('Unexpected HTTP call %s %s query=%s body=%s form=%s; still expected: %s' % (
            call['method'], base_url, query, body, form, [e.describe() for e in self.expected]))

    @property
    def writes(self):
        return [call for call in self.calls if call['method'] not in ('GET', 'HEAD')]

    def verify(self):
        assert not self.expected, 'Expected HTTP calls never made: %s' % [e.describe() for e in self.expected]


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
    # Ansible keeps warnings in a process-wide store: start each run without the previous ones.
    _ansible_warnings._global_warnings.clear()
    _ansible_warnings._global_deprecations.clear()
    with _module_args(args), contextlib.redirect_stdout(stdout):
        try:
            module.main()
        except SystemExit:
            pass
        else:
            raise AssertionError('the module returned without exit_json or fail_json')
    raw = stdout.getvalue()
    return ModuleResult(json.loads(raw), raw)


@contextlib.contextmanager
def _module_args(args):
    if patch_module_args is not None:
        with patch_module_args(args):
            yield
        return
    saved = basic._ANSIBLE_ARGS
    basic._ANSIBLE_ARGS = to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args}))
    try:
        yield
    finally:
        basic._ANSIBLE_ARGS = saved
