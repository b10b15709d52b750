# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import datetime
import json
import os

import pytest

from ansible import context
from ansible.module_utils.common.collections import ImmutableDict

from ansible_collections.mailops.mailadmin.plugins.callback import change_report as cr
from ansible_collections.mailops.mailadmin.plugins.module_utils import _changes

TOKEN = 'y360-admin-7Hq2ZpL9wXc4'
READER = 'shared_mailbox_reader'
SENDER = 'shared_mailbox_sender'
OWNER = 'shared_mailbox_owner'


def grant(mailbox='support@example.com', actor='erin@example.com'):
    return _changes.access_change(mailbox, actor, None, [READER])


def revoke(mailbox='support@example.com', actor='bob@example.com'):
    return _changes.access_change(mailbox, actor, [READER, SENDER], None)


def with_where(record, host='localhost', task='Access'):
    return dict(record, host=host, task=task)


def doc_of(records, errors=(), mode='plan'):
    return cr.build_document([with_where(rec) for rec in records], list(errors), mode, 'site.yml',
                             '2026-12-01T10:00:00Z', '2026-12-01T10:00:05Z')


# -- records out of results --------------------------------------------------------------------

def test_records_of_takes_only_record_fields_and_adds_host_and_task():
    record = dict(grant(), request_id='r-1', extra='not written', token=TOKEN)
    result = {'changed': True, 'changes': [record], 'access': [{'secret': TOKEN}], 'invocation': {}}
    assert cr.records_of(result, 'localhost', 'Grant') == [
        dict(grant(), request_id='r-1', host='localhost', task='Grant')]
    assert list(cr.records_of(result, 'h', 't')[0]) == list(_changes.RECORD_KEYS) + ['host', 'task']


def test_records_of_reads_every_loop_item_in_order_and_skips_items_without_changes():
    result = {'results': [{'changes': [revoke()]}, {'skipped': True}, {'changes': []},
                          {'changes': [grant(), 'not a record']}, 'not a dict']}
    assert [rec['action'] for rec in cr.records_of(result, 'h', 't')] == ['delete', 'create']


def test_records_of_a_result_without_changes_is_empty():
    assert cr.records_of({'changed': False, 'msg': 'x'}, 'h', 't') == []
    assert cr.records_of({'censored': 'hidden', 'changed': True}, 'h', 't') == []


@pytest.mark.parametrize('action, resolved, ours', [
    ('mailops.mailadmin.mailbox_access', None, True),
    ('mailbox_access', 'mailops.mailadmin.mailbox_access', True),
    ('ansible.builtin.debug', 'ansible.builtin.debug', False),
    ('mailops.mailadminx.thing', None, False),
    ('community.general.mailbox_access', None, False),
    (None, None, False),
])
def test_is_collection_action(action, resolved, ours):
    assert cr.is_collection_action(action, resolved) is ours


def test_failure_message_of_plain_loop_and_censored_results():
    assert cr.failure_message({'failed': True, 'msg': 'Unknown mailbox nobody'}) == 'Unknown mailbox nobody'
    assert cr.failure_message({'failed': True}) == 'the task failed'
    looped = {'failed': True, 'msg': 'One or more items failed',
              'results': [{'failed': False, 'msg': 'ok'}, {'failed': True, 'msg': 'first'}, {'failed': True}]}
    assert cr.failure_message(looped) == 'first; failed'
    assert 'no_log' in cr.failure_message({'failed': True, 'censored': "hidden due to 'no_log: true'"})


def test_secrets_and_masking():
    secrets = cr.secrets_in({'token': TOKEN, 'password': '{{ vault_pw }}', 'mailbox': 'alice'},
                            {'CLOUDUSS_PASSWORD': 'Uss-Pa55w0rd', 'HOME': '/root', 'PDD_TOKEN': ''})
    assert secrets == {TOKEN, 'Uss-Pa55w0rd'}
    masked = cr.mask({'msg': 'bad token %s for Uss-Pa55w0rd' % TOKEN, 'n': 3}, secrets)
    assert masked == {'msg': 'bad token ******** for ********', 'n': 3}
    assert cr.mask({'msg': 'x'}, set()) == {'msg': 'x'}


# -- the document and the summary line ---------------------------------------------------------

