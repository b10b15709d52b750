# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Benchmark of mailops.mailadmin against the local API server with a fixed latency.

Run it with scripts/benchmark (which provides the venv and the collection path). It starts the
server with --latency-ms, runs the playbooks of benchmark/playbooks/ with ansible-playbook,
counts requests in the server's request log, times tasks with the bench_timer callback, and
prints Markdown tables (also written to --output when given).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SERVER_FILES = os.path.join(REPO, 'tests', 'integration', 'targets', 'setup_mailadmin_server', 'files')
PLAYBOOKS = os.path.join(HERE, 'playbooks')

MODULES = (
    'delegated_mailbox', 'delegated_mailbox_info', 'mailbox_access', 'mailbox_access_info',
    'mail_list_permissions', 'mail_list_permissions_info', 'clouduss_mailbox',
    'clouduss_mailbox_info', 'pdd_mailbox_info',
)
# Requests in flight at once: the client's thread pool for per-actor calls (mailbox_access
# CONCURRENCY) versus one at a time for a playbook's own tasks.
MODULE_CONCURRENCY = 16
# The paginator's: once the first page tells how many there are, the others are read 8 at once
# (module_utils/_http.py PAGE_WORKERS).
INFO_CONCURRENCY = 8
PEOPLE = 30
LARGE_ORG = 2500
RATE_LIMIT = 20             # requests a second the server allows on the Yandex 360 host
RATE_MAILBOXES = 300        # generated delegated mailboxes read under the limit...
RATE_PAGE_SIZE = 10         # ...in pages of this many (the server clamps perPage), 31 reads
PARTS = ('modules', 'grants', 'large', 'rate')
WARM_UP = "Warm up (Ansible's first-task costs; not in the tables)"


class Server:
    """The local API server, started with a fixed latency, and its control API."""

    def __init__(self, workdir, latency_ms):
        self.workdir = workdir
        env = dict(os.environ, PYTHONPATH=SERVER_FILES)
        out = subprocess.run(
            [sys.executable, '-m', 'mailadmin_fakeapi', '--seed', os.path.join(SERVER_FILES, 'seed.json'),
             '--state-dir', os.path.join(workdir, 'server'), '--latency-ms', str(latency_ms),
             '--lifetime', '3600', '--daemon'],
            env=env, check=True, capture_output=True, text=True).stdout
        self.info = json.loads(out)
        self.control_url = self.info['control_url']

    def control(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode('utf-8')
        request = urllib.request.Request(self.control_url + path, data=data, method=method,
                                         headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(request, timeout=120) as answer:
            return json.load(answer)

    def requests(self):
        rows = self.control('GET', '/requests')['requests']
        return dict(total=len(rows), writes=sum(1 for r in rows if r['write']),
                    reads=sum(1 for r in rows if not r['write']), rows=rows)

    def stop(self):
        try:
            self.control('POST', '/shutdown')
        except OSError:
            pass


def bench_vars(server):
    with open(os.path.join(SERVER_FILES, 'seed.json'), encoding='utf-8') as handle:
        seed = json.load(handle)
    admin = next(t for t, info in seed['y360']['tokens'].items() if info.get('admin'))
    user = next(u for u in seed['clouduss']['users'] if not u.get('mfa'))
    pdd_token = next(t for t, domains in seed['pdd']['tokens'].items() if 'example.com' in domains)
    info = server.info
    return {'bench': {
        'y360': {'token': admin, 'org_id': seed['y360']['org_id'], 'api_url': info['y360_url'],
                 'cloud_api_url': info['cloud_url']},
        'clouduss': {'username': user['username'], 'password': user['password'], 'api_url': info['clouduss_url']},
        'pdd': {'token': pdd_token, 'api_url': info['pdd_url']},
    }}


class Runner:
    """Runs one playbook with extra vars, returning its wall time and each task's time."""

    def __init__(self, workdir, base_vars):
        self.workdir = workdir
        self.counter = 0
        self.base_vars = base_vars
        # Task time of ansible.builtin.ping (after a warm-up task) in every playbook run: what
        # Ansible itself costs per task on this machine, whatever the module.
        self.ping_times = []

    def run(self, playbook, tags, extra=None):
        self.counter += 1
        vars_file = os.path.join(self.workdir, 'vars%d.json' % self.counter)
        timer_file = os.path.join(self.workdir, 'timer%d.json' % self.counter)
        with open(vars_file, 'w', encoding='utf-8') as handle:
            json.dump(dict(self.base_vars, **(extra or {})), handle)
        env = dict(os.environ, BENCH_TIMER_FILE=timer_file,
                   ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, 'callback_plugins'),
                   ANSIBLE_CALLBACKS_ENABLED='bench_timer', ANSIBLE_LOCALHOST_WARNING='false',
                   ANSIBLE_INVENTORY_UNPARSED_WARNING='false', ANSIBLE_RETRY_FILES_ENABLED='false')
        started = time.monotonic()
        proc = subprocess.run(['ansible-playbook', os.path.join(PLAYBOOKS, playbook), '--tags', tags,
                               '-e', '@' + vars_file], env=env, capture_output=True, text=True, check=False)
        wall = time.monotonic() - started
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-2000:])
            raise SystemExit('%s --tags %s failed (exit %d)' % (playbook, tags, proc.returncode))
        with open(timer_file, encoding='utf-8') as handle:
            tasks = json.load(handle)
        self.ping_times.append(tasks['Bench ping'])
        return wall, tasks, proc.stdout


