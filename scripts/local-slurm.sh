#!/usr/bin/env bash
# A real, single-node Slurm cluster on this machine, for running `experiments`
# job arrays locally (Debian, run as root).
#
#   scripts/local-slurm.sh start    # install slurm-wlm + munge if missing, start daemons, wait for idle node
#   scripts/local-slurm.sh status   # which daemons run, and `sinfo`
#   scripts/local-slurm.sh stop     # cancel leftover jobs, stop the daemons this script started
#
# Design:
# - The configuration is written to Slurm's default path, /etc/slurm/slurm.conf, so sbatch,
#   squeue, sinfo, scancel and scontrol work from any plain shell without SLURM_CONF. The file
#   carries a marker line; a slurm.conf without that marker (i.e. a real cluster's) is never
#   overwritten: the script refuses to start instead.
# - All mutable state lives under one directory, $LOCAL_SLURM_DIR (default
#   /var/tmp/experiments-slurm): controller state, slurmd spool, logs, PID files, and
#   jobcomp.log (one line per finished job, since sacct needs slurmdbd, which is not set up).
# - Daemons run in the foreground (-D / -F) as background children in their own session
#   (setsid), so `$!` is the daemon itself; their PIDs are recorded in $LOCAL_SLURM_DIR/run.
#   `stop` signals only those recorded PIDs (checked against the expected process name, so a
#   recycled PID is never hit). An already-running munged that this script did not start
#   (e.g. a systemd one) is used as-is and left alone.
# - munged runs as user munge with Debian's default key (/etc/munge/munge.key), socket
#   (/run/munge/munge.socket.2) and log (/var/log/munge/munged.log); slurmctld and slurmd run
#   as root (slurmd must: it starts jobs as the submitting user). No cgroups: proctrack/linuxproc,
#   task/none, jobacct_gather/none. select/cons_tres + CR_Core, and the node declared with
#   CPUs=$(nproc) only (no socket/core/thread layout), so Slurm counts every CPU as a core and
#   runs nproc 1-CPU array tasks at once (even on hyperthreaded hardware).
# - The node is addressed as 127.0.0.1 (NodeAddr, SlurmctldHost=name(addr)), so nothing
#   depends on the hostname resolving.
set -euo pipefail

STATE_DIR=${LOCAL_SLURM_DIR:-/var/tmp/experiments-slurm}
CONF=/etc/slurm/slurm.conf
MARKER="# Written by experiments scripts/local-slurm.sh -- safe to overwrite"
PACKAGES=(slurm-wlm munge)
WAIT_SECONDS=30
RUN_DIR=$STATE_DIR/run
LOG_DIR=$STATE_DIR/log
MUNGE_SOCKET=/run/munge/munge.socket.2

say()  { echo "local-slurm: $*"; }
fail() { echo "local-slurm: error: $*" >&2; exit 1; }
now()  { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# --- PID bookkeeping -------------------------------------------------------------------

# Prints the recorded PID of daemon $1 if that process is alive and still named $1.
live_pid() {
  local name=$1 file=$RUN_DIR/$1.pid pid
  [ -f "$file" ] || return 1
  pid=$(cat "$file")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ] || return 1
  echo "$pid"
}

# Does a munged (ours or not) answer on the default socket?
munge_answers() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }

# Runs "$@" detached (own session, no inherited stdio) and records its PID as $RUN_DIR/$name.pid.
spawn() {
  local name=$1; shift
  local pid
  setsid "$@" </dev/null >>"$LOG_DIR/$name.out" 2>&1 &
  pid=$!
  echo "$pid" >"$RUN_DIR/$name.pid"
  # setsid and setpriv exec, so the PID stays the same; wait for it to carry the daemon's name.
  for _ in $(seq 50); do
    [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = "$name" ] && return 0
    [ -d "/proc/$pid" ] || break
    sleep 0.05
  done
  fail "$name (pid $pid) did not start; see $LOG_DIR/$name.out"
}

# --- start ------------------------------------------------------------------------------