def test_document_counts_actions_and_failed_tasks():
    records = [revoke(), grant(), grant(actor='dave@example.com'),
               _changes.access_change('billing@example.com', 'carol@example.com', [SENDER], [OWNER])]
    errors = [{'host': 'localhost', 'task': 'T', 'msg': 'm'}]
    doc = doc_of(records, errors, mode='apply')
    assert doc['format_version'] == '1.0'
    assert doc['mode'] == 'apply'
    assert doc['summary'] == {'create': 2, 'update': 1, 'delete': 1, 'failed_tasks': 1}
    assert doc['changes'][0]['host'] == 'localhost'
    assert doc['errors'] == errors
    assert json.loads(json.dumps(doc)) == doc


@pytest.mark.parametrize('mode, records, line', [
    ('plan', [grant(), revoke()], 'Plan: 1 to create, 0 to update, 1 to delete'),
    ('apply', [grant(), revoke()], 'Applied: 1 to create, 0 to update, 1 to delete'),
    ('plan', [], 'No changes.'),
    ('apply', [], 'No changes.'),
])
def test_summary_line_is_the_first_line(mode, records, line):
    doc = doc_of(records, mode=mode)
    assert cr.summary_line(doc) == line
    assert cr.render_markdown(doc).splitlines()[0] == line


# -- Markdown ----------------------------------------------------------------------------------

def test_markdown_lists_deletions_first_and_marked_then_one_table_per_service_and_kind():
    records = [_changes.delegation_change('bob@example.com', True), grant(), revoke(),
               _changes.clouduss_change('eva@acme-corp.net', {'executive': False}, None),
               _changes.delegation_change('carol@example.com', False)]
    page = cr.render_markdown(doc_of(records))
    headings = [line for line in page.splitlines() if line.startswith('### ')]
    assert headings == ['### :warning: Deletions (3)', '### clouduss / clouduss_mailbox (1)',
                        '### y360 / delegation (2)', '### y360 / mailbox_access (2)']
    deletions = page.split('### :warning: Deletions (3)')[1].split('###')[0]
    assert deletions.count('- **DELETE** ') == 3
    assert 'remove eva@acme-corp.net from CloudUSS' in deletions
    # Inside a table the deletions come first, marked; additions keep their order after them.
    access = page.split('### y360 / mailbox_access (2)')[1]
    rows = [line for line in access.splitlines() if line.startswith('| ') and '---' not in line][1:]
    assert rows[0].startswith('| **- delete** | `support@example.com` | `bob@example.com` | '
                              'shared_mailbox_reader, shared_mailbox_sender | \u2014 |')
    assert rows[1].startswith('| + create | `support@example.com` | `erin@example.com` | \u2014 | shared_mailbox_reader |')
    delegation = page.split('### y360 / delegation (2)')[1].split('###')[0]
    assert delegation.index('carol@example.com') < delegation.index('bob@example.com')
    assert '| ~ update |' not in page


def test_markdown_cells_cannot_break_the_table_or_inject_html():
    record = _changes.autoreply_change('alice@example.com', 'away | back`', None,
                                       {'name': 'away', 'text': 'line one\nline two <script>'})
    page = cr.render_markdown(doc_of([record]))
    row = [line for line in page.splitlines() if line.startswith('| + create')][0]
    assert row.count(' | ') == 6  # seven cells, none split by the pipe in the name
    assert 'away \\| back`' in row
    assert '<script>' not in page and '&lt;script&gt;' in row
    assert 'line one line two' in row


def test_markdown_lists_failed_tasks_with_their_messages():
    errors = [{'host': 'localhost', 'task': 'Grant', 'msg': 'Unknown mailbox nobody@example.com'}]
    page = cr.render_markdown(doc_of([], errors))
    assert page.splitlines()[0] == 'No changes.'
    assert '### :x: Failed tasks (1)' in page
    assert '- `localhost` task **Grant**: Unknown mailbox nobody@example.com' in page


def test_markdown_shows_the_host_only_when_there_are_several():
    one = cr.render_markdown(doc_of([grant()]))
    assert '| task |' in one and 'localhost' not in one
    doc = cr.build_document([with_where(grant(), 'a'), with_where(revoke(), 'b')], [], 'plan', 'p.yml', 's', 'f')
    page = cr.render_markdown(doc)
    assert '| host: task |' in page and '| a: Access |' in page


