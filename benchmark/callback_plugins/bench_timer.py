# -*- coding: utf-8 -*-
# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Benchmark helper: write each task's wall time (all loop items included) to a JSON file.

Not part of the collection: benchmark/bench.py enables it with ANSIBLE_CALLBACK_PLUGINS and
ANSIBLE_CALLBACKS_ENABLED and names the file in BENCH_TIMER_FILE. The key ``_module_runs`` lists
every run of a module of this collection (the module's short name, once per loop item; skipped
tasks and items are not runs); ``_tasks_run`` counts the tasks that ran (not skipped), whatever
their module.
"""

from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

PREFIX = 'mailops.mailadmin.'

DOCUMENTATION = r'''
name: bench_timer
type: aggregate
short_description: Write task wall times to the file named by BENCH_TIMER_FILE
description:
  - Used by the benchmark of mailops.mailadmin only.
author: mailops.mailadmin contributors (@mailops)
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'bench_timer'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._started = {}
        self._times = {}
        self._runs = []
        self._tasks_run = 0

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._started[task._uuid] = (task.get_name(), time.monotonic())

    def _done(self, result):
        name, started = self._started.get(result._task._uuid, (result._task.get_name(), None))
        if started is not None:
            self._times[name] = round(time.monotonic() - started, 4)

    def _ran(self, result):
        task = result._task
        action = getattr(task, 'resolved_action', None) or task.action
        if action.startswith(PREFIX):
            self._runs.append(action[len(PREFIX):])

    def _finished(self, result):
        self._done(result)
        self._tasks_run += 1
        if not result._task.loop:      # a loop's items are counted one by one below
            self._ran(result)

    v2_runner_on_ok = v2_runner_on_failed = _finished
    v2_runner_on_skipped = _done
    v2_runner_item_on_ok = v2_runner_item_on_failed = _ran

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get('BENCH_TIMER_FILE')
        if path:
            with open(path, 'w', encoding='utf-8') as handle:
                json.dump(dict(self._times, _module_runs=self._runs, _tasks_run=self._tasks_run), handle)