install_packages() {
  local missing=() package started
  for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || fail "missing packages ${missing[*]}: run as root (uses apt-get)"
  say "installing ${missing[*]} (apt-get)"
  started=$(now)
  export DEBIAN_FRONTEND=noninteractive
  local log=$LOG_DIR/apt.log
  # Try without `apt-get update` first (fast when the package lists are fresh enough).
  if ! apt-get install -y --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
    { apt-get update && apt-get install -y --no-install-recommends "${missing[@]}"; } >>"$log" 2>&1 \
      || { tail -n 20 "$log" >&2; fail "apt-get install ${missing[*]} failed; see $log"; }
  fi
  say "installed ${missing[*]} in $(since "$started") s"
}

ensure_munge_key() {
  local key=/etc/munge/munge.key
  [ -s "$key" ] && return 0
  say "creating munge key $key"
  if command -v mungekey >/dev/null; then
    mungekey --create --keyfile="$key"     # munge >= 0.5.14
  else
    dd if=/dev/urandom of="$key" bs=1 count=1024 status=none
  fi
  chown munge:munge "$key"
  chmod 0400 "$key"
}

# Writes $CONF for one node, unless the existing file is somebody else's.
write_conf() {
  local node cpus mem_mb memory tmp
  if [ -f "$CONF" ] && ! grep -qxF "$MARKER" "$CONF"; then
    fail "$CONF exists and was not written by this script; refusing to overwrite it"
  fi
  node=$(hostname -s)
  cpus=$(nproc)
  mem_mb=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
  memory=$(( mem_mb * 9 / 10 ))   # a bit below the real memory, or slurmd drains the node
  mkdir -p "$(dirname "$CONF")"
  tmp=$(mktemp "$CONF.XXXXXX")
  cat >"$tmp" <<EOF
$MARKER
# Single-node cluster on $node; state, spool and logs under $STATE_DIR.
ClusterName=experiments-local
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$LOG_DIR/jobcomp.log
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
KillWait=30
MinJobAge=300
StateSaveLocation=$STATE_DIR/state
SlurmdSpoolDir=$STATE_DIR/spool
SlurmctldPidFile=$RUN_DIR/slurmctld.daemon.pid
SlurmdPidFile=$RUN_DIR/slurmd.daemon.pid
SlurmctldLogFile=$LOG_DIR/slurmctld.log
SlurmdLogFile=$LOG_DIR/slurmd.log
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
  chmod 0644 "$tmp"
  mv "$tmp" "$CONF"
}

start_munged() {
  local pid
  if pid=$(live_pid munged); then
    say "munged already running (pid $pid)"
    return 0
  fi
  if munge_answers; then
    rm -f "$RUN_DIR/munged.pid"
    say "munged: using the munged already answering on $MUNGE_SOCKET (not started by this script)"
    return 0
  fi
  # /run is a tmpfs: the socket directory vanishes at reboot.
  install -d -o munge -g munge -m 0755 /run/munge
  spawn munged setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged --foreground
  for _ in $(seq 50); do munge_answers && return 0; sleep 0.1; done
  fail "munged did not come up; see $LOG_DIR/munged.out and /var/log/munge/munged.log"
}

start_slurm_daemon() {
  local name=$1 pid
  if pid=$(live_pid "$name"); then
    say "$name already running (pid $pid)"
    return 0
  fi
  spawn "$name" "/usr/sbin/$name" -D
}

node_state() { sinfo -h -n "$(hostname -s)" -o %T 2>/dev/null | head -n1; }

