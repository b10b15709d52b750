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
