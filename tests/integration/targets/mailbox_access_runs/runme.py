"""Interrupted and parallel mailbox_access runs against the local API server.

(b) A 30-actor run is killed (SIGTERM, then SIGKILL) in the middle; the same play run again
    converges, and no actor's grant is sent twice (the server's request log).
(c) Two runs at once on the same mailbox, for different actors: both succeed and both sets of
    grants are there.

"In the middle" is made certain by the server, not by timing: a 5 requests/second limit on the
Yandex 360 host means the 30 grants take seconds, so a kill after the fifth grant reached the
server lands before the last one, however busy the machine is.
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
INFO = '1130000000000503'
ROLES = ['shared_mailbox_reader']


def control(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode('utf-8')
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.load(answer)


def start_server(workdir):
    env = dict(os.environ, PYTHONPATH=SERVER_FILES)
    out = subprocess.run([sys.executable, '-m', 'mailadmin_fakeapi', '--state-dir', os.path.join(workdir, 'server'),
                          '--latency-ms', '100', '--lifetime', '900', '--generate-users', '60', '--daemon'],
                         env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def play(workdir, info, name, actors):
    path = os.path.join(workdir, name + '.json')
    with open(path, 'w', encoding='utf-8') as handle:
        json.dump({'runs_mailbox': 'info@example.com',
                   'runs_access': [{'actor': a['email'], 'roles': ROLES} for a in actors],
                   'runs_y360': {'token': TOKEN, 'org_id': ORG, 'api_url': info['y360_url'],
                                 'cloud_api_url': info['cloud_url']}}, handle)
    log = open(os.path.join(workdir, name + '.log'), 'w', encoding='utf-8')  # pylint: disable=consider-using-with
    proc = subprocess.Popen(['ansible-playbook', os.path.join(HERE, 'grant.yml'), '-e', '@' + path],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    proc.log_path = log.name
    return proc


def finish(proc, timeout=600):
    code = proc.wait(timeout)
    with open(proc.log_path, encoding='utf-8') as handle:
        output = handle.read()
    return code, output


def sets(base):
    """``[actorId, ...]`` of every grant the server accepted, in arrival order."""
    rows = control(base, 'GET', '/requests?service=y360&method=POST&status=200')['requests']
    return [row['query']['actorId'] for row in rows if row['path'].endswith('/mailboxes/set/' + INFO)]


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


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print('ok: ' + message)


def interrupted_run(workdir, info, people):
    base = info['control_url']
    control(base, 'POST', '/reset')
    control(base, 'PUT', '/config', {'rate_limits': {'y360': 5}})
    actors = people[:30]
    first = play(workdir, info, 'interrupted', actors)
    deadline = time.monotonic() + 300
    while len(sets(base)) < 5:
        if first.poll() is not None or time.monotonic() > deadline:
            raise AssertionError('the first run ended (exit %s) or took 300 s before 5 grants reached '
                                 'the server' % first.returncode)
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGTERM)
    try:
        first.wait(2)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(first.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    first.wait(60)
    settle(base)
    sent_first = sets(base)
    check(5 <= len(sent_first) < 30, 'the kill landed in the middle: %d of 30 grants sent' % len(sent_first))

    control(base, 'PUT', '/config', {'rate_limits': {'y360': None}})
    code, output = finish(play(workdir, info, 'rerun', actors))
    check(code == 0, 'the re-run succeeded (exit %d)\n%s' % (code, output[-3000:]))
    sent_all = sets(base)
    sent_again = sent_all[len(sent_first):]
    check(sorted(set(sent_first) | set(sent_again)) == sorted(a['id'] for a in actors),
          'every actor was granted in one of the two runs')
    check(not set(sent_first) & set(sent_again),
          'the re-run sent no grant the interrupted run had already sent (%d then %d)'
          % (len(sent_first), len(sent_again)))
    access = control(base, 'GET', '/state')['y360']['access'].get(INFO, {})
    check(access == {a['id']: ROLES for a in actors}, 'info@example.com has exactly the 30 actors')


def parallel_runs(workdir, info, people):
    base = info['control_url']
    control(base, 'POST', '/reset')
    first_half, second_half = people[30:45], people[45:60]
    runs = [play(workdir, info, 'parallel%d' % index, half) for index, half in enumerate((first_half, second_half))]
    for index, run in enumerate(runs):
        code, output = finish(run)
        check(code == 0, 'parallel run %d succeeded (exit %d)\n%s' % (index, code, output[-3000:]))
    sent = sets(base)
    wanted = sorted(a['id'] for a in first_half + second_half)
    check(sorted(sent) == wanted, 'each of the 30 actors was granted exactly once')
    access = control(base, 'GET', '/state')['y360']['access'].get(INFO, {})
    check(access == {a['id']: ROLES for a in first_half + second_half}, 'both runs\' actors are on info@example.com')


def main():
    workdir = tempfile.mkdtemp(prefix='mailbox_access_runs.')
    info = start_server(workdir)
    base = info['control_url']
    try:
        # --generate-users: the 60 people survive every reset
        people = [u for u in control(base, 'GET', '/state')['y360']['users'] if u['nickname'].startswith('bench')]
        interrupted_run(workdir, info, people)
        parallel_runs(workdir, info, people)
    finally:
        try:
            control(base, 'POST', '/shutdown')
        except OSError:
            pass
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
