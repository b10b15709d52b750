#!/usr/bin/env bash
# Organization as code: runs the collection playbooks mailops.mailadmin.export and
# mailops.mailadmin.converge (real ansible-playbook processes) against the local API server.
#   export twice -> byte-identical files, the seed's state exactly, no secret
#   export -> converge --check -> no change, no write; fail_on_changes on it -> exit 0
#   edited state file -> converge --check plans exactly the edits (fail_on_changes -> non-zero)
#   -> converge applies them (server state) -> converge again changes nothing
#   a section absent from the file is not touched; the removal guard stops before any write;
#   converging the first export back (CloudUSS exclusive) -> drift exit, then export == first export
set -euxo pipefail

PYTHON="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}"
SERVER_FILES="$(cd ../setup_mailadmin_server/files && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/playbook_org_as_code.XXXXXX")"

PYTHONPATH="$SERVER_FILES" "$PYTHON" -m mailadmin_fakeapi --seed "$SERVER_FILES/seed.json" \
    --state-dir "$WORK/server" --daemon --lifetime 900 >"$WORK/server.json"
server_url() {
    "$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$WORK/server.json" "$1"
}
MAILADMIN_CONTROL_URL="$(server_url control_url)"
export MAILADMIN_CONTROL_URL
# control METHOD PATH [JSON KEY]: calls the control API; with KEY prints that key of the answer.
control() {
    "$PYTHON" -c '
import json, sys, urllib.request
method, url = sys.argv[1], sys.argv[2]
request = urllib.request.Request(url, data=b"" if method != "GET" else None, method=method)
answer = urllib.request.urlopen(request, timeout=10).read()
if len(sys.argv) > 3:
    print(json.loads(answer)[sys.argv[3]])
' "$1" "$MAILADMIN_CONTROL_URL$2" "${@:3}"
}
cleanup() {
    control POST /shutdown || true
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

STATE="$WORK/state.yml"
FIRST="$WORK/first-export.yml"
EDITED="$WORK/edited.yml"

# Export twice: the seed's organization exactly, then a byte-identical file (and no change).
# seed-export.expected is the export of the seed byte for byte (to_nice_yaml's style, which
# ansible-lint's yaml rule would indent differently; hence not a .yml name).
ansible-playbook mailops.mailadmin.export -e "mailadmin_state_file=$STATE" "$@"
cp "$STATE" "$FIRST"
diff -u seed-export.expected "$FIRST"
ansible-playbook mailops.mailadmin.export -e "mailadmin_state_file=$STATE" "$@" | tee "$WORK/export2.log"
cmp "$FIRST" "$STATE"
grep -Eq 'ok=[0-9]+ +changed=0 +unreachable=0 +failed=0' "$WORK/export2.log"
# The default file name, relative to the directory ansible-playbook runs in.
(cd "$WORK" && ansible-playbook mailops.mailadmin.export "$@")
cmp "$FIRST" "$WORK/mailadmin-state.yml"
if grep -Eq -- "$Y360_TOKEN|$CLOUDUSS_PASSWORD|ussbearer|[0-9a-f]{40}" "$STATE"; then
    echo "the state file holds a secret" >&2
    exit 1
fi
test "$(control GET '/requests?write=1' writes)" = 0

# Round trip: converging the export plans nothing and writes nothing.
control DELETE /requests
ansible-playbook converge-checked.yml -e "@$STATE" --check --diff \
    -e '{"expected_summaries": [], "expected_writes": "none"}' "$@"

# A drift check on an unchanged organization succeeds (a real run, no write).
control DELETE /requests
ansible-playbook mailops.mailadmin.converge -e "@$STATE" -e mailadmin_fail_on_changes=true "$@"
test "$(control GET '/requests?write=1' writes)" = 0

# Edit the state file: erin reads info@example.com, alice may no longer send to
# sales@example.com, new.hire@example.com is registered in CloudUSS.
"$PYTHON" - "$STATE" "$EDITED" <<'PY'
import sys
import yaml
with open(sys.argv[1]) as f:
    state = yaml.safe_load(f)
info = next(m for m in state['mailadmin_mailboxes'] if m['mailbox'] == 'info@example.com')
info['access'].append({'actor': 'erin@example.com', 'roles': ['shared_mailbox_reader']})
sales = next(m for m in state['mailadmin_mail_lists'] if m['mail_list'] == 'sales@example.com')
sales['senders'].remove({'type': 'user', 'id': 'alice@example.com'})
state['mailadmin_clouduss_mailboxes'].append({'email_address': 'new.hire@example.com', 'executive': False})
with open(sys.argv[2], 'w') as f:
    yaml.safe_dump(state, f)
PY
EDITS='{"expected_summaries": [
    "grant shared_mailbox_reader on info@example.com to erin@example.com",
    "stop user:alice@example.com from sending to sales@example.com",
    "register new.hire@example.com in CloudUSS"]}'

