#!/usr/bin/env bash
# Quickstart: Courier's real job on this one machine, with no server of yours.
#   1. a git repository of a sample configuration (samples/quickstart/repository) in .quickstart/git/;
#   2. an OpenSSH server of its own: /usr/sbin/sshd run as you, on a free loopback port, with host and client keys
#      it generates in .quickstart/ (the system's sshd is not touched). It serves that repository (git over SSH) and
#      two "ships", the hermes paths .quickstart/ship1 and .quickstart/ship2;
#   3. Courier, with a git source over SSH and two ssh destinations (samples/quickstart/courier), trusting only that
#      sshd's host key (Courier:Ssh:KnownHostsFile), delivering with rsync over SSH: it prints the report;
#   4. a second commit, announced the way GitLab does (a push hook on /gitlab_web_hook): the changed file arrives on
#      both ships, and it prints that update's report.
#   scripts/quickstart.sh          then keeps running until Ctrl+C and prints what to try next
#   scripts/quickstart.sh --once   stops when done, leaving nothing running (its sshd included)
# Needs the .NET 10 SDK; installs rsync, OpenSSH, git and curl when missing (with sudo when not root).
# COURIER_QUICKSTART_PORT (default 8085) is Courier's HTTP port.
set -euo pipefail
cd "$(dirname "$0")/.."

once=false
case "$#:${1:-}" in
  0:) ;;
  1:--once) once=true ;;
  *) echo "usage: scripts/quickstart.sh [--once]" >&2; exit 2 ;;
esac

source scripts/prerequisites.sh
ensure_prerequisites

port="${COURIER_QUICKSTART_PORT:-8085}"
base="http://127.0.0.1:$port"
work="$PWD/.quickstart"
user="$(id -un)"

fail() { echo "quickstart: $*" >&2; exit 1; }
listening() { [ -n "$(ss -Hltn "sport = :$1")" ]; }
now_ms() { local ns; ns=$(date +%s%N); echo $((ns / 1000000)); }
seconds_since() { local ms=$(($(now_ms) - $1)); printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100)); }

[[ "$port" =~ ^[0-9]+$ ]] || fail "COURIER_QUICKSTART_PORT must be a port number, got \"$port\"."
# ssh, rsync (--rsh) and git addresses of Courier's configuration take these paths as words.
[[ "$work" != *[[:space:]]* ]] || fail "the quickstart works in $work, which holds white space: run it from a clone whose path has none."
! listening "$port" || fail "port $port is in use (a quickstart still running?): stop it, or set COURIER_QUICKSTART_PORT."

# --- Stopping what it started: Courier, then its sshd, each with whatever is left of its process tree. -----------
host_pid=""
sshd_pid=""
alive() { local state; state=$(ps -o stat= -p "$1" 2>/dev/null) && [[ "$state" != Z* ]]; }
descendants() {
  local child
  for child in $(pgrep -P "$1" || true); do
    echo "$child"
    descendants "$child"
  done
}
stop() {   # stop PID GRACE_SECONDS: SIGTERM, GRACE for it to end, then SIGKILL; its remaining descendants likewise
  local pid=$1 grace=$2 tree i p
  tree=$(descendants "$pid")
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do alive "$pid" || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for p in $tree; do kill -TERM "$p" 2>/dev/null || true; done
  for ((i = 0; i < 30; i++)); do
    local left=false
    for p in $tree; do ! alive "$p" || left=true; done
    [ "$left" = true ] || break
    sleep 0.1
  done
  for p in $tree; do kill -KILL "$p" 2>/dev/null || true; done
}
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$host_pid" ]; then stop "$host_pid" 20; fi
  if [ -n "$sshd_pid" ]; then stop "$sshd_pid" 5; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

rm -rf "$work"
mkdir -p "$work"
started=$(now_ms)

echo "Building Courier (the first run restores NuGet packages)..."
t=$(now_ms)
# No MSBuild nodes or compiler server left running once it is done (for one build they save little).
dotnet publish src/Courier.Host -c Release -o "$work/host" -nologo -v quiet -clp:ErrorsOnly -nodeReuse:false -p:UseSharedCompilation=false
echo "  published in $(seconds_since "$t")"

