#!/usr/bin/env bash
# Re-vendors the playground's third-party files from the npm registry at pinned versions:
#
#   graphiql.min.js, graphiql.min.css   from graphiql@$GRAPHIQL_VERSION
#   react.production.min.js             from react@$REACT_VERSION     (umd/)
#   react-dom.production.min.js         from react-dom@$REACT_VERSION (umd/)
#   LICENSE.graphiql, LICENSE.react, LICENSE.react-dom   (each package's own LICENSE)
#   THIRD-PARTY-NOTICES.txt             every package bundled into graphiql.min.js, with its
#                                       license text, plus the three above and LICENSE.fonts
#   SHA256SUMS                          checksums of the files copied from npm
#
# LICENSE.fonts (the fonts graphiql.min.css embeds: Roboto, Fira Code) is written by hand; this
# script stops when the CSS embeds any other font family, so that it gets reviewed.
#
# Usage (from anywhere; needs node and npm, and the registry):
#   crates/gateway/assets/playground/update.sh [GRAPHIQL_VERSION [REACT_VERSION]]
# With no arguments it re-fetches the pinned versions below, which must reproduce the files in
# SHA256SUMS byte for byte (THIRD-PARTY-NOTICES.txt may still change, listing newer versions of
# the bundled dependencies as npm resolves them). To move to a new version, run it with the new
# versions, then update the pins below, README.md (table, integrity) and docs/playground.md, and
# run the browser test: README.md, "Updating", has the whole procedure.
#
# graphiql must stay on a release that ships the UMD bundle (graphiql.min.js, the 3.x line) and
# react/react-dom on 18.x (React 19 dropped the UMD builds). Nothing is built: the files are
# copied exactly as published. node_modules stays in a temporary directory.
set -euo pipefail

GRAPHIQL_VERSION="${1:-3.8.3}"
REACT_VERSION="${2:-18.3.1}"

