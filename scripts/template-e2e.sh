#!/usr/bin/env bash
# End to end for the `dotnet new courier-plugin` template (run by scripts/test.sh after the suite; needs the
# Release build of the host). Packs Courier.Abstractions, Core, Testing and Templates into a temporary folder
# feed, installs the template into a private hive, generates a destination plugin and a source plugin, builds
# them and runs their conformance tests, then publishes the destination into a plugin folder of the real host
# and delivers through it with the new type.
#   scripts/template-e2e.sh [trx results directory]
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
host_dll=$repo/src/Courier.Host/bin/Release/net10.0/Courier.Host.dll
[ -f "$host_dll" ] || { echo "template-e2e: build the host first (dotnet build Courier.sln -c Release)" >&2; exit 1; }

work=$(mktemp -d /tmp/courier-template-e2e.XXXXXX)
results=${1:-$work/results}
host_pid=
cleanup() {
  if [ -n "$host_pid" ]; then kill "$host_pid" 2>/dev/null || true; wait "$host_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
feed=$work/feed hive=$work/hive

step() { echo "template-e2e: $*"; }
step "packing into $feed"
# The templates first: their pack runs MinVer, whose version the others (built by test.sh; MinVer does not run
# on --no-build) are packed at, as a full pack would.
dotnet pack templates/Courier.Templates -c Release -o "$feed" -nologo -clp:ErrorsOnly
version=$(basename "$(ls "$feed"/Courier.Templates.*.nupkg)" .nupkg); version=${version#Courier.Templates.}
for project in src/Courier.Abstractions src/Courier.Core tests/Courier.Testing; do
  dotnet pack "$project" -c Release --no-build -o "$feed" -nologo -clp:ErrorsOnly -p:IncludeSymbols=false -p:PackageVersion="$version"
done
# As docs/plugins.md installs it: by package id from the folder feed (this build's version), into a private hive.
dotnet new install "Courier.Templates::$version" --add-source "$feed" --debug:custom-hive "$hive"
# A private package cache for the generated projects: packages of this build never mix with stale ones of the same
# version. Only from here on: the repository's own projects keep the machine's cache, or their restore would point
# at this folder, which is removed at the end.
export NUGET_PACKAGES=$work/nuget-packages

for kind in destination source; do
  name=Acme.Courier.Example$([ "$kind" = source ] && echo Source || true)
  step "dotnet new courier-plugin --kind $kind -n $name"
  dotnet new courier-plugin --kind "$kind" --key "acme-$kind" -n "$name" -o "$work/$kind" --feed "$feed" --debug:custom-hive "$hive"
  grep -q '<clear' "$work/$kind/nuget.config" && { echo "template-e2e: the generated nuget.config clears the machine's sources" >&2; exit 1; }
  dotnet build "$work/$kind" -c Release -nologo -clp:ErrorsOnly
  dotnet test "$work/$kind" -c Release --no-build -nologo --logger trx --logger "console;verbosity=minimal" --results-directory "$results"
done

step "delivering through the host with the generated acme-destination type"
dotnet publish "$work/destination/src/Acme.Courier.Example" -c Release -nologo -clp:ErrorsOnly -o "$work/plugins/Acme.Courier.Example"
mkdir -p "$work/config/sources" "$work/hermes/app" "$work/state"
echo "delivered by a generated plugin" >"$work/hermes/app/app.conf"
echo '[{"type": "hermes-directory", "subdirectory": "app", "destinations": ["local"]}]' >"$work/config/sources/app.json"
echo '{"local": {"type": "acme-destination", "path": "../delivered"}}' >"$work/config/destinations.json"
: >"$work/host.log" # exists before the host starts: the port loop below reads it at once
CONFIG_PATH=$work/config Courier__HermesDirectory=$work/hermes Courier__StateDirectory=$work/state \
Courier__UpdateAllOnStart=false Courier__PluginDirectories__0="$(dirname "$host_dll")/plugins" \
Courier__PluginDirectories__1=$work/plugins Logging__Console__FormatterName=simple \
  dotnet "$host_dll" --urls http://127.0.0.1:0 >"$work/host.log" 2>&1 &
host_pid=$!
port=
for _ in $(seq 1 300); do
  port=$(sed -n 's|.*Now listening on: http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/host.log" | head -1)
  [ -n "$port" ] && break
  kill -0 "$host_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$port" ] || { echo "template-e2e: the host did not start:" >&2; cat "$work/host.log" >&2; exit 1; }
answer=$(curl -sS --max-time 120 -X POST "http://127.0.0.1:$port/update_all")
kill "$host_pid"; wait "$host_pid" 2>/dev/null || true; host_pid=
if [ "$answer" != ok ] || [ "$(cat "$work/delivered/app/app.conf" 2>/dev/null)" != "delivered by a generated plugin" ]; then
  echo "template-e2e: POST /update_all answered \"$answer\" and the file did not arrive:" >&2
  cat "$work/host.log" >&2
  exit 1
fi
step "passed"