# --- The quickstart's own sshd. ------------------------------------------------------------------------------------
mkdir -p "$work/sshd" "$work/config/keys" "$work/hermes" "$work/reports"
ssh-keygen -q -t ed25519 -N '' -C "courier-quickstart sshd" -f "$work/sshd/ssh_host_ed25519_key" </dev/null
ssh-keygen -q -t ed25519 -N '' -C "courier-quickstart courier" -f "$work/config/keys/courier.key" </dev/null
# Courier's key may run commands (git-upload-pack, rsync) and nothing else: no forwarding, no terminal.
printf 'restrict %s\n' "$(cat "$work/config/keys/courier.key.pub")" >"$work/sshd/authorized_keys"
# As root, sshd checks its privilege separation directory (the system's sshd package makes it at boot).
if [ "$(id -u)" -eq 0 ]; then mkdir -p /run/sshd; fi

start_sshd() {
  local candidate i
  for candidate in $(seq 2222 2299); do
    ! listening "$candidate" || continue
    cat >"$work/sshd/sshd_config" <<CONFIG
# The quickstart's sshd (scripts/quickstart.sh): loopback only, the key in .quickstart/config/keys only, as $user.
Port $candidate
ListenAddress 127.0.0.1
HostKey $work/sshd/ssh_host_ed25519_key
AuthorizedKeysFile $work/sshd/authorized_keys
AllowUsers $user
PidFile none
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
AllowTcpForwarding no
AllowAgentForwarding no
X11Forwarding no
LogLevel INFO
CONFIG
    /usr/sbin/sshd -D -e -f "$work/sshd/sshd_config" >"$work/sshd/sshd.log" 2>&1 &
    sshd_pid=$!
    for ((i = 0; i < 100; i++)); do
      if grep -q "Server listening on" "$work/sshd/sshd.log"; then
        ssh_port=$candidate
        return 0
      fi
      alive "$sshd_pid" || break
      sleep 0.1
    done
    # Taken in the meantime, or sshd refused to start: the log says which.
    stop "$sshd_pid" 2
    sshd_pid=""
    grep -q "Address already in use" "$work/sshd/sshd.log" || { cat "$work/sshd/sshd.log" >&2; fail "sshd did not start."; }
  done
  fail "no free port for sshd in 2222-2299."
}
t=$(now_ms)
start_sshd
ssh_address="127.0.0.1:$ssh_port"
# Courier checks the host key against this file only (Courier:Ssh:StrictHostKeyChecking=yes).
printf '[127.0.0.1]:%s %s\n' "$ssh_port" "$(cut -d' ' -f1,2 "$work/sshd/ssh_host_ed25519_key.pub")" >"$work/known_hosts"
# The same login for you, to run commands there (ssh -F .quickstart/ssh_config quickstart ls; no terminal: the key is
# restricted). Courier's ssh reads this file too (Courier:Ssh:ConfigFile), instead of your ~/.ssh/config.
cat >"$work/ssh_config" <<CONFIG
Host quickstart
    HostName 127.0.0.1
    Port $ssh_port
    User $user
    IdentityFile $work/config/keys/courier.key
    IdentitiesOnly yes
    UserKnownHostsFile $work/known_hosts
    StrictHostKeyChecking yes
CONFIG
echo "sshd of the quickstart listening on $ssh_address as $user (started in $(seconds_since "$t"); log: .quickstart/sshd/sshd.log)"

# --- The configuration repository (the one sshd serves) and a checkout of it to commit in. -------------------------
quickstart_git() {
  GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 \
    GIT_AUTHOR_NAME="Courier quickstart" GIT_AUTHOR_EMAIL="quickstart@example.invalid" \
    GIT_COMMITTER_NAME="Courier quickstart" GIT_COMMITTER_EMAIL="quickstart@example.invalid" \
    git "$@"
}
repository="$work/git/quickstart-config.git"
checkout="$work/checkout"
git_url="ssh://$user@$ssh_address$repository"
quickstart_git init -q --bare -b main "$repository"
quickstart_git init -q -b main "$checkout"
git -C "$checkout" config user.name "Courier quickstart"
git -C "$checkout" config user.email "quickstart@example.invalid"
git -C "$checkout" config commit.gpgsign false
cp -R samples/quickstart/repository/. "$checkout/"
quickstart_git -C "$checkout" add -A
quickstart_git -C "$checkout" commit -q -m "The sample configuration"
quickstart_git -C "$checkout" remote add origin "$repository"
quickstart_git -C "$checkout" push -q -u origin main
echo "Configuration repository: $git_url (checkout: .quickstart/checkout)"