def floor_seconds(requests, latency_ms, concurrency):
    return requests * latency_ms / 1000.0 / concurrency


def timeline(rows, latency_ms):
    """What the server saw of one task, from the received/answered times of its log entries.

    ``span``: first request received to last one answered. ``rounds``: the fewest back-to-back
    latency windows that hold every request's arrival (a request arriving a full latency after
    the first of its window had to wait for an answer, so it starts a new window); ``rounds ×
    latency`` is the waiting that this request pattern cannot avoid. ``peak``: most requests in
    flight at once.
    """
    if not rows:
        return dict(span=0.0, rounds=0, peak=0)
    latency = latency_ms / 1000.0
    arrivals = sorted(row['received'] for row in rows)
    rounds, window_end = 0, None
    for arrived in arrivals:
        if window_end is None or arrived >= window_end:
            rounds += 1
            window_end = arrived + latency
    # At equal times an answer (-1) sorts before an arrival (+1).
    events = sorted([(row['received'], 1) for row in rows] + [(row['answered'], -1) for row in rows])
    peak = in_flight = 0
    for _at, step in events:
        in_flight += step
        peak = max(peak, in_flight)
    span = max(row['answered'] for row in rows) - arrivals[0]
    return dict(span=span, rounds=rounds, peak=peak)


def bench_modules(server, runner):
    rows = []
    for module in MODULES:
        server.control('POST', '/reset')
        runs = []
        for label in ('first', 'rerun'):
            server.control('DELETE', '/requests')
            _wall, tasks, _out = runner.run('modules.yml', module)
            runs.append((label, tasks['Bench ' + module], server.requests()))
        rows.append((module, runs))
    return rows


def bench_people(server):
    server.control('POST', '/reset')
    server.control('POST', '/generate', {'users': PEOPLE})
    users = server.control('GET', '/state')['y360']['users']
    people = [u for u in users if u['nickname'].startswith('bench')][:PEOPLE]
    return [{'id': u['id'], 'email': u['email']} for u in people]


def bench_grant30(server, runner, latency_ms):
    results = []
    mailbox = next(m for m in server.control('GET', '/state')['y360']['shared_mailboxes']
                   if m['email'] == 'info@example.com')
    for way, task_names in (('single', ['single']), ('loop', ['loop']), ('uri', ['uri submit', 'uri poll'])):
        people = bench_people(server)
        extra = {'bench_actors': people, 'bench_mailbox_id': mailbox['id'],
                 'bench_access': [{'actor': p['email'], 'roles': ['shared_mailbox_reader']} for p in people]}
        server.control('DELETE', '/requests')
        wall, tasks, _out = runner.run('grant30.yml', way, extra)
        counts = server.requests()
        access = server.control('GET', '/state')['y360']['access'].get(mailbox['id'], {})
        granted = sum(1 for p in people if access.get(p['id']) == ['shared_mailbox_reader'])
        wall -= tasks['Bench ping'] + tasks[WARM_UP]      # the ping tasks are not part of any way
        results.append(dict(way=way, wall=wall, task=sum(tasks['Bench ' + n] for n in task_names), counts=counts,
                            granted=granted, timeline=timeline(counts['rows'], latency_ms)))
    return results


