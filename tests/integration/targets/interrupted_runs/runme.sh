#!/usr/bin/env bash
# Interrupted mailboxes and offboarding runs: the driver starts its own server and playbooks.
set -eu
cd "$(dirname "$0")"
exec "${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}" runme.py "$@"