# --- Courier's Hermes configuration: samples/quickstart/courier with this machine's values. -------------------------
json_text() { local s=$1; s=${s//\\/\\\\}; s=${s//\"/\\\"}; printf '%s' "$s"; }
fill() {   # fill TEMPLATE TARGET: each @NAME@ becomes its value, as the text of a JSON string
  local text
  text=$(<"$1")
  text=${text//@GIT_URL@/"$(json_text "$git_url")"}
  text=${text//@SSH_ADDRESS@/"$(json_text "$ssh_address")"}
  text=${text//@SSH_USER@/"$(json_text "$user")"}
  text=${text//@WORK@/"$(json_text "$work")"}
  printf '%s\n' "$text" >"$2"
}
mkdir -p "$work/config/sources"
fill samples/quickstart/courier/config.json "$work/config/config.json"
fill samples/quickstart/courier/destinations.json "$work/config/destinations.json"
fill samples/quickstart/courier/sources/quickstart.json "$work/config/sources/quickstart.json"

# --- Courier. --------------------------------------------------------------------------------------------------------
# No update on start: the first delivery is the POST /update_all below, whose report this script shows.
t=$(now_ms)
CONFIG_PATH="$work/config" \
Courier__HermesDirectory="$work/hermes" \
Courier__StateDirectory="$work/state" \
Courier__SshAddress="$ssh_address" \
Courier__UpdateAllOnStart=false \
Courier__Ssh__KnownHostsFile="$work/known_hosts" \
Courier__Ssh__StrictHostKeyChecking=yes \
Courier__Ssh__ConfigFile="$work/ssh_config" \
Courier__Ssh__User="$user" \
Courier__Ssh__Key=keys/courier.key \
Courier__Ssh__Sudo=false \
Courier__UpdateHermes__AllowedPaths__0="$work" \
  "$work/host/Courier.Host" --urls "$base" >"$work/courier.log" 2>&1 &
host_pid=$!

for _ in $(seq 1 150); do
  curl -fsS "$base/health" >/dev/null 2>&1 && break
  alive "$host_pid" || { cat "$work/courier.log" >&2; fail "Courier did not start."; }
  sleep 0.2
done
curl -fsS "$base/health" >/dev/null 2>&1 || { cat "$work/courier.log" >&2; fail "Courier did not answer on $base/health."; }
echo "Courier listening on $base (started in $(seconds_since "$t"); log: .quickstart/courier.log)"

# --- Reading Courier's JSON reports: awk (on every Debian machine) flattens them into "path<TAB>value" lines. ------
flatten_json='
function fail(message) { printf "quickstart: unreadable JSON: %s at character %d\n", message, pos > "/dev/stderr"; exit 1 }
function skip_space() { while (pos <= n && index(" \t\r\n", substr(s, pos, 1)) > 0) pos++ }
function text(    out, c, code) {
  if (substr(s, pos, 1) != "\"") fail("expected a string")
  pos++; out = ""
  for (;;) {
    c = substr(s, pos, 1); pos++
    if (c == "") fail("unterminated string")
    if (c == "\"") return out
    if (c == "\\") {
      c = substr(s, pos, 1); pos++
      if (c == "n" || c == "r" || c == "t") c = " "
      else if (c == "u") {
        code = hex[tolower(substr(s, pos, 2))] * 256 + hex[tolower(substr(s, pos + 2, 2))]; pos += 4
        c = (code >= 32 && code < 127) ? sprintf("%c", code) : "?"
      }
    }
    out = out c
  }
}
function value(path,    c, i, word) {
  skip_space(); c = substr(s, pos, 1)
  if (c == "{") {
    pos++; skip_space()
    if (substr(s, pos, 1) == "}") { pos++; return }
    for (;;) {
      skip_space(); word = text(); skip_space()
      if (substr(s, pos, 1) != ":") fail("expected :")
      pos++; value(path == "" ? word : path "." word); skip_space()
      c = substr(s, pos, 1); pos++
      if (c == "}") return
      if (c != ",") fail("expected , or }")
    }
  }
  if (c == "[") {
    pos++; skip_space(); i = 0
    if (substr(s, pos, 1) != "]") {
      for (;;) {
        value(path "." i); i++; skip_space()
        c = substr(s, pos, 1); pos++
        if (c == "]") break
        if (c != ",") fail("expected , or ]")
      }
    } else pos++
    print path ".count\t" i
    return
  }
  if (c == "\"") { print path "\t" text(); return }
  word = ""
  while (pos <= n && index("{}[],: \t\r\n", substr(s, pos, 1)) == 0) { word = word substr(s, pos, 1); pos++ }
  if (word == "") fail("expected a value")
  if (word != "null") print path "\t" word
}
BEGIN { for (i = 0; i < 256; i++) hex[sprintf("%02x", i)] = i }
{ s = s $0 "\n" }
END { n = length(s); pos = 1; value("") }
'
json_get() {   # json_get FILE PATH: one value of a JSON file (empty when absent)
  awk "$flatten_json" "$1" | awk -F '\t' -v path="$2" '$1 == path && !found { print $2; found = 1 }'
}
ship_files() {   # ship_files SHIP MARKER: the files of a ship written after MARKER
  (cd "$work/$1" && find . -type f -cnewer "$2" | sed 's|^\./||' | sort | paste -sd ' ' -)
}
span() {   # span 00:00:01.7599480: a TimeSpan of the report, in ms
  local h m sec fraction
  IFS=: read -r h m sec <<<"$1"
  fraction="${sec#*.}000"
  [[ "$sec" == *.* ]] || fraction=000
  echo "$((((10#$h * 60 + 10#$m) * 60 + 10#${sec%%.*}) * 1000 + 10#${fraction:0:3})) ms"
}
show_report() {   # show_report FILE MARKER: each target of an update report, with what it received
  local -A v=()
  local key value s d t
  while IFS=$'\t' read -r key value; do v[$key]=$value; done < <(awk "$flatten_json" "$1")
  echo "  update ${v[id]:-?} (${v[trigger]:-?}), $(span "${v[duration]:-0:0:0}"): $([ "${v[succeeded]:-}" = true ] && echo ok || echo FAILED)"
  for ((s = 0; s < ${v[configuration_errors.count]:-0}; s++)); do
    echo "  configuration ERROR ${v[configuration_errors.$s]}"
  done
  for ((s = 0; s < ${v[sources.count]:-0}; s++)); do
    echo "  source ${v[sources.$s.source]} at revision ${v[sources.$s.revision]:-none}${v[sources.$s.error]:+: ERROR ${v[sources.$s.error]}}"
    for ((d = 0; d < ${v[sources.$s.destinations.count]:-0}; d++)); do
      local alias=${v[sources.$s.destinations.$d.alias]}
      [ -z "${v[sources.$s.destinations.$d.error]:-}" ] || echo "    $alias: ERROR ${v[sources.$s.destinations.$d.error]}"
      for ((t = 0; t < ${v[sources.$s.destinations.$d.deliveries.count]:-0}; t++)); do
        local p="sources.$s.destinations.$d.deliveries.$t"
        if [ "${v[$p.succeeded]}" = true ]; then
          echo "    $alias  ${v[$p.target]}  ok, ${v[$p.bytes_sent]} bytes sent in $(span "${v[$p.duration]}")"
          [[ ! "$alias" =~ ^ship[0-9]+$ ]] || echo "           files written: $(ship_files "$alias" "$2")"
        else
          echo "    $alias  ${v[$p.target]}  ERROR ${v[$p.error]}"
        fi
      done
    done
  done
}

# --- 1. The first delivery. ---------------------------------------------------------------------------------------------
touch "$work/reports/.before-first"
t=$(now_ms)
code=$(curl -sS -o "$work/reports/first.json" -w '%{http_code}' -X POST -H 'Accept: application/json' "$base/update_all")
echo
echo "POST /update_all answered $code in $(seconds_since "$t"):"
show_report "$work/reports/first.json" "$work/reports/.before-first"
[ "$code" = 200 ] || fail "the delivery failed; see .quickstart/courier.log"
first_id=$(json_get "$work/reports/first.json" id)

# --- 2. A second commit, announced the way GitLab announces a push. -----------------------------------------------
before=$(git -C "$checkout" rev-parse HEAD)
cp samples/quickstart/second-commit/service.json "$checkout/service.json"
quickstart_git -C "$checkout" commit -q -am "Turn the new checkout on"
quickstart_git -C "$checkout" push -q origin main
after=$(git -C "$checkout" rev-parse HEAD)
echo
echo "Committed and pushed $after: $(git -C "$checkout" diff --stat "$before" "$after" | tail -n 1 | sed 's/^ *//')"

# GitLab's push event, as a project hook sends it (fields GitLab documents; Courier reads ref and the repository's
# URLs, matching the source by host, port and path).
cat >"$work/push-hook.json" <<HOOK
{
  "object_kind": "push",
  "event_name": "push",
  "before": "$before",
  "after": "$after",
  "ref": "refs/heads/main",
  "ref_protected": true,
  "checkout_sha": "$after",
  "user_name": "Courier quickstart",
  "user_username": "$(json_text "$user")",
  "user_email": "quickstart@example.invalid",
  "project_id": 1,
  "project": {
    "id": 1,
    "name": "quickstart-config",
    "path_with_namespace": "quickstart/quickstart-config",
    "default_branch": "main",
    "git_ssh_url": "$(json_text "$git_url")"
  },
  "commits": [
    {
      "id": "$after",
      "message": "Turn the new checkout on\n",
      "title": "Turn the new checkout on",
      "author": {"name": "Courier quickstart", "email": "quickstart@example.invalid"},
      "added": [],
      "modified": ["service.json"],
      "removed": []
    }
  ],
  "total_commits_count": 1,
  "repository": {
    "name": "quickstart-config",
    "url": "$(json_text "$git_url")",
    "git_ssh_url": "$(json_text "$git_url")",
    "visibility_level": 0
  }
}
HOOK
touch "$work/reports/.before-hook"
t=$(now_ms)
answer=$(curl -sS -w ' (%{http_code})' -X POST -H 'Content-Type: application/json' -H 'X-Gitlab-Event: Push Hook' \
  -H "X-Gitlab-Webhook-UUID: $(cat /proc/sys/kernel/random/uuid)" --data-binary "@$work/push-hook.json" "$base/gitlab_web_hook")
echo "POST /gitlab_web_hook answered: $answer in $(seconds_since "$t"); Courier delivers in the background..."
[[ "$answer" == *"(202)" ]] || fail "the push hook was not accepted; see .quickstart/courier.log"

# The hook's update is done when its report is stored: the newest report is then another than the first one.
hook_id=""
for _ in $(seq 1 300); do
  curl -fsS -o "$work/reports/list.json" "$base/reports?limit=1"
  newest=$(json_get "$work/reports/list.json" reports.0.id)
  if [ -n "$newest" ] && [ "$newest" != "$first_id" ]; then hook_id=$newest; break; fi
  sleep 0.1
done
[ -n "$hook_id" ] || fail "no report of the hook's update after 30 s; see .quickstart/courier.log"
delivered_after=$(seconds_since "$t")
curl -fsS -o "$work/reports/hook.json" "$base/reports/$hook_id"
echo "Delivered $delivered_after after the hook (GET /reports/$hook_id):"
show_report "$work/reports/hook.json" "$work/reports/.before-hook"
[ "$(json_get "$work/reports/hook.json" succeeded)" = true ] || fail "the hook's delivery failed; see .quickstart/courier.log"
for ship in ship1 ship2; do
  cmp -s "$checkout/service.json" "$work/$ship/app-config/service.json" || fail "$ship does not have the new service.json."
  echo "  .quickstart/$ship/app-config/service.json: $(grep -o '"new_checkout": [a-z]*' "$work/$ship/app-config/service.json")"
done

echo
echo "Done in $(seconds_since "$started"). Status page: $base/status"
if [ "$once" = true ]; then
  exit 0
fi

cat <<NEXT

Courier is running on $base, its sshd on $ssh_address; Ctrl+C stops both. Try next:
  open $base/status in a browser: what was delivered where, refreshing itself
  curl -X POST -H 'Accept: application/json' $base/update_all     # again: nothing changed, little sent
  # change the configuration, commit, push, and announce it as GitLab does:
  sed -i 's/"new_checkout": true/"new_checkout": false/' .quickstart/checkout/service.json
  git -C .quickstart/checkout commit -qam 'Turn the new checkout off' && git -C .quickstart/checkout push -q
  curl -X POST -H 'X-Gitlab-Event: Push Hook' --data-binary @.quickstart/push-hook.json $base/gitlab_web_hook
  cat .quickstart/ship1/app-config/service.json .quickstart/ship2/app-config/service.json
  curl '$base/reports?limit=2'                                    # the reports, newest first
  curl $base/metrics                                              # Prometheus metrics
  # a third ship asks for everything, as an Armada agent does when it starts:
  curl -X POST $base/update_hermes -d '{"ssh": "$ssh_address", "path": "$work/ship3"}'
  ssh -F .quickstart/ssh_config quickstart ls -R $work/ship3       # the quickstart's sshd, Courier's key
Configuration: .quickstart/config (sources/, destinations.json, keys/), made from samples/quickstart/courier.
NEXT
wait "$host_pid"
