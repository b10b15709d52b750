# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: change_report
type: aggregate
short_description: Write a plan or applied-changes report, and a journal, of this collection's changes
version_added: 0.1.0
description:
  - Collects the change records (the C(changes) return value) of every task of the
    C(mailops.mailadmin) collection, and the failures of those tasks, and writes them at the end
    of the playbook run as C(mailadmin-changes.json) and C(mailadmin-changes.md) in O(report_dir).
  - "Under C(--check) the report is a plan (its C(mode) is C(plan), the Markdown's first line reads
    C(Plan: 3 to create, 1 to update, 2 to delete)); after a real run it lists what was applied
    (C(mode) C(apply), C(Applied: ...)), and C(No changes.) when there are none. The Markdown is
    meant as a merge-request comment: deletions come first and are marked, then one table per
    service and kind, then the failed tasks with their messages. It is cut to at most 60,000
    characters with a note saying how many changes were left out (the JSON file always has them
    all)."
  - "With O(journal) set, every change that was applied (never a planned one) is appended to that
    file as one JSON line: the change record plus C(time) (ISO 8601, UTC), C(host), C(task) and
    C(playbook). Lines are appended as the results arrive, so a run that is interrupted still
    leaves a true record of what it sent."
  - "The JSON document is C({format_version: \"1.0\", mode, playbook, started, finished,
    summary: {create, update, delete, failed_tasks}, changes, errors}); each item of C(changes) is
    a change record with C(host) and C(task) added, each item of C(errors) is C({host, task, msg})."
  - "A task that runs in check mode of its own accord (C(check_mode: true) on the task, or on a
    block, role or play around it), such as the reference checks of this collection's roles,
    only previews: its records are left out of the reports and the journal (its failure is still
    reported)."
  - Only the record fields and the failure messages of this collection's tasks are written, never
    whole results; results of tasks with C(no_log) carry no records. The values of the
    collection's secret options (C(token), C(password), C(access_token)) found in the task's
    arguments or in their environment variables are masked in everything written.
  - It does not change Ansible's normal output. A report directory or journal that cannot be
    written gives a warning naming the path; the playbook's result is not changed.
requirements:
  - Enable it in C(ansible.cfg) with C(callbacks_enabled = mailops.mailadmin.change_report) under
    C([defaults]), or with the environment variable E(ANSIBLE_CALLBACKS_ENABLED).
options:
  report_dir:
    description:
      - The directory in which C(mailadmin-changes.json) and C(mailadmin-changes.md) are written
        (replaced) at the end of every playbook run. It is created when missing.
      - Defaults to the current directory.
    type: path
    ini:
      - section: callback_change_report
        key: report_dir
    env:
      - name: MAILADMIN_REPORT_DIR
  journal:
    description:
      - A file to which every applied change is appended as one JSON line (JSON Lines), an audit
        trail across runs. Planned changes (check mode) are never written to it.
      - Not set by default (no journal).
    type: path
    ini:
      - section: callback_change_report
        key: journal
    env:
      - name: MAILADMIN_JOURNAL
