# shellcheck shell=bash
# Helpers shared by bin/test and bin/demo (and bin/venv). Source it, don't run it:
#   source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"
# Sourcing sets REPO (the repository root) and cds there, so every script works from any
# working directory (make, .ci/run, a shell in a subfolder).

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO" || exit 1

# Messages go to stderr so they never mix with output a caller might capture.
say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

is_root() { [[ $EUID -eq 0 ]]; }

# apt_install PKG...: install Debian packages this project needs from the system (the
# browser, PDF tools, gettext). Only root can do that; anyone else gets told exactly what
# to install instead of a confusing failure later on. `apt-get update` runs at most once
# per script run, because a fresh machine often has no package lists at all.
_APT_UPDATED=0
apt_install() {
    if ! is_root; then
        die "missing system packages: $*. Install them first: sudo apt-get install -y $*"
    fi
    export DEBIAN_FRONTEND=noninteractive
    if [[ $_APT_UPDATED -eq 0 ]]; then
        say "apt-get update"
        apt-get update -q
        _APT_UPDATED=1
    fi
    say "apt-get install $*"
    apt-get install -y -q "$@"
}

# ensure_msgfmt: `manage.py compilemessages` shells out to GNU gettext's msgfmt. Without
# it the .po files are not compiled and the interface silently falls back to English.
ensure_msgfmt() {
    command -v msgfmt >/dev/null 2>&1 || apt_install gettext
    command -v msgfmt >/dev/null 2>&1 || die "msgfmt still not found after installing gettext"
}

# ensure_pango: WeasyPrint (PDF documents) loads Pango at run time. Debian's chromium pulls it
# in; a machine without it gets it here when we are root, and a warning otherwise (the app
# runs, only PDF downloads fail).
ensure_pango() {
    local missing=()
    for pkg in libpango-1.0-0 libpangoft2-1.0-0; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    if is_root; then
        apt_install "${missing[@]}"
    else
        say "warning: PDF downloads need ${missing[*]}: sudo apt-get install -y ${missing[*]}"
    fi
}

# compile_messages: build locale/*/LC_MESSAGES/*.mo from the .po files (the .mo files are
# build output and not in git). .venv is ignored so Django doesn't try to compile the
# catalogues of installed packages (they ship their own .mo files).
compile_messages() {
    if [[ ! -d locale ]]; then
        say "no locale/ folder yet: skipping compilemessages"
        return 0
    fi
    ensure_msgfmt
    .venv/bin/python manage.py compilemessages --ignore=.venv -v0
}
