#!/usr/bin/env bash
# Secrets never leak: run every module and both roles with -vvv --diff in success and failure
# paths against the local API server, capture ALL output (stdout, stderr, the Ansible log and
# every returned result), and fail when any credential appears in it: the Y360 tokens, the PDD
# tokens, the CloudUSS passwords and seeded access token, the wrong credentials the failure
# paths type, and every bearer token the server issued during the run. A positive control
# proves the search finds what is there. No `set -x`: this script's own output must not show
# the credentials either.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
server_files="$here/../setup_mailadmin_server/files"
python="${ANSIBLE_TEST_PYTHON_INTERPRETER:-$(command -v python || command -v python3)}"
work="$(mktemp -d "${TMPDIR:-/tmp}/secrets_no_leak.XXXXXX")"
control_url=""

cleanup() {
    if [[ -n "$control_url" ]]; then
        "$python" -c 'import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=b"", method="POST"), timeout=5)' \
            "$control_url/shutdown" || true
    fi
    if [[ -n "${SECRETS_NO_LEAK_KEEP:-}" ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

PYTHONPATH="$server_files" "$python" -m mailadmin_fakeapi --seed "$server_files/seed.json" \
    --state-dir "$work/server" --daemon --lifetime 600 >"$work/server.json"
"$python" "$here/leakcheck.py" prepare "$server_files/seed.json" "$work/server.json" "$work"
control_url="$("$python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["control_url"])' "$work/vars.json")"

export ANSIBLE_LOG_PATH="$work/ansible.log"
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
export ANSIBLE_NOCOLOR=1
# The change report and the journal are output too: every run writes them.
export ANSIBLE_CALLBACKS_ENABLED=mailops.mailadmin.change_report
export MAILADMIN_REPORT_DIR="$work/reports" MAILADMIN_JOURNAL="$work/reports/journal.jsonl"
mkdir -p "$work/reports"

echo "== modules: success and failure paths, -vvv --diff"
ansible-playbook -vvv --diff -e "@$work/vars.json" -e "out_dir=$work" "$here/modules.yml" \
    >"$work/modules.out" 2>&1 || { tail -n 60 "$work/modules.out"; echo "modules.yml failed"; exit 1; }
"$python" "$here/leakcheck.py" collect "$work"
cp "$work/reports/mailadmin-changes.json" "$work/reports/modules.json"
cp "$work/reports/mailadmin-changes.md" "$work/reports/modules.md"

# The roles take their credentials from the collection's environment fallbacks.
eval "$("$python" - "$work/vars.json" <<'PY'
import json, shlex, sys
v = json.load(open(sys.argv[1]))
env = {
    "Y360_TOKEN": v["y360"]["token"], "Y360_ORG_ID": v["y360"]["org_id"],
    "Y360_API_URL": v["y360"]["api_url"], "Y360_CLOUD_API_URL": v["y360"]["cloud_api_url"],
    "CLOUDUSS_USERNAME": v["clouduss"]["username"], "CLOUDUSS_PASSWORD": v["clouduss"]["password"],
    "CLOUDUSS_API_URL": v["clouduss"]["api_url"],
    "PDD_TOKEN": v["pdd"]["token"], "PDD_API_URL": v["pdd"]["api_url"],
}
for key, value in env.items():
    print("export %s=%s" % (key, shlex.quote(str(value))))
PY
)"

echo "== roles: --check --diff -vvv, then --diff -vvv"
for mode in --check ""; do
    # shellcheck disable=SC2086  # $mode is one flag or nothing
    ansible-playbook -vvv --diff $mode -e "@$work/vars.json" -e "out_dir=$work" "$here/roles.yml" \
        >>"$work/roles.out" 2>&1 || { tail -n 60 "$work/roles.out"; echo "roles.yml ${mode:-apply} failed"; exit 1; }
    "$python" "$here/leakcheck.py" collect "$work"
    cp "$work/reports/mailadmin-changes.json" "$work/reports/roles${mode:+-check}.json"
    cp "$work/reports/mailadmin-changes.md" "$work/reports/roles${mode:+-check}.md"
done

captured=("$work/modules.out" "$work/roles.out" "$work/ansible.log" "$work"/returned_*.json
          "$work"/reports/*.json "$work"/reports/*.md "$work/reports/journal.jsonl")
echo "== leak check"
"$python" "$here/leakcheck.py" check "$work" "${captured[@]}"

echo "== positive controls"
# The search must find a string that is in the output...
"$python" "$here/leakcheck.py" present alice@example.com "${captured[@]}"
# ...and must report a secret when one is there.
"$python" - "$work/secrets.json" "$work/selftest.out" <<'PY'
import json, sys
secrets = json.load(open(sys.argv[1]))
with open(sys.argv[2], "w") as handle:
    handle.write("harmless line\nAuthorization: OAuth %s\n" % secrets["y360 token 0"])
PY
if "$python" "$here/leakcheck.py" check "$work" "$work/selftest.out" >"$work/selftest.result"; then
    echo "FAIL: the leak check did not notice a token planted in $work/selftest.out"
    exit 1
fi
grep -q "LEAK: y360 token 0" "$work/selftest.result"
echo "the leak check reports a planted token: ok"
echo "secrets_no_leak: passed"