"""

import datetime
import json
import os

from ansible import context
from ansible.module_utils.common.parameters import remove_values
from ansible.plugins.callback import CallbackBase

COLLECTION_PREFIX = 'mailops.mailadmin.'
FORMAT_VERSION = '1.0'
JSON_NAME = 'mailadmin-changes.json'
MARKDOWN_NAME = 'mailadmin-changes.md'
MARKDOWN_LIMIT = 60000
RECORD_KEYS = ('service', 'kind', 'action', 'object', 'subject', 'before', 'after', 'summary', 'request_id')
ACTIONS = ('create', 'update', 'delete')
KIND_ORDER = ('delegation', 'shared_mailbox', 'mailbox_access', 'mail_list_sender', 'mail_forward',
              'mail_autoreply', 'clouduss_mailbox')
SECRET_OPTIONS = ('token', 'password', 'access_token')
SECRET_ENV = ('Y360_TOKEN', 'PDD_TOKEN', 'CLOUDUSS_PASSWORD', 'CLOUDUSS_ACCESS_TOKEN')
ACTION_MARK = {'create': '+ create', 'update': '~ update', 'delete': '**- delete**'}
CELL_LIMIT = 200
MESSAGE_LIMIT = 2000


# -- pure functions: results -> records -> documents --------------------------------------------

def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


def iso_utc(moment):
    """``2026-12-01T10:00:00Z``: ISO 8601 in UTC, to the second."""
    return moment.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def is_collection_action(action, resolved=None):
    """Whether a task's action (as written, or as Ansible resolved it) is one of this collection's."""
    for name in (action, resolved):
        if isinstance(name, str) and name.startswith(COLLECTION_PREFIX):
            return True
    return False


def _loop_items(result):
    items = result.get('results')
    if isinstance(items, list):
        return [item for item in items if isinstance(item, dict)]
    return [result]


def records_of(result, host, task):
    """The change records in one (possibly looped) task result, each with ``host`` and ``task`` added.

    Only the record fields are taken; anything else a record might carry is dropped.
    """
    records = []
    for item in _loop_items(result):
        changes = item.get('changes')
        if not isinstance(changes, list):
            continue
        for change in changes:
            if not isinstance(change, dict):
                continue
            record = dict((key, change.get(key)) for key in RECORD_KEYS)
            record['host'] = host
            record['task'] = task
            records.append(record)
    return records


def failure_message(result):
    """The message of a failed (possibly looped) task result: each failed item's ``msg``."""
    if result.get('censored'):
        return str(result['censored'])
    items = result.get('results')
    if isinstance(items, list):
        messages = [str(item.get('msg') or 'failed') for item in items
                    if isinstance(item, dict) and item.get('failed')]
        if messages:
            return '; '.join(messages)
    return str(result.get('msg') or 'the task failed')


def secrets_in(args, environ):
    """The secret values to mask: the collection's no_log options in ``args`` and their env fallbacks."""
    found = set()
    if isinstance(args, dict):
        for key in SECRET_OPTIONS:
            value = args.get(key)
            if isinstance(value, str) and value and '{{' not in value:
                found.add(value)
    for name in SECRET_ENV:
        value = environ.get(name)
        if value:
            found.add(value)
    return found


def mask(value, secrets):
    """``value`` with every secret replaced, the way Ansible masks no_log values in results."""
    if not secrets:
        return value
    return remove_values(value, secrets)


def summary_of(records, errors):
    counts = dict((action, 0) for action in ACTIONS)
    for record in records:
        if record.get('action') in counts:
            counts[record['action']] += 1
    counts['failed_tasks'] = len(errors)
    return counts


def build_document(records, errors, mode, playbook, started, finished):
    """The JSON report: ``format_version``, ``mode``, ``playbook``, times, ``summary``, ``changes``, ``errors``."""
    return {
        'format_version': FORMAT_VERSION,
        'mode': mode,
        'playbook': playbook,
        'started': started,
        'finished': finished,
        'summary': summary_of(records, errors),
        'changes': list(records),
        'errors': list(errors),
    }


def summary_line(doc):
    """``Plan: 3 to create, 1 to update, 2 to delete``, ``Applied: ...`` or ``No changes.``"""
    counts = doc['summary']
    if not any(counts[action] for action in ACTIONS):
        return 'No changes.'
    return '%s: %d to create, %d to update, %d to delete' % (
        'Plan' if doc['mode'] == 'plan' else 'Applied', counts['create'], counts['update'], counts['delete'])


def _shorten(text, limit):
    return text if len(text) <= limit else text[:limit - 1] + '\u2026'


def _text(value):
    """A record's value as a person reads it in one table cell."""
    if value is None:
        return '\u2014'
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (list, tuple)):
        return ', '.join(_text(item) for item in value) if value else '[]'
    if isinstance(value, dict):
        return '; '.join('%s: %s' % (key, _text(item)) for key, item in value.items())
    return str(value)


def _cell(value, limit=CELL_LIMIT):
    text = _shorten(' '.join(_text(value).split()), limit)
    return text.replace('\\', '\\\\').replace('|', '\\|').replace('<', '&lt;').replace('>', '&gt;')


def _code(value):
    """Inline code that a backtick in the value cannot break out of."""
    text = _cell(value)
    if text == '\u2014':
        return text
    return '`` %s ``' % text if '`' in text else '`%s`' % text


def _where(record, many_hosts):
    task = _cell(record.get('task') or '')
    return '%s: %s' % (_cell(record.get('host')), task) if many_hosts else task


def _group_key(record):
    kind = record.get('kind')
    return (str(record.get('service')), KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER),
            str(kind))


