#!/usr/bin/env bash
# Regenerates the application icons from resources/icon.svg (the source of truth). Needs Debian's
# librsvg2-bin (rsvg-convert), icnsutils (png2icns) and imagemagick (convert for the .ico).
set -euo pipefail
cd "$(dirname "$0")/../resources"
mkdir -p icons
for s in 16 24 32 48 64 128 256 512 1024; do rsvg-convert -w "$s" -h "$s" icon.svg -o "icons/${s}x${s}.png"; done
cp icons/512x512.png icon.png
png2icns icon.icns icons/16x16.png icons/32x32.png icons/48x48.png icons/128x128.png icons/256x256.png icons/512x512.png icons/1024x1024.png >/dev/null
convert icons/16x16.png icons/24x24.png icons/32x32.png icons/48x48.png icons/64x64.png icons/256x256.png icon.ico