# Drift check with drift: non-zero exit, the message lists the planned changes, no write.
control DELETE /requests
if ansible-playbook mailops.mailadmin.converge -e "@$EDITED" --check -e mailadmin_fail_on_changes=true \
        "$@" >"$WORK/drift.log" 2>&1; then
    cat "$WORK/drift.log"
    echo "the drift check passed although the file differs from the organization" >&2
    exit 1
fi
cat "$WORK/drift.log"
grep -q 'Drift, the organization does not match the state file: 3 changes planned (check mode): grant shared_mailbox_reader on info@example.com to erin@example.com; stop user:alice@example.com from sending to sales@example.com; register new.hire@example.com in CloudUSS' "$WORK/drift.log"
test "$(control GET '/requests?write=1' writes)" = 0

# Plan, apply, re-run.
control DELETE /requests
ansible-playbook converge-checked.yml -e "@$EDITED" --check --diff -e "$EDITS" -e expected_writes=none "$@"
ansible-playbook server-state.yml -e edited=false "$@"
control DELETE /requests
ansible-playbook converge-checked.yml -e "@$EDITED" --diff -e "$EDITS" -e expected_writes=some "$@"
ansible-playbook server-state.yml -e edited=true "$@"
control DELETE /requests
ansible-playbook converge-checked.yml -e "@$EDITED" \
    -e '{"expected_summaries": [], "expected_writes": "none"}' -e mailadmin_fail_on_changes=true "$@"

# A section absent from the file is not touched: a CloudUSS-only file sends nothing to Yandex 360.
"$PYTHON" -c '
import sys, yaml
state = yaml.safe_load(open(sys.argv[1]))
yaml.safe_dump({"mailadmin_clouduss_mailboxes": state["mailadmin_clouduss_mailboxes"][:2]}, open(sys.argv[2], "w"))
' "$FIRST" "$WORK/clouduss-only.yml"
control DELETE /requests
ansible-playbook mailops.mailadmin.converge -e "@$WORK/clouduss-only.yml" -e mailadmin_clouduss_exclusive=false "$@"
test "$(control GET '/requests?service=y360' count)" = 0
test "$(control GET '/requests?service=cloud' count)" = 0
test "$(control GET '/requests?service=clouduss' count)" -gt 0

# Back to the first export, CloudUSS exclusive. With no removal allowed, the guard stops the run
# before any write; then the drift check converges (exit non-zero: changes were made) and the
# organization exports to the first file again.
control DELETE /requests
if ansible-playbook mailops.mailadmin.converge -e "@$FIRST" -e mailadmin_clouduss_exclusive=true \
        -e mailadmin_max_removals=0 "$@" >"$WORK/guard.log" 2>&1; then
    cat "$WORK/guard.log"
    echo "the removal guard let the run through" >&2
    exit 1
fi
cat "$WORK/guard.log"
test "$(control GET '/requests?write=1' writes)" = 0
if ansible-playbook mailops.mailadmin.converge -e "@$FIRST" -e mailadmin_clouduss_exclusive=true \
        -e mailadmin_fail_on_changes=true "$@" >"$WORK/revert.log" 2>&1; then
    cat "$WORK/revert.log"
    echo "the drift check passed although it changed the organization" >&2
    exit 1
fi
cat "$WORK/revert.log"
grep -q 'Drift, the organization does not match the state file: 3 changes made: ' "$WORK/revert.log"
ansible-playbook server-state.yml -e edited=false "$@"
ansible-playbook mailops.mailadmin.export -e "mailadmin_state_file=$STATE" "$@"
cmp "$FIRST" "$STATE"
