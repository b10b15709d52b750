# shellcheck shell=bash
# Shared helpers for scripts/test and scripts/demo. Source it; it defines functions only
# (plus REPO_ROOT), so the sourcing script keeps control of `set` options and traps.

# The repository root is the collection root; everything is resolved from here so the
# scripts work from any current directory and in a clone at any path.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
export REPO_ROOT

# The interpreter every venv is built from. ansible-core 2.19 is the newest that runs on 3.11,
# and pyenv's bare `python3` may point elsewhere on a developer's machine, so ask for 3.11.
MAILADMIN_PYTHON="${MAILADMIN_PYTHON:-python3.11}"

log() {
    printf '==> %s\n' "$*" >&2
}

die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

# ensure_venv NAME: create or reuse .venv/NAME from requirements/NAME.txt.
# The venv is rebuilt from scratch only when the requirements file or the interpreter
# changed (sha256 stamp), so a warm run costs one hash. A flock serialises engineers who run
# the scripts concurrently in the same checkout: venvs are not relocatable, so they cannot
# be built aside and renamed into place.
ensure_venv() {
    local name="$1"
    local venv="$REPO_ROOT/.venv/$name"
    local req="$REPO_ROOT/requirements/$name.txt"
    local stamp="$venv/.requirements.sha256"
    local want

    [[ -f "$req" ]] || die "missing requirements file $req"
    command -v "$MAILADMIN_PYTHON" >/dev/null 2>&1 || die "$MAILADMIN_PYTHON not found (pyenv install 3.11)"
    want="$( { sha256sum <"$req"; "$MAILADMIN_PYTHON" --version; } | sha256sum | cut -d' ' -f1)"

    mkdir -p "$REPO_ROOT/.venv"
    (
        flock 9
        if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$venv/bin/python" ]]; then
            exit 0
        fi
        log "building .venv/$name from requirements/$name.txt"
        rm -rf "$venv"
        "$MAILADMIN_PYTHON" -m venv "$venv"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
        # Written last: an interrupted build leaves no stamp and is redone next time.
        printf '%s\n' "$want" >"$stamp"
    ) 9>"$REPO_ROOT/.venv/$name.lock"
}

# ensure_venvs NAME...: ensure_venv for several venvs in parallel (pip spends much of its time
# waiting on downloads and unpacking, so two cores still gain). Each build logs to a file that
# is shown only when that build fails.
ensure_venvs() {
    local name logdir rc=0
    local -a pids=() names=()
    logdir="$(mktemp -d)"
    for name in "$@"; do
        ensure_venv "$name" >"$logdir/$name.log" 2>&1 &
        pids+=("$!")
        names+=("$name")
    done
    local i
    for i in "${!pids[@]}"; do
        if ! wait "${pids[$i]}"; then
            printf 'ERROR: building .venv/%s failed:\n' "${names[$i]}" >&2
            cat "$logdir/${names[$i]}.log" >&2
            rc=1
        fi
    done
    rm -rf "$logdir"
    return "$rc"
}

# copy_collection DEST_ROOT: copy the working tree (tracked plus untracked-but-not-ignored
# files, so uncommitted work is tested too) to DEST_ROOT/ansible_collections/mailops/mailadmin
# and print that path. ansible-test resolves symlinks, so a symlink would not do.
copy_collection() {
    local dest="$1/ansible_collections/mailops/mailadmin"
    mkdir -p "$dest"
    (
        cd "$REPO_ROOT" || exit
        # Files deleted in the work tree but still in the index are skipped.
        git ls-files -z --cached --others --exclude-standard \
            | while IFS= read -r -d '' f; do [[ -e "$f" || -L "$f" ]] && printf '%s\0' "$f"; done \
            | xargs -0 -r cp --parents -P -t "$dest" --
    )
    printf '%s\n' "$dest"
}
