#!/usr/bin/env bash
# The change_report callback in real ansible-playbook runs against the local API server:
# a plan (--check --diff), the apply, a re-run, the same re-run without the callback (Ansible's
# output must be the same), and an apply whose report directory and journal cannot be
# written (warnings naming both paths, the playbook's result unchanged). check.py then reads
# every file the callback wrote. No `set -x`: the output must not show the credentials.
set -euo pipefail

PYTHON="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}"
SERVER_FILES="$(cd ../setup_mailadmin_server/files && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/callback_change_report.XXXXXX")"

PYTHONPATH="$SERVER_FILES" "$PYTHON" -m mailadmin_fakeapi --seed "$SERVER_FILES/seed.json" \
    --state-dir "$WORK/server" --daemon --lifetime 600 >"$WORK/server.json"
server_url() {
    "$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$WORK/server.json" "$1"
}
CONTROL_URL="$(server_url control_url)"
control_post() {
    "$PYTHON" -c 'import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=b"", method="POST"), timeout=5).read()' \
        "$CONTROL_URL/$1"
}
cleanup() {
    control_post shutdown || true
    if [[ -n "${CHANGE_REPORT_KEEP:-}" ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
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

export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false ANSIBLE_NOCOLOR=1
export ANSIBLE_RETRY_FILES_ENABLED=false
export ANSIBLE_CALLBACKS_ENABLED=mailops.mailadmin.change_report
export MAILADMIN_JOURNAL="$WORK/journal.jsonl"

# run NAME ANSIBLE-PLAYBOOK-ARGS...: the playbook with the report in $WORK/NAME.
run() {
    local name="$1"
    shift
    echo "== $name: ansible-playbook $*"
    MAILADMIN_REPORT_DIR="$WORK/$name" ansible-playbook "$@" changes.yml \
        >"$WORK/$name.out" 2>"$WORK/$name.err" \
        || { cat "$WORK/$name.out" "$WORK/$name.err"; echo "FAIL: $name exited non-zero"; exit 1; }
}

run plan --check --diff
if [[ -e "$MAILADMIN_JOURNAL" ]]; then
    echo "FAIL: a plan wrote to the journal"
    cat "$MAILADMIN_JOURNAL"
    exit 1
fi
run apply --diff
run rerun --diff

echo "== the same re-run without the callback: Ansible's output is the same"
env -u ANSIBLE_CALLBACKS_ENABLED MAILADMIN_REPORT_DIR="$WORK/disabled" ansible-playbook --diff changes.yml \
    >"$WORK/disabled.out" 2>"$WORK/disabled.err" \
    || { cat "$WORK/disabled.out" "$WORK/disabled.err"; echo "FAIL: the run without the callback exited non-zero"; exit 1; }
[[ ! -e "$WORK/disabled" ]] || { echo "FAIL: a report was written with the callback disabled"; exit 1; }
diff -u "$WORK/disabled.out" "$WORK/rerun.out" || { echo "FAIL: the callback changed Ansible's output"; exit 1; }

echo "== an apply whose report directory and journal cannot be written"
control_post reset
cp "$MAILADMIN_JOURNAL" "$WORK/journal.kept"
: >"$WORK/a-file"
MAILADMIN_REPORT_DIR="$WORK/a-file/reports" MAILADMIN_JOURNAL="$WORK" ansible-playbook --diff changes.yml \
    >"$WORK/unwritable.out" 2>"$WORK/unwritable.err" \
    || { cat "$WORK/unwritable.out" "$WORK/unwritable.err"; echo "FAIL: unwritable paths failed the playbook"; exit 1; }
diff -u "$WORK/apply.out" "$WORK/unwritable.out" || { echo "FAIL: the playbook's output differs"; exit 1; }
"$PYTHON" check.py warnings "$WORK/unwritable.err" "$WORK/a-file/reports" "$WORK"
cmp "$MAILADMIN_JOURNAL" "$WORK/journal.kept"

echo "== the files"
"$PYTHON" check.py files "$WORK"
echo "callback_change_report: passed"
