#!/usr/bin/env bash
# The macOS disk image: dist/ALS Care Companion.app (from `python tasks.py dist` on a
# Mac) in a compressed .dmg with a link to /Applications to drag it onto.
# Run by .github/workflows/bundles.yml on macos-latest; NOT built or tested on the
# developers' machines (Linux): see the README.
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(python -c 'import caregiver_app; print(caregiver_app.__version__)')
app="dist/ALS Care Companion.app"
test -d "$app" || { echo "no $app: run 'python tasks.py dist' first" >&2; exit 1; }
# App Nap must not delay the reminder timers of a hidden app (issue 21, item 4)
/usr/libexec/PlistBuddy -c "Print :NSAppSleepDisabled" "$app/Contents/Info.plist" | grep -qx true
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
hdiutil create -volname "ALS Care Companion" -srcfolder "$staging" -fs HFS+ \
    -format UDZO -ov "dist/ALS-Care-Companion-$version.dmg"
echo "dist/ALS-Care-Companion-$version.dmg"