def _markdown_body(doc, shown, left_out):
    """The Markdown report with ``shown`` records (deletions first), and a note on ``left_out``."""
    lines = [summary_line(doc), '']
    verb = 'planned' if doc['mode'] == 'plan' else 'applied'
    lines.append('Changes %s by `%s`, %s to %s (UTC). Failed tasks: %d.' % (
        verb, _cell(doc.get('playbook') or '?'), doc.get('started'), doc.get('finished'),
        doc['summary']['failed_tasks']))
    many_hosts = len(set(record.get('host') for record in doc['changes'])) > 1
    deletions = [record for record in shown if record.get('action') == 'delete']
    if deletions:
        lines += ['', '### :warning: Deletions (%d)' % doc['summary']['delete'], '']
        for record in deletions:
            lines.append('- **DELETE** %s (%s, task %s)' % (
                _cell(record.get('summary')), _cell(record.get('kind')), _where(record, many_hosts)))
    groups = {}
    for record in shown:
        groups.setdefault(_group_key(record), []).append(record)
    for key in sorted(groups):
        rows = sorted(groups[key], key=lambda rec: rec.get('action') != 'delete')
        lines += ['', '### %s / %s (%d)' % (key[0], key[2], len(rows)), '',
                  '| action | object | subject | before | after | summary | %s |' % (
                      'host: task' if many_hosts else 'task'),
                  '| --- | --- | --- | --- | --- | --- | --- |']
        for record in rows:
            lines.append('| %s | %s | %s | %s | %s | %s | %s |' % (
                ACTION_MARK.get(record.get('action'), _cell(record.get('action'))),
                _code(record.get('object')), _code(record.get('subject')), _cell(record.get('before')),
                _cell(record.get('after')), _cell(record.get('summary')), _where(record, many_hosts)))
    if left_out:
        lines += ['', '> **%d of %d changes were left out** to keep this report under %d characters; '
                      'the full list is in `%s`.' % (left_out, len(doc['changes']), MARKDOWN_LIMIT, JSON_NAME)]
    if doc['errors']:
        lines += ['', '### :x: Failed tasks (%d)' % len(doc['errors']), '']
        for error in doc['errors']:
            lines.append('- `%s` task **%s**: %s' % (
                _cell(error.get('host')), _cell(error.get('task')), _cell(error.get('msg'), MESSAGE_LIMIT)))
    return '\n'.join(lines) + '\n'


def render_markdown(doc, limit=MARKDOWN_LIMIT):
    """The Markdown report of a JSON report document, at most ``limit`` characters.

    Deletions come first. When everything does not fit, the most records that do are kept
    (deletions before other changes) and a note says how many were left out.
    """
    records = doc['changes']
    priority = ([rec for rec in records if rec.get('action') == 'delete']
                + [rec for rec in records if rec.get('action') != 'delete'])
    text = _markdown_body(doc, priority, 0)
    if len(text) <= limit:
        return text
    low, high = 0, len(priority) - 1
    while low < high:  # the largest count that fits
        middle = (low + high + 1) // 2
        if len(_markdown_body(doc, priority[:middle], len(priority) - middle)) <= limit:
            low = middle
        else:
            high = middle - 1
    text = _markdown_body(doc, priority[:low], len(priority) - low)
    if len(text) > limit:  # only the failures can make it this long
        note = '\n\n(cut at %d characters)\n' % limit
        text = text[:limit - len(note)] + note
    return text


def journal_lines(records, playbook, moment):
    """One JSON line per applied record: the record plus ``time``, ``host``, ``task`` and ``playbook``."""
    lines = []
    for record in records:
        entry = dict((key, record.get(key)) for key in RECORD_KEYS)
        entry['time'] = iso_utc(moment)
        entry['host'] = record.get('host')
        entry['task'] = record.get('task')
        entry['playbook'] = playbook
        lines.append(json.dumps(entry, sort_keys=False, ensure_ascii=False) + '\n')
    return lines


def write_reports(directory, doc):
    """Write the JSON and Markdown reports into ``directory``; return the two paths."""
    os.makedirs(directory, exist_ok=True)
    paths = (os.path.join(directory, JSON_NAME), os.path.join(directory, MARKDOWN_NAME))
    contents = (json.dumps(doc, indent=2, ensure_ascii=False) + '\n', render_markdown(doc))
    for path, content in zip(paths, contents):
        tmp = path + '.tmp'
        with open(tmp, 'w', encoding='utf-8') as handle:
            handle.write(content)
        os.replace(tmp, path)
    return paths