say() { echo "update.sh: $*" >&2; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

command -v npm >/dev/null 2>&1 || { say "npm is not installed"; exit 1; }
command -v node >/dev/null 2>&1 || { say "node is not installed"; exit 1; }

say "fetching graphiql@$GRAPHIQL_VERSION, react@$REACT_VERSION, react-dom@$REACT_VERSION into $scratch"
cd "$scratch"
npm pack --silent "graphiql@$GRAPHIQL_VERSION" "react@$REACT_VERSION" "react-dom@$REACT_VERSION" >/dev/null
for archive in "graphiql-$GRAPHIQL_VERSION" "react-$REACT_VERSION" "react-dom-$REACT_VERSION"; do
    name="${archive%-*}"
    mkdir -p "$name"
    tar -xzf "$archive.tgz" -C "$name"
done

copy() { # copy <source> <vendored name>
    [ -f "$1" ] || { say "missing in the package: $1"; exit 1; }
    cp "$1" "$here/$2"
    say "  $2  <-  ${1#"$scratch"/}"
}
copy graphiql/package/graphiql.min.js graphiql.min.js
copy graphiql/package/graphiql.min.css graphiql.min.css
copy react/package/umd/react.production.min.js react.production.min.js
copy react-dom/package/umd/react-dom.production.min.js react-dom.production.min.js
copy graphiql/package/LICENSE LICENSE.graphiql
copy react/package/LICENSE LICENSE.react
copy react-dom/package/LICENSE LICENSE.react-dom

# The bundle must not fetch code at run time: no dynamic import, script injection or workers
# (comment lines aside). The browser test catches any other request leaving the server.
suspects="$(grep -nE 'import\(|importScripts|new Worker|createElement\("script"\)' "$here/graphiql.min.js" \
    | grep -vE '^[0-9]+:[[:space:]]*(\*|//)' || true)"
if [ -n "$suspects" ]; then
    printf '%s\n' "$suspects" | cut -c1-200 | head -n 5 >&2
    say "graphiql.min.js may load code at run time (above); review it before vendoring"
    exit 1
fi

# The fonts graphiql.min.css embeds must be the ones LICENSE.fonts covers.
fonts="$(grep -oE 'font-family:[[:space:]]*[^;}]+' "$here/graphiql.min.css" | sed -E 's/font-family:[[:space:]]*//' \
    | grep -vE '^(var\(|inherit|monospace|arial|.Roboto., sans-serif)' | sort -u | tr '\n' ',')"
if [ "$fonts" != "Fira Code,Roboto," ]; then
    say "graphiql.min.css now embeds these font families: $fonts; update LICENSE.fonts and this check"
    exit 1
fi

# The licenses of what graphiql.min.js bundles: install graphiql's dependency tree (scripts
# off) and read the license of every package the bundle's webpack module ids name.
say "collecting the licenses of the packages bundled into graphiql.min.js"
mkdir tree
(
    cd tree
    npm install --silent --ignore-scripts --no-audit --no-fund --no-save --legacy-peer-deps \
        "graphiql@$GRAPHIQL_VERSION" "react@$REACT_VERSION" "react-dom@$REACT_VERSION" "graphql@16" >/dev/null
)
# Some bundled packages are build-time dependencies of the graphiql monorepo (e.g. @babel/runtime,
# graphql-ws) that npm does not install with graphiql; those are fetched on their own (latest).
notices() { # notices <mode: missing|write>
    node - "$1" "$here/graphiql.min.js" "$here/THIRD-PARTY-NOTICES.txt" "$GRAPHIQL_VERSION" "$REACT_VERSION" \
        "$scratch/tree/node_modules" "$scratch/extra/node_modules" < "$scratch/notices.js"
}
cat > "$scratch/notices.js" <<'NODE'
const fs = require("fs");
const path = require("path");
const [mode, bundle, out, graphiqlVersion, reactVersion, ...roots] = process.argv.slice(2);

// Webpack module ids look like "../../../node_modules/<pkg>/..." for dependencies and
// "../../<workspace-dir>/..." for packages of the graphiql monorepo.
const workspace = {
  "graphiql-react": "@graphiql/react",
  "graphiql-toolkit": "@graphiql/toolkit",
  "graphql-language-service": "graphql-language-service",
  "codemirror-graphql": "codemirror-graphql",
};
const names = new Set();
for (const [, id] of fs.readFileSync(bundle, "utf8").matchAll(/^\/\*\*\*\/ "([^"]+)"/gm)) {
  const parts = id.replace(/^(\.\.\/)+/, "").split("/");
  if (parts[0] === "node_modules") {
    names.add(parts[1].startsWith("@") ? `${parts[1]}/${parts[2]}` : parts[1]);
  } else if (workspace[parts[0]]) {
    names.add(workspace[parts[0]]);
  }
}
names.delete("react"); // react/jsx-runtime: covered by react's own entry below

function find(name) {
  for (const modules of roots) {
    if (!fs.existsSync(modules)) continue;
    const direct = path.join(modules, name);
    if (fs.existsSync(path.join(direct, "package.json"))) return { dir: direct, extra: modules !== roots[0] };
    // A nested copy (another version) somewhere in the tree.
    const stack = [modules];
    while (stack.length) {
      const dir = stack.pop();
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (!entry.isDirectory()) continue;
        const full = path.join(dir, entry.name);
        if (full.endsWith(path.join("node_modules", name)) && fs.existsSync(path.join(full, "package.json"))) {
          return { dir: full, extra: modules !== roots[0] };
        }
        if (entry.name === "node_modules" || entry.name.startsWith("@") || dir.endsWith("node_modules")) stack.push(full);
      }
    }
  }
  return null;
}

function licenseText(dir) {
  const file = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|-|$)/i.test(f));
  return file ? fs.readFileSync(path.join(dir, file), "utf8").trim() : null;
}

