# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of what the change_report callback wrote in runme.sh's runs.

    check.py files WORK                      the reports of plan/, apply/, rerun/ and the journal
    check.py warnings STDERR REPORT JOURNAL  one warning naming each unwritable path
"""

from __future__ import annotations

import json
import os
import re
import sys

SECRETS = ('y360-admin-7Hq2ZpL9wXc4', 'Uss-Pa55w0rd-Zx81!', 'ussbearer-4f9a0c7e2d1b8a63', 'pdd-tok-Vb7Xs2Kq9Lm3')
RECORD_KEYS = ['service', 'kind', 'action', 'object', 'subject', 'before', 'after', 'summary', 'request_id']
FAILING_TASK = 'A failing task of the collection (the mailbox reference is the admin token)'
# (task, action, kind, object, subject) of every change the playbook makes against the seed, in order.
EXPECTED = [
    ("Delegation of Bob's mailbox on", 'create', 'delegation', 'bob@example.com', None),
    ("Delegation of Carol's mailbox off (short module name)", 'delete', 'delegation', 'carol@example.com', None),
    ('Access to the shared mailboxes (a loop)', 'delete', 'mailbox_access', 'support@example.com', 'bob@example.com'),
    ('Access to the shared mailboxes (a loop)', 'create', 'mailbox_access', 'support@example.com', 'erin@example.com'),
    ('Access to the shared mailboxes (a loop)', 'update', 'mailbox_access', 'billing@example.com', 'carol@example.com'),
]


def fail(message):
    print('FAIL: %s' % message)
    sys.exit(1)


def expect(condition, message):
    if not condition:
        fail(message)


def read(path):
    with open(path, encoding='utf-8') as handle:
        return handle.read()


def load_report(work, name, mode):
    doc = json.loads(read(os.path.join(work, name, 'mailadmin-changes.json')))
    page = read(os.path.join(work, name, 'mailadmin-changes.md'))
    expect(doc['format_version'] == '1.0', '%s: format_version %r' % (name, doc['format_version']))
    expect(doc['mode'] == mode, '%s: mode %r, wanted %r' % (name, doc['mode'], mode))
    expect(doc['playbook'] == 'changes.yml', '%s: playbook %r' % (name, doc['playbook']))
    stamp = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$')
    expect(stamp.match(doc['started']) and stamp.match(doc['finished']) and doc['started'] <= doc['finished'],
           '%s: started %r finished %r' % (name, doc['started'], doc['finished']))
    expect(len(doc['errors']) == 1, '%s: errors %r' % (name, doc['errors']))
    error = doc['errors'][0]
    expect(sorted(error) == ['host', 'msg', 'task'] and error['host'] == 'localhost' and error['task'] == FAILING_TASK,
           '%s: error %r' % (name, error))
    for record in doc['changes']:
        expect(list(record) == RECORD_KEYS + ['host', 'task'] and record['host'] == 'localhost',
               '%s: record keys %r' % (name, record))
    return doc, page


def without_request_id(records):
    return [dict(record, request_id=None) for record in records]


def check_files(work):
    plan, plan_page = load_report(work, 'plan', 'plan')
    apply, apply_page = load_report(work, 'apply', 'apply')
    rerun, rerun_page = load_report(work, 'rerun', 'apply')

    seen = [(r['task'], r['action'], r['kind'], r['object'], r['subject']) for r in apply['changes']]
    expect(seen == EXPECTED, 'apply records:\n%s' % json.dumps(seen, indent=1))
    expect(without_request_id(plan['changes']) == without_request_id(apply['changes']),
           'the plan and the apply differ:\n%s\n%s' % (plan['changes'], apply['changes']))
    expect(all(r['request_id'] is None for r in plan['changes']), 'a planned record has a request id')
    expect(all(r['request_id'] for r in apply['changes']), 'an applied record has no request id')
    expect(rerun['changes'] == [], 'the re-run changed: %r' % rerun['changes'])

    counts = {'create': 2, 'update': 1, 'delete': 2, 'failed_tasks': 1}
    expect(plan['summary'] == counts and apply['summary'] == counts, 'summary %r %r' % (plan['summary'], apply['summary']))
    expect(rerun['summary'] == dict(create=0, update=0, delete=0, failed_tasks=1), 'rerun summary %r' % rerun['summary'])

    expect(plan_page.splitlines()[0] == 'Plan: 2 to create, 1 to update, 2 to delete', plan_page)
    expect(apply_page.splitlines()[0] == 'Applied: 2 to create, 1 to update, 2 to delete', apply_page)
    expect(rerun_page.splitlines()[0] == 'No changes.', rerun_page)
    for page in (plan_page, apply_page):
        deletions = page.index('Deletions')
        expect(deletions < page.index('| action |'), 'deletions do not come first:\n' + page)
        expect(page.count('**DELETE**') == 2 and page.count('**- delete**') == 2, 'deletions not marked:\n' + page)
        expect(page.index('revoke shared_mailbox_reader, shared_mailbox_sender on support@example.com from '
                          'bob@example.com') < page.index('| action |'), page)
        expect(FAILING_TASK in page, 'the failed task is missing:\n' + page)
    for page in (plan_page, apply_page, rerun_page):
        expect('decoy' not in page, 'another collection\'s result was read:\n' + page)

    lines = read(os.path.join(work, 'journal.jsonl')).splitlines()
    expect(len(lines) == len(apply['changes']), 'journal has %d lines, the apply %d changes' % (len(lines), len(apply['changes'])))
    for line, record in zip(lines, apply['changes']):
        entry = json.loads(line)
        expect(sorted(entry) == sorted(RECORD_KEYS + ['time', 'host', 'task', 'playbook']), 'journal keys %r' % entry)
        expect(re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$', entry['time']), 'journal time %r' % entry['time'])
        expect(apply['started'] <= entry['time'] <= apply['finished'], 'journal time outside the apply %r' % entry)
        expect(entry['playbook'] == 'changes.yml', 'journal playbook %r' % entry['playbook'])
        expect(dict((key, entry[key]) for key in record) == record, 'journal %r != report %r' % (entry, record))

    written = [os.path.join(work, name, ext) for name in ('plan', 'apply', 'rerun')
               for ext in ('mailadmin-changes.json', 'mailadmin-changes.md')] + [os.path.join(work, 'journal.jsonl')]
    for path in written:
        text = read(path)
        for secret in SECRETS:
            expect(secret not in text, 'a secret is in %s' % path)
    # The search above looks at text that holds the records.
    expect('bob@example.com' in read(written[0]), 'the search finds nothing at all')
    print('the reports and the journal: ok')


def check_warnings(stderr_path, *paths):
    # Ansible wraps warnings at the terminal width: compare without whitespace.
    text = re.sub(r'\s+', '', read(stderr_path))
    for path in paths:
        needle = re.sub(r'\s+', '', path)
        expect(text.count('change_report:cannot') >= 1 and needle + ':' in text,
               'no warning naming %s:\n%s' % (path, read(stderr_path)))
    expect(text.count('cannotappendtothejournal') == 1, 'the journal warning should come once:\n' + read(stderr_path))
    expect(text.count('cannotwritethechangereport') == 1, 'the report warning should come once:\n' + read(stderr_path))
    print('the warnings: ok')


if __name__ == '__main__':
    if sys.argv[1] == 'files':
        check_files(sys.argv[2])
    else:
        check_warnings(*sys.argv[2:])