def many_records(count, every=10):
    """``count`` access records, each ``every``-th a removal, each 7th (of the others) a role change."""
    records = []
    for number in range(count):
        actor = 'person%05d@example.com' % number
        if number % every == 0:
            records.append(revoke(actor=actor))
        elif number % 7 == 3:
            records.append(_changes.access_change('support@example.com', actor, [READER], [OWNER]))
        else:
            records.append(grant(actor=actor))
    return _changes.ordered(records)


def test_markdown_under_the_cap_is_whole():
    doc = doc_of(many_records(50))
    page = cr.render_markdown(doc)
    assert 'left out' not in page
    lines = [line for line in page.splitlines() if 'person' in line]
    assert len(lines) == 50 + 5  # every row, and the five deletions listed first


def test_markdown_is_cut_to_the_cap_with_a_note_of_what_was_left_out():
    doc = doc_of(many_records(2000, every=50), [{'host': 'localhost', 'task': 'T', 'msg': 'it broke'}])
    page = cr.render_markdown(doc)
    assert len(page) <= cr.MARKDOWN_LIMIT
    assert page.splitlines()[0] == 'Plan: 1680 to create, 280 to update, 40 to delete'
    rows = [line for line in page.splitlines() if line.startswith('| ') and 'person' in line]
    left_out = 2000 - len(rows)
    assert left_out > 0
    assert '**%d of 2000 changes were left out**' % left_out in page
    assert 'mailadmin-changes.json' in page
    # Deletions are kept before any other change is, and the failures are still shown.
    assert sum(1 for row in rows if row.startswith('| **- delete**')) == 40
    assert page.count('- **DELETE** ') == 40
    assert '### :x: Failed tasks (1)' in page and 'it broke' in page
    # One more row would not have fitted: the cut keeps as much as it can.
    assert len(cr._markdown_body(doc, doc['changes'][:len(rows) + 1], left_out - 1)) > cr.MARKDOWN_LIMIT


def test_markdown_cap_holds_even_for_huge_failure_messages():
    errors = [{'host': 'h%d' % n, 'task': 'T', 'msg': 'x' * 5000} for n in range(100)]
    page = cr.render_markdown(doc_of([grant()], errors), limit=20000)
    assert len(page) <= 20000
    assert page.startswith('Plan: 1 to create')


# -- the journal -------------------------------------------------------------------------------

def test_journal_lines_are_records_with_time_host_task_and_playbook():
    moment = datetime.datetime(2026, 12, 1, 13, 14, 15, tzinfo=datetime.timezone(datetime.timedelta(hours=3)))
    records = [with_where(dict(grant(), request_id='r-1')), with_where(revoke(), task='Revoke')]
    lines = cr.journal_lines(records, 'site.yml', moment)
    assert len(lines) == 2 and all(line.endswith('\n') and line.count('\n') == 1 for line in lines)
    first = json.loads(lines[0])
    assert list(first) == list(_changes.RECORD_KEYS) + ['time', 'host', 'task', 'playbook']
    assert first['time'] == '2026-12-01T10:14:15Z'
    assert first['request_id'] == 'r-1' and first['host'] == 'localhost' and first['playbook'] == 'site.yml'
    assert json.loads(lines[1])['task'] == 'Revoke'


# -- the callback in a simulated run -----------------------------------------------------------

class FakeHost:
    def __init__(self, name):
        self.name = name

    def get_name(self):
        return self.name


class FakeNode:
    """A block or play: its source (``get_ds``) and its parent."""

    def __init__(self, source=None, parent=None):
        self.source = source
        self._parent = parent

    def get_ds(self):
        return self.source


class FakeTask(FakeNode):
    def __init__(self, action, name, args=None, resolved=None, source=None, parent=None):
        super(FakeTask, self).__init__(source, parent)
        self.action = action
        self.resolved_action = resolved or action
        self.name = name
        self.args = args or {}

    def get_name(self):
        return self.name


class FakeResult:
    """The parts of a callback's task result the plugin reads (ansible-core 2.17 to 2.19 names)."""

    def __init__(self, data, action='mailops.mailadmin.mailbox_access', name='Access', args=None,
                 check_mode=False, resolved=None, source=None, parent=None):
        self._result = data
        self._task = FakeTask(action, name, args, resolved, source, parent)
        self._host = FakeHost('localhost')
        self._task_fields = {'name': name, 'args': args or {}, 'check_mode': check_mode}


class FakeDisplay:
    def __init__(self):
        self.warnings = []
        self.verbosity = 0

    def warning(self, msg, *args, **kwargs):
        self.warnings.append(msg)


