"""Interrupted ``mailboxes`` and offboarding runs against the local API server.

(a) ``mailboxes`` with ``state: replaced`` (30 people over four mailboxes, one of them a shared
    mailbox the run creates) is killed (SIGTERM, then SIGKILL) in the middle; the same play run
    again converges, the shared mailbox is created once, and no (mailbox, actor, roles) is set
    twice; a third run writes nothing.
(b) The offboarding role for a leaver who reaches 20 mailboxes, with three successors, is killed
    right after the hand-over's first write, then again during the revocations, then run to the
    end and once more. In every run the server's log shows the hand-over (delegation of the
    leaver's mailbox, the successors' grants on it, their tasks read ``complete``) finished before
    the first revocation of the leaver's access arrived.

Where a kill lands is made certain by the server, not by timing: a task that never finishes holds
the hand-over while the first kill lands, and a requests-per-second limit on the Yandex 360 host
makes the revocations take seconds, so a kill after the third reached the server lands before the
last. Between runs the tasks a killed run left running are finished, as the service would finish
them in the background (``task_seconds`` is otherwise out of reach, so a task completes exactly on
its second status read and the log shows which read answered ``complete``).
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER_FILES = os.path.join(HERE, '..', 'setup_mailadmin_server', 'files')
TOKEN = 'y360-admin-7Hq2ZpL9wXc4'
ORG = 1234567
SUPPORT, BILLING, INFO, CAROL = '1130000000000501', '1130000000000502', '1130000000000503', '1130000000000003'
GRACE = '1130000000000008'
TASK_POLLS = 1          # a task answers `running` to its first status read and `complete` to the next
READER, SENDER = 'shared_mailbox_reader', 'shared_mailbox_sender'


def control(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode('utf-8')
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.load(answer)


def start_server(workdir):
    env = dict(os.environ, PYTHONPATH=SERVER_FILES)
    out = subprocess.run([sys.executable, '-m', 'mailadmin_fakeapi', '--state-dir', os.path.join(workdir, 'server'),
                          '--latency-ms', '50', '--lifetime', '1200', '--generate-users', '60', '--daemon'],
                         env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def y360_conn(info):
    return {'token': TOKEN, 'org_id': ORG, 'api_url': info['y360_url'], 'cloud_api_url': info['cloud_url']}


def play(workdir, playbook, name, extra):
    path = os.path.join(workdir, name + '.json')
    with open(path, 'w', encoding='utf-8') as handle:
        json.dump(extra, handle)
    log = open(os.path.join(workdir, name + '.log'), 'w', encoding='utf-8')  # pylint: disable=consider-using-with
    proc = subprocess.Popen(['ansible-playbook', os.path.join(HERE, playbook), '-e', '@' + path],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    proc.log_path = log.name
    return proc


def finish(proc, timeout=900):
    code = proc.wait(timeout)
    with open(proc.log_path, encoding='utf-8') as handle:
        output = handle.read()
    return code, output


def kill(proc):
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(2)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(60)


def wait_for(proc, condition, what, limit=300):
    deadline = time.monotonic() + limit
    while not condition():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise AssertionError('the run ended (exit %s) or took %d s before %s' % (proc.returncode, limit, what))
        time.sleep(0.05)


def log_rows(base, since=0):
    """The request log after sequence number ``since``."""
    return [row for row in control(base, 'GET', '/requests?service=y360')['requests'] if row['seq'] > since]


def last_seq(base):
    rows = control(base, 'GET', '/requests')['requests']
    return rows[-1]['seq'] if rows else 0


def settle(base, seconds=1.0, limit=60):
    """Wait until the request log stops growing for ``seconds`` (requests still in flight at the
    kill are logged when answered)."""
    count, stable_since, deadline = -1, time.monotonic(), time.monotonic() + limit
    while time.monotonic() < deadline:
        now_count = control(base, 'GET', '/requests')['count']
        if now_count != count:
            count, stable_since = now_count, time.monotonic()
        elif time.monotonic() - stable_since >= seconds:
            return count
        time.sleep(0.1)
    raise AssertionError('the request log kept growing for %d s' % limit)


def finish_background(base):
    """The service finishes in the background what a killed run left running: complete every
    running task (except those configured never to finish), then put the task timing back.
    Returns the state afterwards (tasks included)."""
    config = control(base, 'GET', '/config')
    control(base, 'PUT', '/config', {'task_seconds': 0})
    control(base, 'GET', '/state')          # advances every task whose time is spent
    control(base, 'PUT', '/config', {'task_seconds': config['task_seconds']})
    return control(base, 'GET', '/state')


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print('ok: ' + message)


def set_rows(rows, mailbox=None, actor=None):
    """``POST /mailboxes/set/<mailbox>?actorId=<actor>`` rows (all statuses), optionally filtered."""
    out = []
    for row in rows:
        if row['method'] != 'POST' or '/mailboxes/set/' not in row['path']:
            continue
        if mailbox is not None and row['path'].rsplit('/', 1)[1] != mailbox:
            continue
        if actor is not None and row['query'].get('actorId') != actor:
            continue
        out.append(row)
    return out


def set_key(row):
    return (row['path'].rsplit('/', 1)[1], row['query']['actorId'], tuple(sorted((row['body'] or {}).get('roles') or ())))


def served(rows):
    return [row for row in rows if row['status'] == 200]


def duplicates(keys):
    seen, dup = set(), set()
    for key in keys:
        (dup if key in seen else seen).add(key)
    return dup


# ------------------------------------------------------------------ (a) the mailboxes module

def mailboxes_runs(workdir, info, people):
    base = info['control_url']
    control(base, 'POST', '/reset')
    groups = [('projects@example.com', people[0:8], [READER, SENDER]),
              ('info@example.com', people[8:16], [READER]),
              ('billing@example.com', people[16:23], [SENDER]),
              ('carol@example.com', people[23:30], [READER])]
    config = []
    for mailbox, actors, roles in groups:
        item = {'mailbox': mailbox, 'access': [{'actor': a['email'], 'roles': roles} for a in actors]}
        if mailbox.startswith('projects'):
            item.update(type='shared', name='Projects', description='Made by the interrupted run')
        config.append(item)
    extra = {'runs_config': config, 'runs_y360': y360_conn(info)}

    control(base, 'PUT', '/config', {'rate_limits': {'y360': 5}})
    first = play(workdir, 'mailboxes.yml', 'mailboxes-interrupted', extra)
    wait_for(first, lambda: len(served(set_rows(log_rows(base)))) >= 5, '5 access changes reached the server')
    kill(first)
    settle(base)
    finish_background(base)
    control(base, 'PUT', '/config', {'rate_limits': {'y360': None}})
    rows_first = log_rows(base)
    mark = rows_first[-1]['seq']
    sets_first = [set_key(row) for row in served(set_rows(rows_first))]
    # 30 grants and carol's removal from billing@
    check(5 <= len(sets_first) < 31, 'the kill landed in the middle: %d of 31 access changes sent' % len(sets_first))
    creates_first = [row for row in rows_first if row['method'] == 'PUT' and row['path'].endswith('/mailboxes/shared')]
    check(len(served(creates_first)) == 1, 'the interrupted run created projects@example.com')

    code, output = finish(play(workdir, 'mailboxes.yml', 'mailboxes-rerun', extra))
    check(code == 0, 'the re-run succeeded (exit %d)\n%s' % (code, output[-3000:]))
    rows_again = log_rows(base, mark)
    mark = rows_again[-1]['seq']
    check(not [row for row in rows_again if row['method'] == 'PUT' and row['path'].endswith('/mailboxes/shared')],
          'the re-run sent no second PUT /mailboxes/shared')
    sets_again = [set_key(row) for row in served(set_rows(rows_again))]
    check(not duplicates(sets_first) and not duplicates(sets_again), 'neither run sent one access change twice')
    check(not set(sets_first) & set(sets_again),
          'the re-run sent no (mailbox, actor, roles) the interrupted run had sent (%d then %d)'
          % (len(sets_first), len(sets_again)))

    state = control(base, 'GET', '/state')['y360']
    projects = [s['id'] for s in state['shared_mailboxes'] if s['email'] == 'projects@example.com']
    check(len(projects) == 1, 'exactly one projects@example.com exists')
    ids = {'projects@example.com': projects[0], 'info@example.com': INFO, 'billing@example.com': BILLING,
           'carol@example.com': CAROL}
    for mailbox, actors, roles in groups:
        got = {actor: sorted(r) for actor, r in state['access'].get(ids[mailbox], {}).items()}
        check(got == {a['id']: sorted(roles) for a in actors}, '%s has exactly its %d configured actors'
              % (mailbox, len(actors)))

    code, output = finish(play(workdir, 'mailboxes.yml', 'mailboxes-third', extra))
    check(code == 0 and 'changed=0' in output, 'a third run succeeded and reported no change (exit %d)' % code)
    check(not [row for row in log_rows(base, mark) if row['write']], 'the third run sent no write')


# ------------------------------------------------------------------ (b) the offboarding role

class Offboarding:
    """One leaver, 20 mailboxes they reach, three successors; the runs and the log checks."""

    def __init__(self, workdir, info, people):
        self.workdir, self.info, self.base = workdir, info, info['control_url']
        self.leaver = people[59]
        self.successors = [(people[57], [READER]), (people[58], [READER, SENDER]), (None, ['shared_mailbox_editor'])]
        self.reached = [p['id'] for p in people[30:47]] + [SUPPORT, BILLING, INFO]
        self.runs = []          # [{'name', 'rows', 'start_state'}]

    def setup(self):
        control(self.base, 'POST', '/reset')
        data = control(self.base, 'GET', '/state')
        data.pop('tasks', None)
        y360 = data['y360']
        for index, mailbox in enumerate(self.reached):
            if mailbox not in (SUPPORT, BILLING, INFO):
                y360['delegated'].append(mailbox)
            y360['access'].setdefault(mailbox, {})[self.leaver['id']] = [[READER], [SENDER], ['shared_mailbox_editor']][index % 3]
        control(self.base, 'PUT', '/state', data)
        control(self.base, 'PUT', '/config', {'task_seconds': 3600, 'task_polls': TASK_POLLS})
        self.initial = control(self.base, 'GET', '/state')['y360']
        check(len([m for m, actors in self.initial['access'].items() if self.leaver['id'] in actors]) == 20,
              'the leaver reaches 20 mailboxes')
        check(self.leaver['id'] not in self.initial['delegated'], "the leaver's mailbox starts without delegation")

    def successor_ids(self):
        return [(p['id'] if p else GRACE, sorted(roles)) for p, roles in self.successors]

    def extra(self):
        delegates = [{'actor': p['email'] if p else 'g.hopper@example.com', 'roles': roles} for p, roles in self.successors]
        return {'offboarding_user': self.leaver['nickname'], 'offboarding_delegates': delegates,
                'runs_y360': y360_conn(self.info)}

    def start(self, name):
        mark = last_seq(self.base)
        state = control(self.base, 'GET', '/state')
        proc = play(self.workdir, 'offboard.yml', name, self.extra())
        self.runs.append({'name': name, 'mark': mark, 'start_state': state})
        return proc

    def close_run(self):
        settle(self.base)
        state = finish_background(self.base)
        run = self.runs[-1]
        run['rows'] = log_rows(self.base, run['mark'])
        return state

    def revocations(self, rows):
        return [row for row in set_rows(rows, actor=self.leaver['id']) if not (row['body'] or {}).get('roles')]

    def handover(self, rows):
        """The hand-over's writes: delegation of the leaver's mailbox and the sets on it."""
        own = self.leaver['id']
        return [row for row in rows
                if (row['method'] == 'PUT' and row['path'].endswith('/mailboxes/delegated')
                    and str((row['body'] or {}).get('resourceId')) == own)
                or row in set_rows(rows, mailbox=own)]

    def run_all(self):
        own = self.leaver['id']
        first_successor = self.successors[0][0]['id']
        # Run 1: the first successor's task never finishes, so the hand-over cannot complete; kill
        # right after its first write (delegation of the leaver's mailbox) reached the server.
        control(self.base, 'PUT', '/config', {'task_outcomes': {'%s:%s' % (own, first_successor): 'never'}})
        proc = self.start('offboard-killed-in-handover')
        wait_for(proc, lambda: any(row['method'] == 'PUT' and row['status'] == 200
                                   for row in self.handover(log_rows(self.base, self.runs[-1]['mark']))),
                 "the hand-over's first write reached the server")
        kill(proc)
        self.close_run()
        control(self.base, 'PUT', '/config', {'task_outcomes': {'%s:%s' % (own, first_successor): 'complete'}})
        rows = self.runs[-1]['rows']
        check(served([r for r in self.handover(rows) if r['method'] == 'PUT']),
              'run 1: the delegation of the leaver\'s mailbox was sent before the kill')
        check(not self.revocations(rows), 'run 1 sent no revocation while the hand-over could not complete (one '
              'successor\'s task never finishes)')

        # Run 2: 3 requests a second; kill once 3 revocations reached the server (of 20).
        control(self.base, 'PUT', '/config', {'rate_limits': {'y360': 3}})
        proc = self.start('offboard-killed-in-revocations')
        wait_for(proc, lambda: len(served(self.revocations(log_rows(self.base, self.runs[-1]['mark'])))) >= 3,
                 '3 revocations reached the server')
        kill(proc)
        self.close_run()
        control(self.base, 'PUT', '/config', {'rate_limits': {'y360': None}})
        revoked = served(self.revocations(self.runs[-1]['rows']))
        check(3 <= len(revoked) < 20, 'run 2: the kill landed during the revocations: %d of 20 sent' % len(revoked))

        # Run 3 to the end, run 4 to show nothing is left to do.
        for name in ('offboard-rerun', 'offboard-converged'):
            code, output = finish(self.start(name))
            self.close_run()
            check(code == 0, '%s succeeded (exit %d)\n%s' % (name, code, output[-3000:]))
        check(not [row for row in self.runs[-1]['rows'] if row['write']], 'the last run sent no write')

    def check_order(self, run):
        """No revocation before the hand-over had completed, from the log and the task table."""
        rows, name = run['rows'], run['name']
        revocations = self.revocations(rows)
        if not revocations:
            print('ok: %s sent no revocation' % name)
            return
        first = min(revocations, key=lambda r: r['received'])
        tasks = self.final_tasks
        own = self.leaver['id']
        start = run['start_state']['y360']
        has = {actor: sorted(roles) for actor, roles in start['access'].get(own, {}).items()}
        delegated = own in start['delegated']
        finished_at = 0.0
        for row in self.handover(rows):
            check(row['answered'] < first['received'],
                  '%s: hand-over write %s %s (seq %d) answered at %.3f s, before the first revocation arrived '
                  '(seq %d, %.3f s)' % (name, row['method'], row['path'].rsplit('/', 2)[-1] + '?' + str(row['query']),
                                        row['seq'], row['answered'], first['seq'], first['received']))
            finished_at = max(finished_at, row['answered'])
            if row['status'] != 200:
                continue
            if row['method'] == 'PUT':
                delegated = True
                continue
            mailbox, actor, roles = set_key(row)
            task = self.task_of[row['seq']]
            check(task['status'] == 'complete', '%s: task %s (grant of %s on the leaver\'s mailbox) completed'
                  % (name, task['taskId'], actor))
            reads = [r for r in rows if r['path'].endswith('/mailboxes/tasks/' + task['taskId']) and r['status'] == 200]
            # the server finishes a task on read number TASK_POLLS + 1: that read answered `complete`
            check(len(reads) > TASK_POLLS and reads[TASK_POLLS]['answered'] < first['received'],
                  '%s: task %s (grant of %s on the leaver\'s mailbox) was read complete (%s) before the first '
                  'revocation arrived (seq %d, %.3f s)'
                  % (name, task['taskId'], actor, 'seq %d, %.3f s' % (reads[TASK_POLLS]['seq'], reads[TASK_POLLS]['answered'])
                     if len(reads) > TASK_POLLS else 'never, in this run: %d status read(s)' % len(reads),
                     first['seq'], first['received']))
            finished_at = max(finished_at, reads[TASK_POLLS]['answered'])
            has[actor] = list(roles)
        done = ('done by %.3f s' % finished_at) if finished_at else 'in place when the run started'
        check(delegated and all(has.get(actor) == roles for actor, roles in self.successor_ids()),
              '%s: the whole hand-over (delegation and %d successors) was complete (%s) before the first '
              'revocation (seq %d) arrived at %.3f s'
              % (name, len(self.successors), done, first['seq'], first['received']))

    def verify(self):
        final = control(self.base, 'GET', '/state')
        self.final_tasks = final['tasks']  # pylint: disable=attribute-defined-outside-init
        # Each served set created one task; for one (mailbox, actor, roles) the sets (one per run at
        # most) and their tasks come in the same order.
        self.task_of = {}  # pylint: disable=attribute-defined-outside-init
        sent = sorted(served(set_rows([row for run in self.runs for row in run['rows']])), key=lambda r: r['received'])
        for key in {set_key(row) for row in sent}:
            tasks = sorted((t for t in self.final_tasks.values()
                            if (t['resourceId'], t['actorId'], tuple(sorted(t['roles']))) == key),
                           key=lambda t: int(t['taskId']))
            rows = [row for row in sent if set_key(row) == key]
            if len(tasks) != len(rows):
                raise AssertionError('%d accepted sets of %s but %d tasks' % (len(rows), key, len(tasks)))
            self.task_of.update((row['seq'], task) for row, task in zip(rows, tasks))
        for run in self.runs:
            self.check_order(run)
        own = self.leaver['id']
        y360 = final['y360']
        check(not [m for m, actors in y360['access'].items() if own in actors], 'the leaver reaches no mailbox')
        check(own in y360['delegated'] and {a: sorted(r) for a, r in y360['access'].get(own, {}).items()}
              == dict(self.successor_ids()), "the leaver's mailbox is delegated to exactly the successors")
        changed = [mailbox for mailbox in self.reached if y360['access'].get(mailbox, {}) != {
            a: r for a, r in self.initial['access'].get(mailbox, {}).items() if a != own}]
        check(not changed, 'the 20 mailboxes kept their other actors (changed: %s)' % (changed or 'none'))
        all_rows = [row for run in self.runs for row in run['rows']]
        revoked = [set_key(row)[0] for row in served(self.revocations(all_rows))]
        check(sorted(revoked) == sorted(self.reached), 'each of the 20 revocations was sent exactly once over the runs')
        delegations = [row for row in served(self.handover(all_rows)) if row['method'] == 'PUT']
        check(len(delegations) == 1, "the leaver's mailbox was delegated exactly once")
        grants = [set_key(row) for row in served(set_rows(all_rows, mailbox=own))]
        never = (own, self.successors[0][0]['id'], tuple(sorted(self.successors[0][1])))
        extra_grants = [key for key in grants if key != never]
        wanted = sorted((own, a, tuple(r)) for a, r in self.successor_ids())
        check(not duplicates(extra_grants) and sorted(set(grants)) == wanted,
              'each successor was granted once, but the one whose task never finished in the killed run '
              '(sent %d times)' % grants.count(never))
        for run in self.runs:
            rev = self.revocations(run['rows'])
            hand = self.handover(run['rows'])
            print('   %-32s hand-over writes %d (%d served, last answered %s s), revocations %d (%d served, '
                  'first received %s s)' % (run['name'], len(hand), len(served(hand)),
                                            max((r['answered'] for r in hand), default='-'), len(rev),
                                            len(served(rev)), min((r['received'] for r in rev), default='-')))


def main():
    workdir = tempfile.mkdtemp(prefix='interrupted_runs.')
    info = start_server(workdir)
    base = info['control_url']
    try:
        # --generate-users: the 60 people survive every reset
        people = [u for u in control(base, 'GET', '/state')['y360']['users'] if u['nickname'].startswith('bench')]
        mailboxes_runs(workdir, info, people)
        offboarding = Offboarding(workdir, info, people)
        offboarding.setup()
        offboarding.run_all()
        offboarding.verify()
    finally:
        try:
            control(base, 'POST', '/shutdown')
        except OSError:
            pass
        if os.environ.get('INTERRUPTED_RUNS_KEEP'):
            print('kept ' + workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
