# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The benchmark's reading of the server's request times (benchmark/bench.py ``timeline``).

The benchmark reports latency rounds and requests in flight from these figures, so they are
tested like code: a wrong round count would put a wrong "fastest possible" in the docs.
"""

from __future__ import annotations

import importlib.util
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope='module')
def bench():
    spec = importlib.util.spec_from_file_location('mailadmin_bench', os.path.join(ROOT, 'benchmark', 'bench.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rows(*times):
    return [{'received': received, 'answered': answered} for received, answered in times]


def test_dependent_requests_are_one_round_each(bench):
    # Three requests, each sent after the previous answer: three rounds, one in flight at a time.
    line = bench.timeline(rows((0.0, 0.05), (0.052, 0.102), (0.104, 0.154)), 50)
    assert line == {'span': pytest.approx(0.154), 'rounds': 3, 'peak': 1}


def test_concurrent_requests_share_a_round(bench):
    # Sixteen sent together, then a seventeenth once the first answer is in: two rounds.
    together = [(0.001 * number, 0.05 + 0.001 * number) for number in range(16)]
    line = bench.timeline(rows(*together + [(0.051, 0.101)]), 50)
    assert line['rounds'] == 2
    assert line['peak'] == 16


def test_no_requests(bench):
    assert bench.timeline([], 50) == {'span': 0.0, 'rounds': 0, 'peak': 0}


def test_floor_is_requests_times_latency_over_concurrency(bench):
    assert bench.floor_seconds(127, 50, 16) == pytest.approx(0.396875)


def test_read_floor_rounds_reads_up_to_whole_rounds_of_16(bench):
    # 2,633 reads at 16 at once: 165 rounds of 50 ms, plus Ansible's cost of one task.
    assert bench.read_floor(2633, 50, 0.25) == pytest.approx(165 * 0.05 + 0.25)
    assert bench.read_floor(16, 50, 0.25) == pytest.approx(0.30)
    assert bench.read_floor(17, 50, 0.25) == pytest.approx(0.35)
    assert bench.read_floor(0, 50, 0.25) == pytest.approx(0.25)


def test_chain_floor_is_task_cost_plus_rounds(bench):
    assert bench.chain_floor(8, 50, 0.25) == pytest.approx(0.65)


def test_summarize_runs_counts_in_first_run_order(bench):
    runs = ['user_info', 'mailboxes', 'actor_access', 'mailboxes', 'clouduss_mailbox']
    assert bench.summarize_runs(runs) == (5, 'user_info, mailboxes ×2, actor_access, clouduss_mailbox')
    assert bench.summarize_runs(runs, modules=('mailboxes',))[0] == 2
    assert bench.summarize_runs([]) == (0, '')


def org(access, users=6, delegated=None):
    people = [{'id': str(100 + n), 'nickname': 'bench%05d' % n, 'email': 'bench%05d@example.com' % n}
              for n in range(users)]
    seed = [{'id': '1', 'nickname': 'alice', 'email': 'alice@example.com'}]
    ids = [p['id'] for p in people]
    return {'users': seed + people, 'delegated': ['1'] + (ids if delegated is None else delegated), 'access': access}


def test_pick_grants_spreads_over_generated_mailboxes_with_distinct_new_actors(bench):
    y360 = org({'100': {'101': ['shared_mailbox_reader']}})
    grants = bench.pick_grants(y360, 3)
    assert [g['mailbox_id'] for g in grants] == ['100', '102', '104']    # every second of six, seed's left out
    actors = [g['actor_id'] for g in grants]
    assert len(set(actors)) == 3
    for grant in grants:
        assert grant['actor_id'] != grant['mailbox_id']
        assert grant['actor_id'] not in y360['access'].get(grant['mailbox_id'], {})
        assert grant['roles'] == ['shared_mailbox_reader']
    assert grants[0]['mailbox'] == 'bench00000@example.com'


def test_pick_grants_skips_people_near_the_limit_and_refuses_too_many(bench):
    # The first choice for mailbox 100 would be 102 (half the people on), but 102 already reaches 31.
    assert bench.pick_grants(org({}, users=4), 1)[0]['actor_id'] == '102'
    full = {str(1000 + n): {'102': ['shared_mailbox_reader']} for n in range(31)}
    assert bench.pick_grants(org(full, users=4), 1)[0]['actor_id'] == '103'
    with pytest.raises(ValueError):
        bench.pick_grants(org({}, users=2), 3)


def test_with_grants_adds_to_the_named_mailboxes(bench):
    config = [{'mailbox': 'A@example.com', 'type': 'delegated', 'access': [{'actor': 'x@example.com', 'roles': ['r']}]},
              {'mailbox': 'b@example.com', 'type': 'delegated', 'access': []}]
    grants = [{'mailbox': 'a@example.com', 'actor': 'y@example.com', 'roles': ['shared_mailbox_reader']}]
    listed = bench.with_grants(config, grants, only_changed=True)
    assert listed == [{'mailbox': 'A@example.com', 'type': 'delegated', 'access': [
        {'actor': 'x@example.com', 'roles': ['r']}, {'actor': 'y@example.com', 'roles': ['shared_mailbox_reader']}]}]
    whole = bench.with_grants(config, grants, only_changed=False)
    assert len(whole) == 2 and whole[1] == config[1]
    assert len(config[0]['access']) == 1     # the gathered configuration is left as it was
    with pytest.raises(ValueError):
        bench.with_grants(config, [dict(grants[0], mailbox='c@example.com')], only_changed=True)


def test_applied_and_reach(bench):
    access = {'m1': {'a': ['shared_mailbox_reader']}, 'm2': {'a': ['shared_mailbox_sender'], 'b': []},
              'a': {'a': ['shared_mailbox_owner']}}
    grants = [{'mailbox_id': 'm1', 'actor_id': 'a', 'roles': ['shared_mailbox_reader']},
              {'mailbox_id': 'm2', 'actor_id': 'a', 'roles': ['shared_mailbox_reader']},
              {'mailbox_id': 'm3', 'actor_id': 'a', 'roles': ['shared_mailbox_reader']}]
    assert bench.applied(access, grants) == 1
    assert bench.reach_of(access, 'a') == ['m1', 'm2']     # not their own mailbox


def test_recap_changed(bench):
    out = 'PLAY RECAP ****\nlocalhost                  : ok=7    changed=0    unreachable=0    failed=0\n'
    assert bench.recap_changed(out) == 0
    assert bench.recap_changed(out.replace('changed=0', 'changed=12')) == 12
    assert bench.recap_changed('no recap') is None


def test_verdict(bench):
    assert bench.verdict(1.2, 1.3) == 'met'
    assert bench.verdict(1.95, 1.5) == 'not met (by 30 %)'
    assert bench.verdict(60, 50, at_least=True) == 'met'
    assert bench.verdict(40, 50, at_least=True) == 'not met (by 20 %)'


def test_strip_rows_drops_logs_and_outputs(bench):
    results = {'org': {'gathered': {'counts': {'reads': 3, 'rows': [1, 2]}, 'out': 'x', 'wall': 1.0}}, 'l': [({'out': 1},)]}
    assert bench.strip_rows(results) == {'org': {'gathered': {'counts': {'reads': 3}, 'wall': 1.0}}, 'l': [[{}]]}


def test_rounds_of_groups_requests_like_timeline(bench):
    together = [(0.001 * number, 0.05 + 0.001 * number) for number in range(3)]
    log = rows(*together + [(0.051, 0.101), (0.2, 0.25)])
    rounds = bench.rounds_of(log, 50)
    assert [len(r) for r in rounds] == [3, 1, 1]
    assert len(rounds) == bench.timeline(log, 50)['rounds']
    assert bench.rounds_of([], 50) == []
