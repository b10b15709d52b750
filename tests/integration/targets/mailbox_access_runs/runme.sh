#!/usr/bin/env bash
# Interrupted and parallel mailbox_access runs: the driver starts its own server and playbooks.
set -eu
cd "$(dirname "$0")"
exec "${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}" runme.py "$@"
