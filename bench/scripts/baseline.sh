#!/usr/bin/env bash
# The baseline: the original Courier's algorithm for one git source, a fresh clone per update, then
# `rsync -c` (checksums) to each target in turn, with the original's flags.
#   baseline.sh WORK URL BRANCH KEY NAME TARGET...     TARGET is USER@HOST:PORT:PATH
set -euo pipefail
work=$1 url=$2 branch=$3 key=$4 name=$5
shift 5
clone="$work/clone-$$"
rm -rf "$clone"
mkdir -p "$clone"
GIT_SSH_COMMAND="ssh -i $key -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR" \
  git clone -q --depth 1 --branch "$branch" "$url" "$clone/$name"
status=0
for target in "$@"; do
  address=${target%%:*} rest=${target#*:}
  port=${rest%%:*} path=${rest#*:}
  rsync -c -v -r -z --delete --exclude=".git*" \
    --rsh="ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -p $port -i $key" \
    "$clone/$name" "$address:$path" >/dev/null || status=1
done
rm -rf "$clone"
exit $status
