#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine with the .NET 10 SDK:
#   sudo scripts/test.sh
# Installs rsync, OpenSSH, git, iproute2 and chromium (for the status page tests) when missing, builds in Release and runs every test project.
# The tests start their own sshd processes (free loopback ports, keys they generate) and, for the
# end-to-end suite, network namespaces: run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prerequisites.sh
ensure_prerequisites --with-browser

results=artifacts/test-results
rm -rf "$results"
dotnet build Courier.sln -c Release -nologo -clp:ErrorsOnly
status=0
dotnet test Courier.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@" || status=$?
# The dotnet new template end to end (its generated projects' conformance tests count below too).
scripts/template-e2e.sh "$(pwd)/$results" || status=$?
# The bench harness at its smallest, so docs/performance.md's commands that rerun the measurements keep working. It prints
# figures and never asserts them; it fails only when a delivery is wrong.
dotnet run -c Release --no-build --project bench/Courier.Bench -- delivery --targets 2 --files 20 --iterations 1 --methods courier,baseline,floor || status=$?
dotnet run -c Release --no-build --project bench/Courier.Bench -- delivery --targets 2 --files 20 --iterations 1 --publish atomic || status=$?
dotnet run -c Release --no-build --project bench/Courier.Bench -- storm --targets 2 --files 20 || status=$?
dotnet run -c Release --no-build --project bench/Courier.Bench -- cluster --targets 2 --files 20 --iterations 1 || status=$?
dotnet run -c Release --no-build --project bench/Courier.Bench -- fanout --agents 2 --iterations 1 || status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); passed=$((passed + ${p:-0}))
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters"); failed=$((failed + ${f:-0}))
  s=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters"); skipped=$((skipped + ${s:-0}))
done
echo
echo "Tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "No test ran." >&2
  exit 1
fi
exit "$status"