def bench_large_org(server, runner, latency_ms):
    server.control('POST', '/reset')
    generated = server.control('POST', '/generate', {'users': LARGE_ORG, 'delegated_mailboxes': LARGE_ORG,
                                                     'actors_per_mailbox': 3})
    state = server.control('GET', '/state')['y360']
    person = next(u for u in state['users'] if u['nickname'].startswith('bench'))['email']
    results = []
    for tag, task in (('delegated_mailbox_info', 'delegated_mailbox_info'),
                      ('access_info_mailbox', 'mailbox_access_info mailbox'),
                      ('access_info_actor', 'mailbox_access_info actor')):
        server.control('DELETE', '/requests')
        wall, tasks, out = runner.run('large_org.yml', tag, {'bench_person': person})
        counts = server.requests()
        note = ''
        if 'BENCH delegated_count=' in out:
            note = 'returned %s mailboxes' % out.split('BENCH delegated_count=')[1].split('"')[0]
        results.append(dict(case=task, wall=wall, task=tasks['Bench ' + task], counts=counts, note=note,
                            timeline=timeline(counts['rows'], latency_ms)))
    return generated, len(state['users']), results


def bench_rate_limit(server, runner, latency_ms):
    """30 grants and a 300-mailbox read, without a limit and under RATE_LIMIT requests a second."""
    results = []
    for limit in (None, RATE_LIMIT):
        server.control('POST', '/reset')
        server.control('POST', '/generate', {'users': RATE_MAILBOXES, 'delegated_mailboxes': RATE_MAILBOXES,
                                             'actors_per_mailbox': 3})
        users = server.control('GET', '/state')['y360']['users']
        people = [u for u in users if u['nickname'].startswith('bench')][:PEOPLE]
        server.control('PUT', '/config', {'rate_limits': {'y360': limit}, 'max_per_page': RATE_PAGE_SIZE})
        extra = {'bench_access': [{'actor': p['email'], 'roles': ['shared_mailbox_reader']} for p in people]}
        for case in ('grant', 'read'):
            server.control('DELETE', '/requests')
            _wall, tasks, out = runner.run('rate_limit.yml', case, extra)
            counts = server.requests()
            limited = sum(1 for row in counts['rows'] if row['fault'] == 'rate_limit')
            note = ''
            if case == 'grant':
                access = server.control('GET', '/state')['y360']['access']
                mailbox = next(m['id'] for m in server.control('GET', '/state')['y360']['shared_mailboxes']
                               if m['email'] == 'info@example.com')
                granted = sum(1 for p in people if access.get(mailbox, {}).get(p['id']) == ['shared_mailbox_reader'])
                note = '%d/%d granted' % (granted, PEOPLE)
            elif 'BENCH delegated_count=' in out:
                note = 'returned %s mailboxes' % out.split('BENCH delegated_count=')[1].split('"')[0]
            results.append(dict(limit=limit, case=case, task=tasks['Bench ' + case], counts=counts, limited=limited,
                                note=note, timeline=timeline(counts['rows'], latency_ms)))
    return results


def rate_limit_report(results):
    out = ['\n### Under a rate limit of %d requests a second (Yandex 360 host, `retries: 2`)\n' % RATE_LIMIT]
    rows = []
    for r in results:
        total = r['counts']['total']
        served = total - r['limited']
        span = r['timeline']['span']
        ideal = served / float(RATE_LIMIT)
        rows.append(('%s requests/s' % r['limit'] if r['limit'] else 'no limit',
                     '30 grants' if r['case'] == 'grant' else '%d-mailbox read' % RATE_MAILBOXES,
                     '%.2f' % r['task'], total, r['limited'], '%.0f %%' % (100.0 * r['limited'] / total if total else 0),
                     '%.2f' % span, '%.2f' % ideal, '%.2f×' % (span / ideal) if r['limit'] else '—',
                     r['timeline']['peak'], r['note']))
    out.append(table(['server limit', 'work', 'task time s', 'requests', 'answered 429', 'share 429',
                      'requests span s (server log)', 'served ÷ %d s' % RATE_LIMIT, 'span ÷ that', 'peak in flight',
                      'result'], rows))
    out.append('\nThe %d-mailbox read is `delegated_mailbox_info` with the server clamping pages to %d mailboxes '
               '(one request per page, read %d at a time). Targets: share of 429 below 25 %%, span within 1.5× of '
               'served requests ÷ %d.' % (RATE_MAILBOXES, RATE_PAGE_SIZE, INFO_CONCURRENCY, RATE_LIMIT))
    return '\n'.join(out) + '\n'


