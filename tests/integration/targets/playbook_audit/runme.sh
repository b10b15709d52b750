#!/usr/bin/env bash
# Runs playbooks/audit.yml (as the collection playbook mailops.mailadmin.audit) against the
# local API server: the report files are right, nothing is written to the services, and a
# second run changes nothing. A script target, because the audit is a whole playbook.
set -euxo pipefail

PYTHON="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}"
SERVER_FILES="$(cd ../setup_mailadmin_server/files && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/playbook_audit.XXXXXX")"

PYTHONPATH="$SERVER_FILES" "$PYTHON" -m mailadmin_fakeapi --seed "$SERVER_FILES/seed.json" \
    --state-dir "$WORK/server" --daemon --lifetime 600 >"$WORK/server.json"
server_url() {
    "$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$WORK/server.json" "$1"
}
MAILADMIN_CONTROL_URL="$(server_url control_url)"
export MAILADMIN_CONTROL_URL
cleanup() {
    "$PYTHON" -c 'import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=b"", method="POST"), timeout=5)' \
        "$MAILADMIN_CONTROL_URL/shutdown" || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# The modules' documented environment fallbacks, with the seed's credentials.
export Y360_TOKEN=y360-admin-7Hq2ZpL9wXc4 Y360_ORG_ID=1234567
Y360_API_URL="$(server_url y360_url)"
Y360_CLOUD_API_URL="$(server_url cloud_url)"
export Y360_API_URL Y360_CLOUD_API_URL
export CLOUDUSS_USERNAME=uss-admin@example.com CLOUDUSS_PASSWORD='Uss-Pa55w0rd-Zx81!'
CLOUDUSS_API_URL="$(server_url clouduss_url)"
export CLOUDUSS_API_URL
export PDD_TOKEN=pdd-tok-Vb7Xs2Kq9Lm3
PDD_API_URL="$(server_url pdd_url)"
export PDD_API_URL

OUT="$WORK/report"
audit_args=(-e @audit-vars.yml -e "audit_output_dir=$OUT")

# First run writes the report; runme.yml then checks it and the request log.
ansible-playbook runme.yml "${audit_args[@]}" "$@"

# Second run: the same state gives the same files, so nothing changes.
ansible-playbook mailops.mailadmin.audit "${audit_args[@]}" "$@" | tee "$WORK/rerun.log"
grep -Eq 'ok=[0-9]+ +changed=0 +unreachable=0 +failed=0' "$WORK/rerun.log"
