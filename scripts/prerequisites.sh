# Installs what Courier and its tests run: rsync, OpenSSH (client and server), git, iproute2, procps, sudo.
# Sourced by quickstart.sh and test.sh; installs only what is missing. `--with-browser` (test.sh) adds Debian's
# chromium, which the status page tests drive headless, and Debian's etcd-server, the 3-member etcd cluster
# the Courier.Cluster.Etcd tests start.
ensure_prerequisites() {
  local missing=()
  [ "${1:-}" != "--with-browser" ] || [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ "${1:-}" != "--with-browser" ] || command -v etcd >/dev/null || missing+=(etcd-server)
  command -v rsync >/dev/null || missing+=(rsync)
  command -v ssh >/dev/null || missing+=(openssh-client)
  [ -x /usr/sbin/sshd ] || missing+=(openssh-server)
  command -v ssh-keygen >/dev/null || missing+=(openssh-client)
  command -v git >/dev/null || missing+=(git)
  command -v ip >/dev/null || missing+=(iproute2)
  command -v pgrep >/dev/null || missing+=(procps)
  command -v sudo >/dev/null || missing+=(sudo)
  command -v curl >/dev/null || missing+=(curl)
  if [ ${#missing[@]} -gt 0 ]; then
    local apt=(apt-get)
    [ "$(id -u)" -eq 0 ] || apt=(sudo apt-get)
    echo "Installing ${missing[*]}"
    "${apt[@]}" update -qq
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  command -v dotnet >/dev/null || { echo "The .NET 10 SDK is needed (dotnet on PATH)." >&2; return 1; }
}
