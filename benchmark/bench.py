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
import re
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
RATE_LIMIT = 20             # requests a second the server allows on the Yandex 360 host
RATE_MAILBOXES = 300        # generated delegated mailboxes read under the limit...
RATE_PAGE_SIZE = 10         # ...in pages of this many (the server clamps perPage), 31 reads
# The generated organization of issue 13: people in all (the seed's 8 included), delegated mailboxes
# asked for (the organization's limit of 2,500 includes the seed's 2, so 2,498 are added), shared
# mailboxes, and actors on each generated mailbox.
LARGE_USERS = 2600
LARGE_DELEGATED = 2500
LARGE_SHARED = 50
ACTORS_PER_MAILBOX = 3
GRANTS = 100            # changed grants, one per mailbox, in one `replaced` run
LOOP_MEASURED = 50      # mailboxes the loop of mailbox_access tasks is measured on (then extrapolated)
REACH = 30              # mailboxes the leaver of the large offboarding case reaches
READ_CONCURRENCY = 16   # the access engine's bound on reads in flight (module_utils/_access_engine.py)
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

    def run(self, playbook, tags=None, extra=None, args=(), may_fail=False):
        """``(wall, tasks, stdout)``; ``tasks`` maps task names to seconds, and ``_module_runs`` to
        the collection's modules that ran (one entry per run). ``playbook`` is a name in
        benchmark/playbooks/ or a path. A failed run ends the benchmark unless ``may_fail``
        (then ``tasks['_failed']`` is true)."""
        self.counter += 1
        vars_file = os.path.join(self.workdir, 'vars%d.json' % self.counter)
        timer_file = os.path.join(self.workdir, 'timer%d.json' % self.counter)
        with open(vars_file, 'w', encoding='utf-8') as handle:
            json.dump(dict(self.base_vars, **(extra or {})), handle)
        env = dict(os.environ, BENCH_TIMER_FILE=timer_file,
                   ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, 'callback_plugins'),
                   ANSIBLE_CALLBACKS_ENABLED='bench_timer', ANSIBLE_LOCALHOST_WARNING='false',
                   ANSIBLE_INVENTORY_UNPARSED_WARNING='false', ANSIBLE_RETRY_FILES_ENABLED='false')
        command = ['ansible-playbook', os.path.join(PLAYBOOKS, playbook)]
        command += ['--tags', tags] if tags else []
        command += ['-e', '@' + vars_file] + list(args)
        started = time.monotonic()
        proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        wall = time.monotonic() - started
        if proc.returncode != 0 and not may_fail:
            sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-2000:])
            raise SystemExit('%s --tags %s failed (exit %d)' % (playbook, tags, proc.returncode))
        tasks = {'_module_runs': []}
        if os.path.exists(timer_file):
            with open(timer_file, encoding='utf-8') as handle:
                tasks = json.load(handle)
        tasks['_failed'] = proc.returncode != 0
        if proc.returncode != 0:
            sys.stderr.write('%s failed (exit %d):\n%s\n' % (playbook, proc.returncode, proc.stdout[-3000:]))
        if 'Bench ping' in tasks:
            self.ping_times.append(tasks['Bench ping'])
        return wall, tasks, proc.stdout


def floor_seconds(requests, latency_ms, concurrency):
    """The first floor of the benchmark: requests × latency ÷ concurrency."""
    return requests * latency_ms / 1000.0 / concurrency