def append_journal(path, lines):
    with open(path, 'a', encoding='utf-8') as handle:
        handle.writelines(lines)


# -- the callback -------------------------------------------------------------------------------

def forces_check_mode(task):
    """Whether the task, or a block, role or play around it, says ``check_mode: true`` itself.

    Such a task only previews (the collection's roles check every reference that way before
    the first write): its records are neither applied nor part of what the real run does.
    Read from the task's own source, since under ``--check`` the resolved value is true anyway.
    """
    node, seen = task, 0
    while node is not None and seen < 50:
        seen += 1
        get_ds = getattr(node, 'get_ds', None)
        source = get_ds() if callable(get_ds) else None
        if isinstance(source, dict) and 'check_mode' in source:
            value = source['check_mode']
            return value is True or (isinstance(value, str) and value.strip().lower() in ('true', 'yes', 'on', '1'))
        node = getattr(node, '_parent', None) or getattr(node, '_role', None) or getattr(node, '_play', None)
    return False


def _result_parts(result):
    """(result dict, task, host name, task fields) across ansible-core 2.17 to 2.19+."""
    data = getattr(result, 'result', None)
    if not isinstance(data, dict):
        data = result._result
    task = getattr(result, 'task', None) or result._task
    host = getattr(result, 'host', None) or result._host
    fields = getattr(result, 'task_fields', None)
    if fields is None:
        fields = getattr(result, '_task_fields', None) or {}
    return data, task, host.get_name(), fields


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'mailops.mailadmin.change_report'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._records = []
        self._errors = []
        self._playbooks = []
        self._started = None
        self._journal_failed = False

    def _mode(self):
        return 'plan' if context.CLIARGS.get('check') else 'apply'

    def v2_playbook_on_start(self, playbook):
        if self._started is None:
            self._started = iso_utc(utc_now())
        name = getattr(playbook, '_file_name', None) or '?'
        try:
            relative = os.path.relpath(name)
        except ValueError:
            relative = name
        self._playbooks.append(name if relative.startswith('..') else relative)

    def _ours(self, task):
        action = getattr(task, 'action', None)
        if is_collection_action(action):
            return True
        if not isinstance(action, str) or '{{' in action:
            return False  # resolving a templated action from here only gives a warning
        return is_collection_action(action, getattr(task, 'resolved_action', None))

    def _collect(self, result, failed):
        data, task, host, fields = _result_parts(result)
        if not self._ours(task):
            return
        secrets = secrets_in(fields.get('args') or getattr(task, 'args', None), os.environ)
        name = str(fields.get('name') or task.get_name())
        if failed:
            self._errors.append(mask({'host': host, 'task': name, 'msg': failure_message(data)}, secrets))
        ran_in_check_mode = fields.get('check_mode', self._mode() == 'plan')
        if (ran_in_check_mode and self._mode() == 'apply') or forces_check_mode(task):
            return  # a preview: nothing of it is applied, nor part of what a real run does
        records = mask(records_of(data, host, name), secrets)
        self._records.extend(records)
        if records and not ran_in_check_mode:
            self._journal(records)

    def _journal(self, records):
        path = self.get_option('journal')
        if not path or self._journal_failed:
            return
        try:
            append_journal(path, journal_lines(records, self._playbook_name(), utc_now()))
        except (OSError, UnicodeError) as exc:
            self._journal_failed = True
            self._display.warning('mailops.mailadmin.change_report: cannot append to the journal %s: %s'
                                  % (path, exc.strerror if isinstance(exc, OSError) else exc))

    def _playbook_name(self):
        return ', '.join(self._playbooks) if self._playbooks else None

    def v2_runner_on_ok(self, result):
        self._collect(result, failed=False)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._collect(result, failed=True)

    def v2_runner_on_unreachable(self, result):
        self._collect(result, failed=True)

    def v2_playbook_on_stats(self, stats):
        directory = self.get_option('report_dir') or os.getcwd()
        doc = build_document(self._records, self._errors, self._mode(), self._playbook_name(),
                             self._started or iso_utc(utc_now()), iso_utc(utc_now()))
        try:
            write_reports(directory, doc)
        except (OSError, UnicodeError) as exc:
            self._display.warning('mailops.mailadmin.change_report: cannot write the change report to %s: %s'
                                  % (directory, exc.strerror if isinstance(exc, OSError) else exc))