const rule = "=".repeat(78);
let text = `Third-party software in Gazette's GraphQL playground (crates/gateway/assets/playground)

The playground serves, unmodified, these files published on npm:
  graphiql.min.js, graphiql.min.css  from graphiql ${graphiqlVersion}  (MIT)
  react.production.min.js            from react ${reactVersion}  (MIT)
  react-dom.production.min.js        from react-dom ${reactVersion}  (MIT)

graphiql.min.js and graphiql.min.css are a bundle that includes the packages listed below.
Their versions are those npm resolves for graphiql@${graphiqlVersion} when this file was
generated; upstream built the bundle from graphiql's own lockfile, so a version may differ
slightly. graphiql.min.css also embeds the Roboto (Apache-2.0) and Fira Code (SIL OFL 1.1)
fonts: see the last section. This file is generated by update.sh.

`;
const entries = [];
const missing = [];
for (const name of ["graphiql", "react", "react-dom", ...[...names].sort()]) {
  const found = find(name);
  if (!found) { missing.push(name); continue; }
  const pkg = JSON.parse(fs.readFileSync(path.join(found.dir, "package.json"), "utf8"));
  const license = typeof pkg.license === "string" ? pkg.license : (pkg.license && pkg.license.type) || "(see text)";
  const version = found.extra ? `${pkg.version}*` : pkg.version;
  entries.push({ name, version, license, text: licenseText(found.dir) });
}
if (mode === "missing") {
  if (missing.length) console.log(missing.join("\n"));
  process.exit(0);
}
if (missing.length) {
  console.error(`update.sh: cannot find these bundled packages: ${missing.join(", ")}`);
  process.exit(1);
}
const nameWidth = Math.max(...entries.map((e) => e.name.length)) + 2;
const versionWidth = Math.max(...entries.map((e) => e.version.length)) + 2;
text += "Package".padEnd(nameWidth) + "Version".padEnd(versionWidth) + "License\n";
for (const e of entries) text += e.name.padEnd(nameWidth) + e.version.padEnd(versionWidth) + e.license + "\n";
if (entries.some((e) => e.version.endsWith("*"))) {
  text += "\n* not in graphiql's npm dependency tree (a build-time dependency of the graphiql\n" +
    "  monorepo); the license shown is that of the latest release.\n";
}
for (const e of entries) {
  text += `\n${rule}\n${e.name} ${e.version} (${e.license})\n${rule}\n\n`;
  text += e.text ? `${e.text}\n` : `This package ships no license file; its package.json declares: ${e.license}.\n`;
}
const fonts = fs.readFileSync(path.join(path.dirname(out), "LICENSE.fonts"), "utf8").trim();
text += `\n${rule}\nFonts embedded in graphiql.min.css (LICENSE.fonts)\n${rule}\n\n${fonts}\n`;
fs.writeFileSync(out, text);
console.error(`update.sh:   THIRD-PARTY-NOTICES.txt  (${entries.length} packages)`);
NODE
mapfile -t extra < <(notices missing)
if [ "${#extra[@]}" -gt 0 ]; then
    say "not in graphiql's dependency tree, fetching on their own: ${extra[*]}"
    mkdir extra
    (cd extra && npm install --silent --ignore-scripts --no-audit --no-fund --no-save --legacy-peer-deps "${extra[@]}" >/dev/null)
fi
notices write

cd "$here"
sha256sum graphiql.min.js graphiql.min.css react.production.min.js react-dom.production.min.js \
    LICENSE.graphiql LICENSE.react LICENSE.react-dom > SHA256SUMS
say "wrote SHA256SUMS:"
cat SHA256SUMS >&2
say "done. Sizes:"
du -b graphiql.min.js graphiql.min.css react.production.min.js react-dom.production.min.js THIRD-PARTY-NOTICES.txt >&2
say "next: cargo test -p gazette-gateway --test playground (needs scripts/ensure-chromium)"