start() {
  local started state all_running=1 name pid
  [ "$(id -u)" -eq 0 ] || fail "run as root (slurmd must run as root)"
  started=$(now)
  mkdir -p "$RUN_DIR" "$LOG_DIR" "$STATE_DIR/state" "$STATE_DIR/spool"
  install_packages

  for name in slurmctld slurmd; do live_pid "$name" >/dev/null || all_running=0; done
  if [ $all_running -eq 1 ] && munge_answers; then
    say "already running (slurmctld pid $(live_pid slurmctld), slurmd pid $(live_pid slurmd)); node $(hostname -s) $(node_state)"
    return 0
  fi

  # Never touch the conf under a slurmctld/slurmd that is not ours (systemd's, or another state dir's).
  for name in slurmctld slurmd; do
    if ! live_pid "$name" >/dev/null && pid=$(pgrep -x "$name" | head -n1); then
      fail "a $name not started by this script (from $RUN_DIR) is running (pid $pid); stop it first"
    fi
  done

  ensure_munge_key
  [ -n "$(live_pid slurmctld || true)$(live_pid slurmd || true)" ] || write_conf
  start_munged
  start_slurm_daemon slurmctld
  start_slurm_daemon slurmd

  # Bounded wait until the node has registered and is idle (or already running jobs).
  local deadline=$(( $(date +%s) + WAIT_SECONDS ))
  while :; do
    state=$(node_state || true)
    case $state in idle|mixed|allocated) break ;; esac
    for name in slurmctld slurmd; do
      live_pid "$name" >/dev/null || fail "$name exited; see $LOG_DIR/$name.log and $LOG_DIR/$name.out"
    done
    [ "$(date +%s)" -lt "$deadline" ] || fail "node not idle after ${WAIT_SECONDS}s (state '${state}'); see $LOG_DIR"
    sleep 0.5
  done
  say "node $(hostname -s) $state ($(nproc) CPUs, partition debug) after $(since "$started") s; conf $CONF, state $STATE_DIR"
}

# --- stop ---------------------------------------------------------------------------------

# Sends SIGTERM to each named daemon this script started (all at once: each takes ~2 s to
# shut down), waits up to 30 s for them to exit, then SIGKILLs any left.
stop_daemons() {
  local name pid i pids=() names=()
  for name in "$@"; do
    if pid=$(live_pid "$name"); then
      kill -TERM "$pid"
      pids+=("$pid")
      names+=("$name")
    else
      rm -f "$RUN_DIR/$name.pid"   # stale
    fi
  done
  for i in "${!pids[@]}"; do
    pid=${pids[$i]}
    for _ in $(seq 300); do
      [ -d "/proc/$pid" ] || break
      sleep 0.1
    done
    if [ -d "/proc/$pid" ]; then
      say "${names[$i]} (pid $pid) ignored SIGTERM for 30 s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      while [ -d "/proc/$pid" ]; do sleep 0.1; done
    fi
    rm -f "$RUN_DIR/${names[$i]}.pid"
    say "stopped ${names[$i]} (pid $pid)"
  done
}

stop() {
  local jobs
  # Jobs of this private cluster would otherwise outlive slurmd (slurmstepd is independent).
  if live_pid slurmctld >/dev/null && jobs=$(squeue -h -o %i 2>/dev/null) && [ -n "$jobs" ]; then
    say "cancelling $(echo "$jobs" | wc -l) queued/running job(s)"
    # %F is the array job ID (the job ID itself for a plain job): cancels whole arrays.
    # shellcheck disable=SC2046  # word splitting of the ID list is intended
    scancel $(squeue -h -o %F | sort -u) 2>/dev/null || true
    # A job that ignores SIGTERM is SIGKILLed after KillWait (30 s); wait a little longer.
    for _ in $(seq 80); do
      [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
      sleep 0.5
    done
  fi
  stop_daemons slurmd slurmctld munged
  say "stopped"
}

# --- status ---------------------------------------------------------------------------------

status() {
  local name pid
  for name in munged slurmctld slurmd; do
    if pid=$(live_pid "$name"); then
      echo "$name: running (pid $pid)"
    elif [ "$name" = munged ] && munge_answers; then
      echo "munged: running (not started by this script)"
    else
      echo "$name: not running"
    fi
  done
  echo "conf: $CONF, state: $STATE_DIR"
  if live_pid slurmctld >/dev/null; then
    sinfo
  fi
}

case ${1:-} in
  start)  start ;;
  stop)   stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status   (state dir: \$LOCAL_SLURM_DIR, default /var/tmp/experiments-slurm)" >&2; exit 2 ;;
esac