class FakePlaybook:
    _file_name = 'site.yml'


@pytest.fixture
def run(monkeypatch, tmp_path):
    """A callback in a run: ``run(check=...)``; options point into ``tmp_path``."""
    monkeypatch.delenv('Y360_TOKEN', raising=False)

    def start(check=False, report_dir=None, journal=None):
        monkeypatch.setattr(context, 'CLIARGS', ImmutableDict(check=check))
        callback = cr.CallbackModule(display=FakeDisplay())
        callback._plugin_options = {'report_dir': report_dir or str(tmp_path / 'report'), 'journal': journal}
        callback.v2_playbook_on_start(FakePlaybook())
        return callback
    return start


def read_report(directory):
    with open(os.path.join(directory, cr.JSON_NAME)) as handle:
        doc = json.load(handle)
    with open(os.path.join(directory, cr.MARKDOWN_NAME)) as handle:
        return doc, handle.read()


def test_apply_run_writes_reports_and_journal_of_this_collection_only(run, tmp_path):
    journal = str(tmp_path / 'journal.jsonl')
    callback = run(journal=journal)
    callback.v2_runner_on_ok(FakeResult({'changed': True, 'changes': [dict(revoke(), request_id='r-1')]}))
    callback.v2_runner_on_ok(FakeResult({'changed': True, 'changes': [grant()]}, action='ansible.builtin.debug'))
    callback.v2_runner_on_ok(FakeResult({'results': [{'changes': [dict(grant(), request_id='r-2')]}]},
                                        action='mailbox_access', resolved='mailops.mailadmin.mailbox_access',
                                        name='Loop'))
    callback.v2_runner_on_failed(FakeResult({'failed': True, 'msg': 'decoy'}, action='ansible.builtin.fail'))
    callback.v2_runner_on_failed(FakeResult({'failed': True, 'msg': 'wait timed out', 'changes': [
        dict(grant(actor='dave@example.com'), request_id='r-3')]}, name='Partial'))
    callback.v2_playbook_on_stats(None)

    doc, page = read_report(str(tmp_path / 'report'))
    assert doc['mode'] == 'apply' and doc['playbook'] == 'site.yml'
    assert [(rec['task'], rec['request_id']) for rec in doc['changes']] == [
        ('Access', 'r-1'), ('Loop', 'r-2'), ('Partial', 'r-3')]
    assert doc['errors'] == [{'host': 'localhost', 'task': 'Partial', 'msg': 'wait timed out'}]
    assert doc['summary'] == {'create': 2, 'update': 0, 'delete': 1, 'failed_tasks': 1}
    assert page.startswith('Applied: 2 to create, 0 to update, 1 to delete\n')
    assert 'decoy' not in page
    with open(journal) as handle:
        entries = [json.loads(line) for line in handle]
    assert [entry['request_id'] for entry in entries] == ['r-1', 'r-2', 'r-3']
    assert callback._display.warnings == []


def test_plan_run_writes_a_plan_and_never_the_journal(run, tmp_path):
    journal = str(tmp_path / 'journal.jsonl')
    callback = run(check=True, journal=journal)
    callback.v2_runner_on_ok(FakeResult({'changed': True, 'changes': [grant()]}, check_mode=True))
    callback.v2_playbook_on_stats(None)
    doc, page = read_report(str(tmp_path / 'report'))
    assert doc['mode'] == 'plan'
    assert page.startswith('Plan: 1 to create, 0 to update, 0 to delete\n')
    assert not os.path.exists(journal)


def test_a_check_mode_task_in_an_apply_run_is_neither_reported_nor_journaled(run, tmp_path):
    journal = str(tmp_path / 'journal.jsonl')
    callback = run(journal=journal)
    callback.v2_runner_on_ok(FakeResult({'changed': False, 'changes': [grant()]}, check_mode=True,
                                        source={'check_mode': True}))
    callback.v2_runner_on_failed(FakeResult({'failed': True, 'msg': 'Unknown mailbox x', 'changes': []},
                                            check_mode=True, name='Check'))
    callback.v2_playbook_on_stats(None)
    doc, page = read_report(str(tmp_path / 'report'))
    assert doc['changes'] == []
    assert doc['errors'] == [{'host': 'localhost', 'task': 'Check', 'msg': 'Unknown mailbox x'}]
    assert not os.path.exists(journal)


