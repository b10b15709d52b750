# shellcheck shell=bash
# Shared helpers for scripts/test and scripts/demo. Source it; it defines functions only
# (plus REPO_ROOT), so the sourcing script keeps control of `set` options and traps.

# The repository root is the collection root; everything is resolved from here so the
# scripts work from any current directory and in a clone at any path.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
export REPO_ROOT

# The Python each venv is built from: ansible-core 2.19 is the newest that runs on 3.11, 2.20
# needs 3.12 and 2.21 needs 3.13 (see requirements/<venv>.txt).
python_version_of() {
    case "$1" in
        core219) echo 3.11 ;;
        core220) echo 3.12 ;;
        core221) echo 3.13 ;;
        *) die "no Python version known for .venv/$1 (add it to python_version_of in scripts/lib/common.sh)" ;;
    esac
}

# find_python X.Y: print the path of a working pythonX.Y, or return 1. Looks, in order, at
# $MAILADMIN_PYTHON_X_Y (e.g. MAILADMIN_PYTHON_3_12=/opt/py/bin/python3.12), `pythonX.Y` on
# PATH, then pyenv's versions/X.Y.*/bin/pythonX.Y, newest first. A pyenv shim on PATH that is
# not active ("pyenv: python3.12: command not found") does not count: each candidate must run.
find_python() {
    local want="$1" override root candidate
    local -a candidates=()
    override="MAILADMIN_PYTHON_${want//./_}"
    if [[ -n "${!override:-}" ]]; then
        candidates+=("${!override}")
    fi
    candidate="$(command -v "python$want" 2>/dev/null)" && candidates+=("$candidate")
    root="$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")"
    while IFS= read -r candidate; do
        candidates+=("$candidate")
    done < <(compgen -G "$root/versions/$want.*/bin/python$want" | sort -rV)
    for candidate in "${candidates[@]}"; do
        if "$candidate" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$want'.split('.'))))" \
            >/dev/null 2>&1; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    return 1
}

# where_python_looked X.Y: one line saying where find_python looked, for error messages.
where_python_looked() {
    local want="$1" root
    root="$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")"
    printf 'python%s not found: looked at %s, python%s on PATH and %s/versions/%s.*/bin (install it with "pyenv install %s", or set %s to its path)' \
        "$want" "\$MAILADMIN_PYTHON_${want//./_}" "$want" "$root" "$want" "$want" "MAILADMIN_PYTHON_${want//./_}"
}

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
    local want version python

    [[ -f "$req" ]] || die "missing requirements file $req"
    version="$(python_version_of "$name")"
    python="$(find_python "$version")" || die "$(where_python_looked "$version"); .venv/$name needs it"
    want="$( { sha256sum <"$req"; "$python" --version; } | sha256sum | cut -d' ' -f1)"

    mkdir -p "$REPO_ROOT/.venv"
    (
        flock 9
        if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$venv/bin/python" ]]; then
            exit 0
        fi
        log "building .venv/$name from requirements/$name.txt with $python"
        rm -rf "$venv"
        "$python" -m venv "$venv"
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
    local name logdir rc=0 version
    local -a pids=() names=() missing=()
    # Name every missing interpreter at once rather than one per run.
    for name in "$@"; do
        version="$(python_version_of "$name")"
        find_python "$version" >/dev/null || missing+=("$(where_python_looked "$version"); .venv/$name needs it")
    done
    if ((${#missing[@]})); then
        printf 'ERROR: %s\n' "${missing[@]}" >&2
        return 1
    fi
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
