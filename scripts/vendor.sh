#!/usr/bin/env bash
# Copy the browser libraries of the map and dashboard pages into static/vendor/NAME-VERSION/, with their licence.
#
#   scripts/vendor.sh          fetch each package with `npm pack` (the npm registry) and copy it
#
# No bundler and no node_modules: each library ships a ready ES module that the import map of
# templates/includes/_scripts.html names (Chart.js: its self-contained UMD build, a classic
# script the dashboard's template loads before static/js/dashboard.js). To upgrade one, change its version below, run the
# script, update the import map and static/vendor/README.md, and delete the old folder.
# pbf's one dependency (resolve-protobuf-schema) serves only its schema compiler, never loaded.
set -euo pipefail
cd "$(dirname "$0")/.."

VENDOR=static/vendor
# package@version  destination folder  files (paths inside the package) to copy
PACKAGES=(
    "leaflet@1.9.4|leaflet-1.9.4|LICENSE dist/leaflet-src.esm.js dist/leaflet-src.esm.js.map dist/leaflet.css dist/images"
    "pbf@4.0.2|pbf-4.0.2|LICENSE index.js"
    "@mapbox/point-geometry@1.1.0|point-geometry-1.1.0|LICENSE index.js"
    "@mapbox/vector-tile@2.0.5|vector-tile-2.0.5|LICENSE.txt index.js"
    "chart.js@4.5.1|chartjs-4.5.1|LICENSE.md dist/chart.umd.js dist/chart.umd.js.map"
)

command -v npm >/dev/null || { echo "npm is required (Debian: apt-get install npm)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for entry in "${PACKAGES[@]}"; do
    IFS='|' read -r spec folder files <<<"$entry"
    tarball=$(cd "$work" && npm pack --silent "$spec" | tail -n 1)
    mkdir -p "$work/$folder"
    tar -xzf "$work/$tarball" -C "$work/$folder"
    rm -rf "${VENDOR:?}/$folder"
    mkdir -p "$VENDOR/$folder"
    for file in $files; do
        cp -R "$work/$folder/package/$file" "$VENDOR/$folder/"
    done
    echo "$spec -> $VENDOR/$folder"
done