def table(headers, rows):
    lines = ['| ' + ' | '.join(headers) + ' |', '|' + '|'.join(' --- ' for dummy in headers) + '|']
    lines += ['| ' + ' | '.join(str(c) for c in row) + ' |' for row in rows]
    return '\n'.join(lines)


def paths_of(counts):
    """A short summary of the requests: method and path pattern with counts."""
    summary = {}
    for row in counts['rows']:
        parts = [p if not p.isdigit() else '{id}' for p in row['path'].split('/')]
        key = '%s %s' % (row['method'], '/'.join(parts[-2:]) if len(parts) > 2 else row['path'])
        summary[key] = summary.get(key, 0) + 1
    return ', '.join('%s ×%d' % (k, v) if v > 1 else k for k, v in sorted(summary.items()))


def median(values):
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2.0


def report(latency_ms, modules, grants, large, load, ping_times):
    latency = latency_ms / 1000.0
    ping = median(ping_times)
    out = ['Latency added by the server to every API answer: %d ms. Load average (1 min) of the machine at '
           'start and end: %.2f and %.2f on %d CPUs. Ansible\'s own cost of one task on this machine '
           '(`ansible.builtin.ping` after a warm-up task, median of %d playbook runs): %.2f s.'
           % (latency_ms, load[0], load[1], os.cpu_count() or 0, len(ping_times), ping), '']
    out.append('### Requests per module: first run and unchanged re-run\n')
    rows = []
    for module, runs in modules:
        (_l1, t1, c1), (_l2, t2, c2) = runs
        rows.append((module, c1['reads'], c1['writes'], '%.2f' % t1, c2['reads'], c2['writes'], '%.2f' % t2,
                     paths_of(c2)))
    out.append(table(['module', 'first: reads', 'first: writes', 'first: task s', 're-run: reads',
                      're-run: writes', 're-run: task s', 're-run requests'], rows))

    out.append('\n### Granting %d people read access to one shared mailbox\n' % PEOPLE)
    rows = []
    uri = next(g for g in grants if g['way'] == 'uri')
    for g in grants:
        concurrency = MODULE_CONCURRENCY if g['way'] == 'single' else 1
        floor = floor_seconds(g['counts']['total'], latency_ms, concurrency)
        line = g['timeline']
        rows.append((g['way'], '%.2f' % g['task'], '%.2f' % g['wall'], g['counts']['total'], g['counts']['writes'],
                     concurrency, line['peak'], '%.2f' % floor, '%.1f×' % (g['task'] / floor), line['rounds'],
                     '%.2f' % (line['rounds'] * latency), '%.1f×' % (uri['task'] / g['task']),
                     '%.1f×' % (uri['wall'] / g['wall']), '%d/%d' % (g['granted'], PEOPLE)))
    out.append(table(['way', 'task time s', 'playbook wall s (less the ping tasks)', 'requests', 'writes',
                      'concurrency', 'peak in flight',
                      'floor s (requests × latency ÷ concurrency)', 'task ÷ floor', 'latency rounds',
                      'rounds × latency s', 'uri ÷ this (task time)', 'uri ÷ this (playbook wall)', 'granted'], rows))

    single = next(g for g in grants if g['way'] == 'single')
    single_floor = floor_seconds(single['counts']['total'], latency_ms, MODULE_CONCURRENCY)
    line = single['timeline']
    waiting = line['rounds'] * latency
    outside = single['task'] - line['span']
    out.append('\nWhere the single task\'s %.2f s go, from the server\'s log of when each request arrived and was '
               'answered:\n' % single['task'])
    out.append(table(['part', 'seconds', 'what it is'], [
        ('Ansible\'s own cost of a task', '%.2f' % ping, 'the `ansible.builtin.ping` task time above'),
        ('module start and finish beyond that', '%.2f' % (outside - ping),
         'Python imports (`requests`), argument checks, result; task time − requests span − ping'),
        ('waiting for answers', '%.2f' % waiting, '%d latency rounds × %d ms: the dependent steps, each %s wide at '
         'most' % (line['rounds'], latency_ms, MODULE_CONCURRENCY)),
        ('client time between rounds', '%.2f' % (line['span'] - waiting),
         'the pause between status reads of the tasks, and CPU'),
    ]))
    best = ping + waiting
    out.append('\nFloor of the issue (%d requests × %d ms ÷ %d): %.2f s; task ÷ floor %.1f×. Fastest this request '
               'chain can run as an Ansible task (Ansible\'s cost of a task + rounds × latency): %.2f s; task ÷ that '
               '%.1f×.' % (single['counts']['total'], latency_ms, MODULE_CONCURRENCY,
                           single_floor, single['task'] / single_floor, best, single['task'] / best))

    generated, users, results = large
    out.append('\n### Info modules over %d delegated mailboxes (%d users)\n' % (generated['delegated_total'], users))
    rows = []
    for r in results:
        floor = floor_seconds(r['counts']['total'], latency_ms, INFO_CONCURRENCY)
        line = r['timeline']
        rows.append((r['case'], '%.2f' % r['task'], r['counts']['total'], r['counts']['writes'], '%.2f' % floor,
                     '%.1f×' % (r['task'] / floor), line['peak'], line['rounds'], paths_of(r['counts']), r['note']))
    out.append(table(['module', 'task time s', 'requests', 'writes', 'floor s (concurrency %d)' % INFO_CONCURRENCY,
                      'task ÷ floor',
                      'peak in flight', 'latency rounds', 'requests sent', 'note'], rows))
    return '\n'.join(out) + '\n'


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--latency-ms', type=int, default=50)
    parser.add_argument('--output', help='also write the Markdown tables to this file')
    parser.add_argument('--json', help='also write the raw figures to this JSON file')
    parser.add_argument('--parts', default=','.join(PARTS),
                        help='comma-separated parts to run: %s (default: all)' % ', '.join(PARTS))
    args = parser.parse_args(argv)
    parts = set(args.parts.split(','))
    if not parts <= set(PARTS):
        parser.error('--parts: choose from %s' % ', '.join(PARTS))
    workdir = tempfile.mkdtemp(prefix='mailadmin-bench.')
    load_start = os.getloadavg()[0]
    server = Server(workdir, args.latency_ms)
    try:
        runner = Runner(workdir, bench_vars(server))
        modules = bench_modules(server, runner) if 'modules' in parts else None
        grants = bench_grant30(server, runner, args.latency_ms) if 'grants' in parts else None
        large = bench_large_org(server, runner, args.latency_ms) if 'large' in parts else None
        rate = bench_rate_limit(server, runner, args.latency_ms) if 'rate' in parts else None
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    load = (load_start, os.getloadavg()[0])
    if {'modules', 'grants', 'large'} <= parts:
        text = report(args.latency_ms, modules, grants, large, load, runner.ping_times)
    else:
        run = ', '.join(p for p in PARTS if p in parts)
        text = ('Latency added by the server to every API answer: %d ms. Load average (1 min) at start and end: '
                '%.2f and %.2f on %d CPUs. Parts run: %s.\n'
                % (args.latency_ms, load[0], load[1], os.cpu_count() or 0, run))
    if rate is not None:
        text += rate_limit_report(rate)
    print(text)
    if args.output:
        with open(args.output, 'w', encoding='utf-8') as handle:
            handle.write(text)
    if args.json:
        with open(args.json, 'w', encoding='utf-8') as handle:
            json.dump(dict(modules=[(m, [(l, t, {k: v for k, v in c.items() if k != 'rows'}) for l, t, c in runs])
                                    for m, runs in modules or []],
                           grants=[{k: v for k, v in g.items() if k != 'counts'} for g in grants or []],
                           rate=[{k: v for k, v in r.items() if k != 'counts'} for r in rate or []]),
                      handle, indent=1)
    return 0


if __name__ == '__main__':
    sys.exit(main())
