#!/usr/bin/env bash
# The floor: what a hand-tuned script does to deliver one git branch to many SSH targets.
#   floor.sh connect CONTROL KEY TARGET...                  open one ssh master connection per target
#   floor.sh deliver CONTROL TREE URL BRANCH KEY NAME TARGET... bring TREE up to date, push it to PATH/NAME everywhere
#   floor.sh deliver-atomic CONTROL TREE URL BRANCH KEY NAME TARGET... the same, each target switching a whole tree at once
#   floor.sh close CONTROL KEY TARGET...                    close the master connections
# TARGET is USER@HOST:PORT:PATH (the bench's targets share one machine, so each has its own PATH). The tree is a persistent checkout updated by `git fetch --depth 1` and `checkout -f`,
# so unchanged files keep their times; rsync quick-checks (size and time) and runs against every target at once,
# over the master connections opened beforehand.
set -euo pipefail
mode=$1 control=$2
shift 2
mkdir -p "$control"
ssh_options() { # KEY
  printf '%s\n' -i "$1" -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
    -o ControlMaster=auto -o "ControlPath=$control/%C" -o ControlPersist=600
}

case "$mode" in
  connect|close)
    key=$1; shift
    mapfile -t options < <(ssh_options "$key")
    # 16 at a time: at 200 targets, one after another takes a minute.
    pids=()
    for target in "$@"; do
      address=${target%%:*} rest=${target#*:}
      port=${rest%%:*}
      if [ "$mode" = connect ]; then
        ssh "${options[@]}" -p "$port" -f -N -M "$address" &
      else
        { ssh "${options[@]}" -p "$port" -O exit "$address" 2>/dev/null || true; } &
      fi
      pids+=($!)
      while [ "$(jobs -rp | wc -l)" -ge 16 ]; do wait -n || true; done
    done
    status=0
    for pid in "${pids[@]}"; do wait "$pid" || status=1; done
    exit $status
    ;;
  deliver|deliver-atomic)
    tree=$1 url=$2 branch=$3 key=$4 name=$5
    shift 5
    mapfile -t options < <(ssh_options "$key")
    export GIT_SSH_COMMAND="ssh ${options[*]}"
    if [ -d "$tree/.git" ]; then
      git -C "$tree" fetch -q --depth 1 origin "$branch"
      git -C "$tree" checkout -q -f FETCH_HEAD
    else
      git clone -q --depth 1 --branch "$branch" "$url" "$tree"
    fi
    # Atomic, by hand: the next release starts as hard links to the live one (cp -al), rsync updates it, then a
    # relative link renamed over PATH/NAME switches the whole tree. Three ssh runs per target, as Courier's.
    if [ "$mode" = deliver-atomic ]; then release="$(git -C "$tree" rev-parse HEAD)-$(date +%s%N)"; fi
    pids=()
    for target in "$@"; do
      address=${target%%:*} rest=${target#*:}
      port=${rest%%:*} path=${rest#*:}
      if [ "$mode" = deliver ]; then
        rsync -rtz --delete --exclude=.git -e "ssh -p $port ${options[*]}" "$tree/" "$address:$path/$name/" &
      else
        {
          ssh "${options[@]}" -p "$port" "$address" "cd '$path' && mkdir -p .releases && if [ -L '$name' ]; then cp -al \"\$(readlink '$name')\" '.releases/$release'; fi" &&
            rsync -rtz --delete --exclude=.git -e "ssh -p $port ${options[*]}" "$tree/" "$address:$path/.releases/$release/" &&
            ssh "${options[@]}" -p "$port" "$address" "cd '$path' && ln -s '.releases/$release' '$name.new' && mv -T '$name.new' '$name'"
        } &
      fi
      pids+=($!)
    done
    status=0
    for pid in "${pids[@]}"; do wait "$pid" || status=1; done
    exit $status
    ;;
  *) echo "usage: floor.sh connect|deliver|deliver-atomic|close ..." >&2; exit 2 ;;
esac