def read_floor(reads, latency_ms, task_cost, concurrency=READ_CONCURRENCY):
    """Issue 13's floor of a whole-organization task: ceil(reads ÷ 16) × latency + Ansible's cost of one task."""
    return -(-reads // concurrency) * latency_ms / 1000.0 + task_cost


def chain_floor(rounds, latency_ms, task_cost):
    """The floor of any Ansible task: Ansible's cost of one task + dependent rounds × latency."""
    return task_cost + rounds * latency_ms / 1000.0


def summarize_runs(runs, modules=None):
    """``(count, text)`` of the collection's module runs (``['user_info', 'mailbox_access', ...]``):
    ``text`` is each module with its number of runs, in the order they first ran; ``modules``
    limits the count to those modules."""
    counts = {}
    for name in runs:
        counts[name] = counts.get(name, 0) + 1
    text = ', '.join('%s ×%d' % (name, number) if number > 1 else name for name, number in counts.items())
    return sum(n for name, n in counts.items() if modules is None or name in modules), text


def pick_grants(y360, count, roles=('shared_mailbox_reader',)):
    """``count`` new grants, one on each of ``count`` delegated mailboxes of generated people spread
    evenly over the list, each to a different generated person who reaches neither that mailbox nor
    more than 30 others: ``[{mailbox_id, mailbox, actor_id, actor, roles}]`` (addresses for the names)."""
    email = {str(u['id']): u['email'] for u in y360['users']}
    people = [str(u['id']) for u in y360['users'] if str(u.get('nickname') or '').startswith('bench')]
    reach = {}
    for mailbox, actors in y360['access'].items():
        for actor in actors:
            if actor != mailbox:
                reach[actor] = reach.get(actor, 0) + 1
    boxes = [m for m in y360['delegated'] if m in set(people)]
    if len(boxes) < count:
        raise ValueError('only %d delegated mailboxes of generated people, %d wanted' % (len(boxes), count))
    step = len(boxes) // count
    chosen, used = [], set()
    for index in range(count):
        mailbox = boxes[index * step]
        start = (people.index(mailbox) + len(people) // 2) % len(people)
        for offset in range(len(people)):
            actor = people[(start + offset) % len(people)]
            if (actor != mailbox and actor not in used and actor not in y360['access'].get(mailbox, {})
                    and reach.get(actor, 0) <= 30):
                break
        else:
            raise ValueError('nobody left to grant access to %s' % mailbox)
        used.add(actor)
        chosen.append(dict(mailbox_id=mailbox, mailbox=email[mailbox], actor_id=actor, actor=email[actor],
                           roles=sorted(roles)))
    return chosen


def with_grants(config, grants, only_changed):
    """The gathered ``config`` with each grant added to its mailbox's access; ``only_changed``: only
    the items of those mailboxes."""
    added = {}
    for grant in grants:
        added.setdefault(grant['mailbox'].lower(), []).append({'actor': grant['actor'], 'roles': list(grant['roles'])})
    out = []
    for item in config:
        extra = added.get(str(item['mailbox']).lower())
        if extra is None and only_changed:
            continue
        item = dict(item, access=list(item.get('access') or []) + (extra or []))
        out.append(item)
    missing = set(added) - {str(item['mailbox']).lower() for item in config}
    if missing:
        raise ValueError('mailboxes not in the configuration: %s' % ', '.join(sorted(missing)))
    return out


def applied(access, grants):
    """How many ``grants`` the server's access map (``{mailbox_id: {actor_id: roles}}``) holds."""
    return sum(1 for g in grants if sorted(access.get(g['mailbox_id'], {}).get(g['actor_id']) or []) == g['roles'])


def reach_of(access, person_id):
    """Mailboxes ``person_id`` reaches besides their own."""
    return sorted(m for m, actors in access.items() if person_id in actors and m != person_id)


def recap_changed(stdout):
    """The ``changed=N`` of the play recap of ansible-playbook's default output (None when absent)."""
    match = re.search(r'localhost\s*:.*?changed=(\d+)', stdout)
    return int(match.group(1)) if match else None


def verdict(value, limit, at_least=False):
    """'met' or 'not met (by N %)' for a value that must stay at most (or at least) ``limit``."""
    good = value >= limit if at_least else value <= limit
    if good:
        return 'met'
    return 'not met (by %.0f %%)' % (abs(value - limit) / limit * 100.0)


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


def rounds_of(rows, latency_ms):
    """The requests of each latency round (the windows ``timeline`` counts), in order of arrival."""
    latency = latency_ms / 1000.0
    rounds, window_end = [], None
    for row in sorted(rows, key=lambda r: r['received']):
        if window_end is None or row['received'] >= window_end:
            rounds.append([])
            window_end = row['received'] + latency
        rounds[-1].append(row)
    return rounds


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


def generate_org(server):
    """Reset the server and generate issue 13's organization; returns the generator's counts."""
    server.control('POST', '/reset')
    users = len(server.control('GET', '/state')['y360']['users'])
    return server.control('POST', '/generate', {
        'users': LARGE_USERS - users, 'delegated_mailboxes': LARGE_DELEGATED,
        'actors_per_mailbox': ACTORS_PER_MAILBOX, 'shared_mailboxes': LARGE_SHARED,
        'actors_per_shared': ACTORS_PER_MAILBOX})


def measured(server, runner, latency_ms, playbook, tags=None, extra=None, args=(), may_fail=False):
    """Run one playbook on a cleared request log: its wall, task times, output, requests and timeline."""
    server.control('DELETE', '/requests')
    wall, tasks, out = runner.run(playbook, tags, extra, args, may_fail)
    counts = server.requests()
    return dict(wall=wall, tasks=tasks, out=out, counts=counts, timeline=timeline(counts['rows'], latency_ms),
                failed=tasks.get('_failed', False))


def bench_large_org(server, runner, latency_ms):
    generated = generate_org(server)
    state = server.control('GET', '/state')['y360']
    person = next(u for u in state['users'] if u['nickname'].startswith('bench'))['email']
    results = []
    for tag, task in (('delegated_mailbox_info', 'delegated_mailbox_info'),
                      ('access_info_mailbox', 'mailbox_access_info mailbox'),
                      ('access_info_actor', 'mailbox_access_info actor')):
        run = measured(server, runner, latency_ms, 'large_org.yml', tag, {'bench_person': person})
        note = ''
        if 'BENCH delegated_count=' in run['out']:
            note = 'returned %s mailboxes' % run['out'].split('BENCH delegated_count=')[1].split('"')[0]
        results.append(dict(case=task, wall=run['wall'], task=run['tasks']['Bench ' + task], counts=run['counts'],
                            note=note, timeline=run['timeline']))
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


def bench_org(server, runner, latency_ms, workdir):
    """Issue 13: the mailboxes module over the generated organization, and the loop it replaces."""
    out = {}
    out['generated'] = generate_org(server)
    state = server.control('GET', '/state')['y360']
    out['grants_total'] = sum(len(actors) for actors in state['access'].values())
    gathered_file = os.path.join(workdir, 'gathered.json')
    run = measured(server, runner, latency_ms, 'org.yml', 'gathered', {'bench_out_file': gathered_file})
    with open(gathered_file, encoding='utf-8') as handle:
        gathered = json.load(handle)
    run['items'] = len(gathered)
    run['task'] = run['tasks']['Bench gathered']
    out['gathered'] = run

    run = measured(server, runner, latency_ms, 'org.yml', 'replaced', {'bench_config': gathered}, may_fail=True)
    run['task'] = run['tasks'].get('Bench replaced')
    out['replaced'] = run

    grants = pick_grants(state, GRANTS)
    for key, only_changed in (('grants_listed', True), ('grants_whole', False)):
        generate_org(server)
        run = measured(server, runner, latency_ms, 'org.yml', 'replaced',
                       {'bench_config': with_grants(gathered, grants, only_changed)}, may_fail=True)
        run['task'] = run['tasks'].get('Bench replaced')
        run['items'] = GRANTS if only_changed else len(gathered)
        run['applied'] = applied(server.control('GET', '/state')['y360']['access'], grants)
        match = re.search(r'BENCH tasks=(\d+) complete=(\d+)', run['out'])
        run['tasks_complete'] = '%s/%s' % (match.group(2), match.group(1)) if match else '?'
        out[key] = run

    generate_org(server)
    loop = grants[:LOOP_MEASURED]
    run = measured(server, runner, latency_ms, 'org.yml', 'loop', {'bench_grants': [
        {'mailbox': g['mailbox'], 'actor': g['actor'], 'roles': g['roles']} for g in loop]})
    run['task'] = run['tasks']['Bench loop']
    run['applied'] = applied(server.control('GET', '/state')['y360']['access'], loop)
    out['loop'] = run
    return out


def credentials(runner):
    return {'mailadmin_y360': runner.base_vars['bench']['y360'],
            'mailadmin_clouduss': runner.base_vars['bench']['clouduss']}


def bench_export_converge(server, runner, latency_ms, workdir):
    """export.yml then converge.yml --check over the generated organization; None while the
    playbooks do not exist."""
    export, converge = (os.path.join(REPO, 'playbooks', name) for name in ('export.yml', 'converge.yml'))
    if not (os.path.exists(export) and os.path.exists(converge)):
        return None
    generate_org(server)
    state_file = os.path.join(workdir, 'state.yml')
    out = {}
    export_vars = dict(credentials(runner), mailadmin_state_file=state_file)
    out['export'] = measured(server, runner, latency_ms, export, extra=export_vars, may_fail=True)
    if os.path.exists(state_file):
        out['converge'] = measured(server, runner, latency_ms, converge, extra=credentials(runner),
                                   args=['-e', '@' + state_file, '--check'], may_fail=True)
        out['converge']['changed'] = recap_changed(out['converge']['out'])
    return out


def bench_roles(server, runner, latency_ms):
    """Issue 12: the onboarding and offboarding playbooks with the demo's people, against a one-task
    playbook (user_info on one person) run before and after them."""
    cases = []
    person = 'grace@example.com'
    for case, playbook, example in (
            ('user_info (before)', 'user_info.yml', None),
            ('onboarding', os.path.join(REPO, 'playbooks', 'onboard.yml'),
             os.path.join(REPO, 'playbooks', 'vars', 'onboard-example.yml')),
            ('offboarding', os.path.join(REPO, 'playbooks', 'offboard.yml'),
             os.path.join(REPO, 'playbooks', 'vars', 'offboard-example.yml')),
            ('user_info (after)', 'user_info.yml', None)):
        server.control('POST', '/reset')
        run = measured(server, runner, latency_ms, playbook, extra=dict(credentials(runner), bench_person=person),
                       args=['-e', '@' + example] if example else [], may_fail=True)
        run['case'] = case
        run['runs'] = summarize_runs(run['tasks']['_module_runs'])
        cases.append(run)
    return cases


def bench_offboard_reach(server, runner, latency_ms):
    """Offboarding a leaver (the demo's Dave) who reaches REACH mailboxes: how many access module runs."""
    server.control('POST', '/reset')
    server.control('POST', '/generate', {'users': REACH, 'delegated_mailboxes': REACH, 'actors_per_mailbox': 0})
    state = server.control('GET', '/state')
    y360 = state['y360']
    leaver = next(u for u in y360['users'] if u['email'] == 'dave@example.com')['id']
    for mailbox in y360['delegated']:
        if len(reach_of(y360['access'], leaver)) >= REACH:
            break
        if mailbox != leaver and leaver not in y360['access'].get(mailbox, {}):
            y360['access'].setdefault(mailbox, {})[leaver] = ['shared_mailbox_reader']
    before = len(reach_of(y360['access'], leaver))
    server.control('PUT', '/state', state)
    run = measured(server, runner, latency_ms, os.path.join(REPO, 'playbooks', 'offboard.yml'),
                   extra=credentials(runner),
                   args=['-e', '@' + os.path.join(REPO, 'playbooks', 'vars', 'offboard-example.yml')], may_fail=True)
    run['reach_before'] = before
    run['reach_after'] = len(reach_of(server.control('GET', '/state')['y360']['access'], leaver))
    runs = run['tasks']['_module_runs']
    run['actor_access'] = runs.count('actor_access')
    run['mailbox_access'] = runs.count('mailbox_access')
    run['runs'] = summarize_runs(runs)
    return run


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


def seconds(value):
    return '—' if value is None else '%.2f' % value


def ratio(value, base):
    return '—' if value is None or not base else '%.1f×' % (value / base)


def report_modules(out, modules):
    out.append('### Requests per module: first run and unchanged re-run\n')
    rows = []
    for module, runs in modules:
        (_l1, t1, c1), (_l2, t2, c2) = runs
        rows.append((module, c1['reads'], c1['writes'], '%.2f' % t1, c2['reads'], c2['writes'], '%.2f' % t2,
                     paths_of(c2)))
    out.append(table(['module', 'first: reads', 'first: writes', 'first: task s', 're-run: reads',
                      're-run: writes', 're-run: task s', 're-run requests'], rows))


def report_grant30(out, grants, latency_ms, ping, targets):
    latency = latency_ms / 1000.0
    out.append('\n### Granting %d people read access to one shared mailbox\n' % PEOPLE)
    rows = []
    uri = next(g for g in grants if g['way'] == 'uri')
    for g in grants:
        concurrency = MODULE_CONCURRENCY if g['way'] == 'single' else 1
        floor = floor_seconds(g['counts']['total'], latency_ms, concurrency)
        line = g['timeline']
        chain = chain_floor(line['rounds'], latency_ms, ping)
        rows.append((g['way'], '%.2f' % g['task'], '%.2f' % g['wall'], g['counts']['total'], g['counts']['writes'],
                     concurrency, line['peak'], line['rounds'], '%.2f' % chain, ratio(g['task'], chain),
                     '%.2f' % floor, ratio(g['task'], floor), ratio(uri['task'], g['task']),
                     ratio(uri['wall'], g['wall']), '%d/%d' % (g['granted'], PEOPLE)))
    out.append(table(['way', 'task time s', 'playbook wall s (less the ping tasks)', 'requests', 'writes',
                      'concurrency', 'peak in flight', 'dependent rounds',
                      'floor s (task cost + rounds × latency)', 'task ÷ floor',
                      'old floor s (requests × latency ÷ concurrency)', 'task ÷ old floor',
                      'uri ÷ this (task time)', 'uri ÷ this (playbook wall)', 'granted'], rows))

    single = next(g for g in grants if g['way'] == 'single')
    line = single['timeline']
    waiting = line['rounds'] * latency
    outside = single['task'] - line['span']
    out.append('\nWhere the single task\'s %.2f s go, from the server\'s log of when each request arrived and was '
               'answered:\n' % single['task'])
    out.append(table(['part', 'seconds', 'what it is'], [
        ('Ansible\'s own cost of a task', '%.2f' % ping, 'the `ansible.builtin.ping` task time above'),
        ('module start and finish beyond that', '%.2f' % (outside - ping),
         'Python imports (`requests`), argument checks, result; task time − requests span − ping'),
        ('waiting for answers', '%.2f' % waiting, '%d dependent rounds × %d ms, each %s wide at most'
         % (line['rounds'], latency_ms, MODULE_CONCURRENCY)),
        ('client time between rounds', '%.2f' % (line['span'] - waiting), 'pauses between status reads, and CPU'),
    ]))
    out.append('\nThe single task\'s dependent rounds, from the server\'s log:\n')
    out.append(table(['round', 'requests'], [(number, paths_of({'rows': rows}))
                                             for number, rows in enumerate(rounds_of(single['counts']['rows'],
                                                                                     latency_ms), start=1)]))
    chain = chain_floor(line['rounds'], latency_ms, ping)
    targets.append(('single grant-30 task: dependent rounds ≤ 8', '%d' % line['rounds'],
                    verdict(line['rounds'], 8)))
    targets.append(('single grant-30 task ≤ 1.3× (task cost + rounds × latency)',
                    '%.2f s ÷ %.2f s = %.2f×' % (single['task'], chain, single['task'] / chain),
                    verdict(single['task'] / chain, 1.3)))


def report_large(out, large, latency_ms):
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


def report_org(out, org, latency_ms, ping, targets):
    generated = org['generated']
    out.append('\n### The organization as one configuration: `mailboxes`\n')
    out.append('Generated organization: %d users, %d delegated mailboxes (%d asked for; the limit of 2,500 per '
               'organization includes the seed\'s 2), %d shared mailboxes (%d generated), %d grants in all. '
               'Floor of a whole-organization task: ceil(reads ÷ %d) × %d ms + Ansible\'s cost of one task (%.2f s).\n'
               % (generated['users_total'], generated['delegated_total'], LARGE_DELEGATED, generated['shared_total'],
                  generated['shared_added'], org['grants_total'], READ_CONCURRENCY, latency_ms, ping))
    rows = []
    cases = (('gathered', '`state: gathered`, whole organization', 'gathered'),
             ('replaced', '`state: replaced` with the gathered configuration', 'replaced'),
             ('grants_listed', '`replaced`: %d new grants on %d mailboxes (only those listed)' % (GRANTS, GRANTS),
              'replaced'),
             ('grants_whole', '`replaced`: the same %d grants inside the whole gathered configuration' % GRANTS,
              'replaced'),
             ('loop', 'loop of `mailbox_access`, %d of those grants (one task each)' % LOOP_MEASURED, 'loop'))
    for key, label, dummy in cases:
        run = org[key]
        counts, line = run['counts'], run['timeline']
        floor = read_floor(counts['reads'], latency_ms, ping)
        note = []
        if 'items' in run:
            note.append('%d config items' % run['items'])
        if 'applied' in run:
            measured_grants = LOOP_MEASURED if key == 'loop' else GRANTS
            note.append('applied (server state) %d/%d' % (run['applied'], measured_grants))
        if run.get('tasks_complete'):
            note.append('tasks complete %s' % run['tasks_complete'])
        if run['failed']:
            note.append('FAILED')
        rows.append((label, seconds(run['task']), '%.2f' % run['wall'], '%.2f' % line['span'], counts['reads'],
                     counts['writes'], line['rounds'], line['peak'], '%.2f' % floor, ratio(run['task'], floor),
                     '; '.join(note)))
    out.append(table(['case', 'task time s', 'playbook wall s', 'requests span s', 'reads', 'writes', 'rounds',
                      'peak in flight',
                      'floor s (ceil(reads ÷ 16) × latency + task cost)', 'task ÷ floor', 'note'], rows))

    gathered, replaced, listed, whole, loop = (org[key] for key, dummy, dummy2 in cases)
    loop_all = loop['task'] * GRANTS / LOOP_MEASURED
    out.append('\nThe loop of `mailbox_access` tasks, extrapolated from %d to %d mailboxes: %.1f s (%.2f s per task). '
               '`mailboxes` with only the %d changed mailboxes listed: %s s, %s faster; with the whole configuration: '
               '%s s, %s faster.' % (LOOP_MEASURED, GRANTS, loop_all, loop['task'] / LOOP_MEASURED, GRANTS,
                                     seconds(listed['task']), ratio(loop_all, listed['task']), seconds(whole['task']),
                                     ratio(loop_all, whole['task'])))
    for key, run in (('gathered', gathered), ('replaced', replaced)):
        floor = read_floor(run['counts']['reads'], latency_ms, ping)
        value = (run['task'] or 0) / floor
        targets.append(('`mailboxes` %s ≤ 1.5× its floor (%d reads)' % (key, run['counts']['reads']),
                        '%s s ÷ %.2f s = %.2f×' % (seconds(run['task']), floor, value),
                        'FAILED' if run['failed'] else verdict(value, 1.5)))
    targets.append(('`replaced` with the gathered configuration: 0 writes', '%d' % replaced['counts']['writes'],
                    'met' if replaced['counts']['writes'] == 0 and not replaced['failed'] else 'not met'))
    for key, run in (('listed', listed), ('whole configuration', whole)):
        targets.append(('%d grants in one `replaced` run (%s): all applied and read back' % (GRANTS, key),
                        'applied %d/%d, tasks complete %s' % (run['applied'], GRANTS, run['tasks_complete']),
                        'met' if run['applied'] == GRANTS and not run['failed'] else 'not met'))
        if run['task'] and key == 'listed':
            targets.append(('loop of `mailbox_access` ÷ `mailboxes` (the same %d mailboxes listed) ≥ 50×' % GRANTS,
                            '%.1f s ÷ %.2f s = %.1f×' % (loop_all, run['task'], loop_all / run['task']),
                            verdict(loop_all / run['task'], 50, at_least=True)))


def report_export(out, exports, targets):
    out.append('\n### `export.yml` then `converge.yml --check` over the generated organization\n')
    if exports is None:
        out.append('TODO: `playbooks/export.yml` and `playbooks/converge.yml` do not exist in this checkout yet; '
                   'this case runs once they do.')
        targets.append(('`export.yml` and `converge.yml --check`: both wall times', 'TODO', 'not measured'))
        return
    rows = []
    for key in ('export', 'converge'):
        run = exports.get(key)
        if run is None:
            rows.append((key, '—', '—', '—', '—', 'no state file was written'))
            continue
        note = 'FAILED' if run['failed'] else ''
        if key == 'converge':
            note = (note + ' changed=%s' % run['changed']).strip()
        rows.append((key, '%.2f' % run['wall'], run['counts']['reads'], run['counts']['writes'],
                     run['timeline']['rounds'], note))
    out.append(table(['playbook', 'wall s (ansible-playbook)', 'reads', 'writes', 'rounds', 'note'], rows))
    walls = ' and '.join('%s %.1f s' % (key, exports[key]['wall']) for key in ('export', 'converge') if key in exports)
    converge = exports.get('converge')
    ok = converge is not None and not converge['failed'] and not exports['export']['failed'] and not converge['changed']
    targets.append(('`export.yml` then `converge.yml --check`: wall times, no change', walls,
                    'measured' if ok else 'failed or changed'))


def report_roles(out, roles, reach, targets):
    out.append('\n### Onboarding and offboarding one person (the demo\'s people)\n')
    base = [r['wall'] for r in roles if r['case'].startswith('user_info')]
    one = sum(base) / len(base)
    out.append('Each playbook from a fresh server, timed as a whole `ansible-playbook` run. The one-task playbook '
               '(`user_info` on one person) ran before and after the roles: %s s; their mean %.2f s is the base.\n'
               % (' and '.join('%.2f' % b for b in base), one))
    rows = []
    for r in roles:
        count, text = r['runs']
        rows.append((r['case'], '%.2f' % r['wall'], ratio(r['wall'], one), r['tasks'].get('_tasks_run', '?'), count,
                     text, r['counts']['reads'], r['counts']['writes'], r['timeline']['rounds'],
                     'FAILED' if r['failed'] else ''))
        if not r['case'].startswith('user_info'):
            targets.append(('%s: at most 6 module runs' % r['case'], '%d' % count, verdict(count, 6)))
            targets.append(('%s: wall ≤ 3× the one-task playbook' % r['case'],
                            '%.2f s ÷ %.2f s = %.1f×' % (r['wall'], one, r['wall'] / one), verdict(r['wall'] / one, 3)))
    out.append(table(['playbook', 'wall s', '÷ one-task playbook', 'tasks run', 'module runs', 'which', 'reads',
                      'writes',
                      'rounds', 'note'], rows))
    count, text = reach['runs']
    out.append('\nOffboarding Dave when he reaches %d mailboxes: %d module runs (%s); `actor_access` %d, '
               '`mailbox_access` %d; wall %.2f s, %d reads, %d writes; he reaches %d afterwards.%s'
               % (reach['reach_before'], count, text, reach['actor_access'], reach['mailbox_access'], reach['wall'],
                  reach['counts']['reads'], reach['counts']['writes'], reach['reach_after'],
                  ' FAILED' if reach['failed'] else ''))
    targets.append(('offboarding a person who reaches %d mailboxes: one `actor_access` run' % reach['reach_before'],
                    'actor_access %d, mailbox_access %d' % (reach['actor_access'], reach['mailbox_access']),
                    'met' if reach['actor_access'] == 1 and reach['mailbox_access'] == 0 else 'not met'))


def report(latency_ms, results, load, ping_times):
    ping = median(ping_times)
    out = ['Latency added by the server to every API answer: %d ms. Load average (1 min) of the machine at '
           'start and end: %.2f and %.2f on %d CPUs. Ansible\'s own cost of one task on this machine '
           '(`ansible.builtin.ping` after a warm-up task, median of %d playbook runs): %.2f s.'
           % (latency_ms, load[0], load[1], os.cpu_count() or 0, len(ping_times), ping), '']
    targets = []
    if 'modules' in results:
        report_modules(out, results['modules'])
    if 'grant30' in results:
        report_grant30(out, results['grant30'], latency_ms, ping, targets)
    if 'large' in results:
        report_large(out, results['large'], latency_ms)
    if 'org' in results:
        report_org(out, results['org'], latency_ms, ping, targets)
    if 'export' in results:
        report_export(out, results['export'], targets)
    if 'roles' in results:
        report_roles(out, results['roles'], results['reach'], targets)
    if targets:
        out.append('\n### Targets\n')
        out.append(table(['target', 'measured', 'verdict'], targets))
    return '\n'.join(out) + '\n'


SECTIONS = ('modules', 'grant30', 'large', 'org', 'export', 'roles', 'rate')


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--latency-ms', type=int, default=50)
    parser.add_argument('--output', help='also write the Markdown tables to this file')
    parser.add_argument('--json', help='also write the raw figures to this JSON file')
    parser.add_argument('--only', default=','.join(SECTIONS),
                        help='comma-separated sections to run (default all): %s' % ', '.join(SECTIONS))
    args = parser.parse_args(argv)
    sections = [name.strip() for name in args.only.split(',') if name.strip()]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error('unknown sections: %s' % ', '.join(sorted(unknown)))
    workdir = tempfile.mkdtemp(prefix='mailadmin-bench.')
    load_start = os.getloadavg()[0]
    server = Server(workdir, args.latency_ms)
    results = {}
    try:
        runner = Runner(workdir, bench_vars(server))
        if 'modules' in sections:
            results['modules'] = bench_modules(server, runner)
        if 'grant30' in sections:
            results['grant30'] = bench_grant30(server, runner, args.latency_ms)
        if 'large' in sections:
            results['large'] = bench_large_org(server, runner, args.latency_ms)
        if 'org' in sections:
            results['org'] = bench_org(server, runner, args.latency_ms, workdir)
        if 'export' in sections:
            results['export'] = bench_export_converge(server, runner, args.latency_ms, workdir)
        if 'rate' in sections:
            results['rate'] = bench_rate_limit(server, runner, args.latency_ms)
        if 'roles' in sections:
            results['roles'] = bench_roles(server, runner, args.latency_ms)
            results['reach'] = bench_offboard_reach(server, runner, args.latency_ms)
        if not runner.ping_times:
            # Sections without ping tasks of their own still need Ansible's cost of a task.
            runner.run('modules.yml', 'never')
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    text = report(args.latency_ms, results, (load_start, os.getloadavg()[0]), runner.ping_times)
    if results.get('rate'):
        text += rate_limit_report(results['rate'])
    print(text)
    if args.output:
        with open(args.output, 'w', encoding='utf-8') as handle:
            handle.write(text)
    if args.json:
        with open(args.json, 'w', encoding='utf-8') as handle:
            json.dump(strip_rows(results), handle, indent=1, default=str)
    return 0


def strip_rows(value):
    """``value`` without the request logs and playbook outputs (for --json)."""
    if isinstance(value, dict):
        return {k: strip_rows(v) for k, v in value.items() if k not in ('rows', 'out')}
    if isinstance(value, (list, tuple)):
        return [strip_rows(v) for v in value]
    return value


if __name__ == '__main__':
    sys.exit(main())