def test_a_task_forced_into_check_mode_is_left_out_of_a_plan(run, tmp_path):
    callback = run(check=True)
    play = FakeNode({'hosts': 'localhost'})
    probe_block = FakeNode({'check_mode': True, 'block': []}, play)
    callback.v2_runner_on_ok(FakeResult({'changes': [revoke()]}, check_mode=True, name='Probe', parent=probe_block))
    callback.v2_runner_on_ok(FakeResult({'changes': [grant()]}, check_mode=True, name='Real',
                                        source={'name': 'Real'}, parent=FakeNode({'block': []}, play)))
    callback.v2_playbook_on_stats(None)
    doc, dummy = read_report(str(tmp_path / 'report'))
    assert [rec['task'] for rec in doc['changes']] == ['Real']


@pytest.mark.parametrize('sources, forced', [
    ([{'check_mode': True}], True),
    ([{'check_mode': 'yes'}], True),
    ([{'name': 't'}, {'block': []}, {'check_mode': True}], True),      # set on the play
    ([{'check_mode': False}, {'check_mode': True}], False),            # the nearest wins
    ([{'check_mode': '{{ preview }}'}], False),                        # unknown here: not a preview
    ([{'name': 't'}, None, {'hosts': 'all'}], False),
])
def test_forces_check_mode_reads_the_nearest_source(sources, forced):
    node = None
    for source in reversed(sources):
        node = FakeNode(source, node)
    assert cr.forces_check_mode(node) is forced


def test_secrets_in_arguments_and_environment_are_masked(run, tmp_path, monkeypatch):
    callback = run(journal=str(tmp_path / 'journal.jsonl'))
    monkeypatch.setenv('CLOUDUSS_PASSWORD', 'Uss-Pa55w0rd-Zx81!')
    leaky = dict(grant(), summary='grant with %s and Uss-Pa55w0rd-Zx81!' % TOKEN)
    callback.v2_runner_on_failed(FakeResult({'failed': True, 'changes': [leaky],
                                             'msg': 'token %s refused' % TOKEN}, args={'token': TOKEN}))
    callback.v2_playbook_on_stats(None)
    written = [open(os.path.join(str(tmp_path / 'report'), name)).read() for name in (cr.JSON_NAME, cr.MARKDOWN_NAME)]
    written.append(open(str(tmp_path / 'journal.jsonl')).read())
    for text in written:
        assert TOKEN not in text and 'Uss-Pa55w0rd-Zx81!' not in text
        assert '********' in text


def test_unwritable_report_dir_warns_naming_the_path(run, tmp_path):
    blocker = tmp_path / 'a-file'
    blocker.write_text('')
    callback = run(report_dir=str(blocker / 'reports'))
    callback.v2_runner_on_ok(FakeResult({'changed': True, 'changes': [grant()]}))
    callback.v2_playbook_on_stats(None)  # does not raise
    assert len(callback._display.warnings) == 1
    assert str(blocker / 'reports') in callback._display.warnings[0]


def test_unwritable_journal_warns_once_naming_the_path(run, tmp_path):
    callback = run(journal=str(tmp_path))  # a directory
    for dummy in range(3):
        callback.v2_runner_on_ok(FakeResult({'changed': True, 'changes': [grant()]}))
    callback.v2_playbook_on_stats(None)
    assert len(callback._display.warnings) == 1
    assert 'journal %s:' % tmp_path in callback._display.warnings[0]
    doc, dummy = read_report(str(tmp_path / 'report'))
    assert len(doc['changes']) == 3  # the report is still written


def test_report_dir_defaults_to_the_current_directory(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    callback = run()
    callback._plugin_options['report_dir'] = None
    callback.v2_playbook_on_stats(None)
    doc, page = read_report(str(tmp_path))
    assert page == 'No changes.\n' + page.split('\n', 1)[1]
    assert doc['changes'] == [] and doc['errors'] == []


def test_markdown_cut_keeps_deletions_before_other_changes():
    doc = doc_of(many_records(1000, every=2))
    page = cr.render_markdown(doc)
    rows = [line for line in page.splitlines() if line.startswith('| ') and 'person' in line]
    assert 0 < len(rows) < 500
    assert all(row.startswith('| **- delete**') for row in rows)
    assert '**%d of 1000 changes were left out**' % (1000 - len(rows)) in page
