#!/bin/sh
# A target's forced command (authorized_keys command="logged-command.sh LOG"): appends the command the client asked
# for to LOG, one line each, then runs it. The storm counts the rsync runs each target served from LOG, whatever
# the client (connection sharing or not) did.
printf '%s\n' "${SSH_ORIGINAL_COMMAND:-<shell>}" >> "$1"
if [ -z "${SSH_ORIGINAL_COMMAND:-}" ]; then exec /bin/sh; fi
exec /bin/sh -c "$SSH_ORIGINAL_COMMAND"
