# Copyright: mailops.mailadmin contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets of the secrets_no_leak target: collect them, and look for them in captured output.

  leakcheck.py prepare SEED SERVER_JSON OUT_DIR   write OUT_DIR/vars.json for the playbooks
  leakcheck.py collect OUT_DIR                     remember the bearer tokens the server knows now
                                                   (run it after each playbook: a reset forgets them)
  leakcheck.py check OUT_DIR FILE...               exit 1 when any secret appears in a FILE
  leakcheck.py present STRING FILE...              exit 1 unless STRING appears (positive control)

A secret is never printed: a leak is reported by its kind, its length and where it was found.
"""

import json
import os
import sys
import urllib.request

# Credentials the playbooks type on purpose although the server refuses them: a refused
# credential is still a credential and must not be shown either.
WRONG = {
    "y360_wrong_token": "y360-wrong-Tk4Lp8Ws2Qx7",
    "clouduss_wrong_password": "Wrong-Uss-Pa55-Jd93!",
    "clouduss_wrong_access_token": "ussbearer-0000deadbeef9999",
    "pdd_wrong_token": "pdd-wrong-Hq5Rt7Yu1Io3",
}


def load(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def prepare(seed_path, server_path, out_dir):
    seed, server = load(seed_path), load(server_path)
    y360_tokens = seed["y360"]["tokens"]
    admin = next(t for t, info in y360_tokens.items() if info.get("admin"))
    viewer = next(t for t, info in y360_tokens.items() if not info.get("admin"))
    users = seed["clouduss"]["users"]
    main_user = next(u for u in users if not u.get("mfa"))
    mfa_user = next(u for u in users if u.get("mfa"))
    token, account = next(iter(seed["clouduss"]["tokens"].items()))
    pdd_token = next(t for t, domains in seed["pdd"]["tokens"].items() if "example.com" in domains)
    secrets = {"y360 token %d" % i: t for i, t in enumerate(y360_tokens)}
    secrets.update({"clouduss password %d" % i: u["password"] for i, u in enumerate(users)})
    secrets.update({"clouduss seeded access token %d" % i: t for i, t in enumerate(seed["clouduss"]["tokens"])})
    secrets.update({"pdd token %d" % i: t for i, t in enumerate(seed["pdd"]["tokens"])})
    secrets.update(WRONG)
    playbook_vars = {
        "control_url": server["control_url"],
        "y360": {"api_url": server["y360_url"], "cloud_api_url": server["cloud_url"],
                 "token": admin, "viewer_token": viewer, "org_id": seed["y360"]["org_id"]},
        "clouduss": {"api_url": server["clouduss_url"], "username": main_user["username"],
                     "password": main_user["password"], "mfa_username": mfa_user["username"],
                     "mfa_password": mfa_user["password"], "access_token": token, "account_id": account},
        "pdd": {"api_url": server["pdd_url"], "token": pdd_token},
        "wrong": WRONG,
    }
    with open(os.path.join(out_dir, "vars.json"), "w", encoding="utf-8") as handle:
        json.dump(playbook_vars, handle)
    with open(os.path.join(out_dir, "secrets.json"), "w", encoding="utf-8") as handle:
        json.dump(secrets, handle)
    return 0


def issued_tokens(control_url):
    """Every bearer token the server knows, including those it issued during the run."""
    with urllib.request.urlopen(control_url + "/state", timeout=10) as answer:
        state = json.load(answer)
    return sorted(state["clouduss"]["tokens"])


def find(needles, paths):
    """[(name, path, line number)] of every needle found (case-sensitive, verbatim)."""
    found = []
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                for name, value in needles.items():
                    if value and value in line:
                        found.append((name, path, number))
    return found


def collect(out_dir):
    path = os.path.join(out_dir, "issued.json")
    known = load(path) if os.path.exists(path) else []
    vars_ = load(os.path.join(out_dir, "vars.json"))
    known = sorted(set(known) | set(issued_tokens(vars_["control_url"])))
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(known, handle)
    return 0


def check(out_dir, paths):
    secrets = load(os.path.join(out_dir, "secrets.json"))
    collect(out_dir)
    issued = [t for t in load(os.path.join(out_dir, "issued.json")) if t not in secrets.values()]
    secrets.update({"clouduss bearer token issued during the run %d" % i: t for i, t in enumerate(issued)})
    leaks = find(secrets, paths)
    total = sum(os.path.getsize(p) for p in paths)
    print("searched %d bytes in %d file(s) for %d secrets (%d bearer tokens issued during the run)"
          % (total, len(paths), len(secrets), len(issued)))
    if not issued:
        print("FAIL: the server issued no bearer token: the CloudUSS login paths did not run")
        return 1
    for name, path, number in leaks:
        print("LEAK: %s (%d characters) in %s line %d" % (name, len(secrets[name]), path, number))
    return 1 if leaks else 0


def present(needle, paths):
    hits = find({"control string": needle}, paths)
    print("positive control: %r found %d time(s)" % (needle, len(hits)))
    return 0 if hits else 1


def main(argv):
    if argv[:1] == ["prepare"] and len(argv) == 4:
        return prepare(*argv[1:])
    if argv[:1] == ["collect"] and len(argv) == 2:
        return collect(argv[1])
    if argv[:1] == ["check"] and len(argv) >= 3:
        return check(argv[1], argv[2:])
    if argv[:1] == ["present"] and len(argv) >= 3:
        return present(argv[1], argv[2:])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
