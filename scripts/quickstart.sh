#!/usr/bin/env bash
# Quickstart: a running Courier that delivers a sample configuration into a folder of this machine.
#   scripts/quickstart.sh          runs until Ctrl+C
#   scripts/quickstart.sh --once   delivers, shows the result and stops
# Needs the .NET 10 SDK; installs rsync and OpenSSH when missing (with sudo when not root).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prerequisites.sh
ensure_prerequisites

once=false
[ "${1:-}" = "--once" ] && once=true
port="${COURIER_QUICKSTART_PORT:-8085}"
work="$PWD/.quickstart"
rm -rf "$work"
mkdir -p "$work"

echo "Building Courier (first run restores NuGet packages)..."
dotnet publish src/Courier.Host -c Release -o "$work/host" -nologo -v quiet -clp:ErrorsOnly
dotnet build samples/Courier.Samples.LocalDirectory -c Release -nologo -v quiet -clp:ErrorsOnly
mkdir -p "$work/plugins/Courier.Samples.LocalDirectory"
cp -r samples/Courier.Samples.LocalDirectory/bin/Release/net10.0/. "$work/plugins/Courier.Samples.LocalDirectory/"
cp -r samples/quickstart/config samples/quickstart/hermes "$work/"

CONFIG_PATH="$work/config" \
Courier__HermesDirectory="$work/hermes" \
Courier__StateDirectory="$work/state" \
Courier__SshAddress="127.0.0.1:22" \
Courier__PluginDirectories__0="$work/host/plugins" \
Courier__PluginDirectories__1="$work/plugins" \
  "$work/host/Courier.Host" --urls "http://127.0.0.1:$port" >"$work/courier.log" 2>&1 &
host_pid=$!
trap 'kill $host_pid 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  kill -0 $host_pid 2>/dev/null || { cat "$work/courier.log"; echo "Courier did not start." >&2; exit 1; }
  sleep 0.2
done

answer=$(curl -sS -X POST "http://127.0.0.1:$port/update_all")
echo
echo "Courier is running on http://127.0.0.1:$port (log: $work/courier.log)"
echo "POST /update_all answered: $answer"
echo "Delivered into $work/delivered:"
find "$work/delivered" -type f | sed "s|^$work/|  .quickstart/|" | sort
[ "$answer" = "ok" ] || { echo "The delivery failed; see $work/courier.log" >&2; exit 1; }

cat <<NEXT

Try next:
  echo 'LOG_LEVEL=debug' > .quickstart/hermes/app-config/extra.env
  curl -X POST http://127.0.0.1:$port/update_from_hermes_directory -d '{"subdirectory": "app-config"}'
  curl -X POST -H 'Accept: application/json' http://127.0.0.1:$port/update_all     # the full report
  open http://127.0.0.1:$port/status in a browser                                  # what was delivered where, refreshing itself
  curl http://127.0.0.1:$port/reports                                              # the report history, newest first
  curl http://127.0.0.1:$port/metrics                                              # Prometheus metrics
  curl http://127.0.0.1:$port/hermes_address
  ls -R .quickstart/delivered
Configuration: .quickstart/config (sources/, destinations.json). Stop with Ctrl+C.
NEXT

if [ "$once" = true ]; then
  exit 0
fi
wait $host_pid
