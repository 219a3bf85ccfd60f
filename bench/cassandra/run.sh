#!/usr/bin/env bash
# Runs one Apache Cassandra 5.0.9 node on loopback, beside Strata, for comparisons (the conformance corpus'
# oracle run, benchmarks). Nothing of Cassandra is committed: the first start resolves cassandra-all and its
# dependencies from Maven Central into bench/cassandra/target/lib (about 100 jars, once).
#
#   bench/cassandra/run.sh start    # fresh data dir, start, wait for "Startup complete", print the PID
#   bench/cassandra/run.sh stop     # stop the node this script started (by its PID file)
#   bench/cassandra/run.sh status   # running or not, and where
#
# Environment (defaults in brackets):
#   CASSANDRA_CQL_PORT [29042]  CASSANDRA_STORAGE_PORT [27000]  CASSANDRA_JMX_PORT [27199]
#   CASSANDRA_WORK  [bench/cassandra/target/work-$CASSANDRA_CQL_PORT]: conf/, data/, cassandra.log, cassandra.pid
#   CASSANDRA_HEAP  [1g]          CASSANDRA_START_TIMEOUT [240] seconds
#   CASSANDRA_KEEP_DATA [0]       1 keeps the data of an earlier run (default: start from an empty node)
#   CASSANDRA_COMMITLOG_SYNC [periodic]  periodic: the stock setting, the log forced every 10 s, writes
#                                 acknowledged before it; batch: every write forced before its acknowledgement (as
#                                 Strata does, on 2 of 3 zones), for a like-for-like durability comparison
#   CASSANDRA_USER  [unset]       user:password switches authentication and authorization on
#                                 (PasswordAuthenticator, CassandraAuthorizer) and creates that login role,
#                                 not a superuser, with CREATE, ALTER and DROP on ALL KEYSPACES: like a Strata
#                                 tenant, it owns what it creates and may not write system tables. Unset: no
#                                 authentication (AllowAllAuthenticator/AllowAllAuthorizer).
#   MVN_ARGS        [-B -q]       extra Maven arguments for the one-time resolution, e.g.
#                                 "-B -q -o -Dmaven.repo.local=/work/m2/me"
#   JAVA            [$JAVA_HOME/bin/java or java]  a JDK 17 (Cassandra 5.0 runs on 11 and 17)
# See docs/cassandra-oracle.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cql_port="${CASSANDRA_CQL_PORT:-29042}"
storage_port="${CASSANDRA_STORAGE_PORT:-27000}"
jmx_port="${CASSANDRA_JMX_PORT:-27199}"
work="${CASSANDRA_WORK:-$here/target/work-$cql_port}"
heap="${CASSANDRA_HEAP:-1g}"
timeout="${CASSANDRA_START_TIMEOUT:-240}"
lib="$here/target/lib"
pidfile="$work/cassandra.pid"
log="$work/cassandra.log"
if [[ -n "${JAVA:-}" ]]; then java="$JAVA"; elif [[ -n "${JAVA_HOME:-}" ]]; then java="$JAVA_HOME/bin/java"; else java=java; fi

running_pid() {
  [[ -f "$pidfile" ]] || return 1
  local pid
  pid="$(cat "$pidfile")"
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

resolve() {
  if [[ -f "$lib/cassandra-all-5.0.9.jar" ]]; then
    return
  fi
  echo "resolving cassandra-all 5.0.9 and its dependencies into $lib (once)" >&2
  # shellcheck disable=SC2086 # MVN_ARGS is a list of arguments
  "$root/mvnw" ${MVN_ARGS:--B -q} -f "$here/pom.xml" dependency:copy-dependencies >&2
}

commitlog_sync_conf() {
  case "${CASSANDRA_COMMITLOG_SYNC:-periodic}" in
    periodic) printf 'commitlog_sync: periodic\ncommitlog_sync_period: 10000ms' ;;
    batch) printf 'commitlog_sync: batch' ;;
  esac
}

write_conf() {
  case "${CASSANDRA_COMMITLOG_SYNC:-periodic}" in
    periodic | batch) ;;
    *) echo "CASSANDRA_COMMITLOG_SYNC must be periodic or batch" >&2; exit 2 ;;
  esac
  mkdir -p "$work/conf" "$work/data"
  # Cassandra's defaults (those of Config.java and the stock cassandra.yaml) for everything not listed:
  # materialized views, SASI and user-defined functions stay disabled, as in a fresh install. Only
  # auto_snapshot is off: a throwaway node needs no snapshot before each DROP, which costs a flush per table.
  cat > "$work/conf/cassandra.yaml" <<EOF
cluster_name: 'Strata oracle'
num_tokens: 16
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
data_file_directories: [$work/data/data]
commitlog_directory: $work/data/commitlog
saved_caches_directory: $work/data/saved_caches
hints_directory: $work/data/hints
cdc_raw_directory: $work/data/cdc
$(commitlog_sync_conf)
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "127.0.0.1:$storage_port"
listen_address: 127.0.0.1
rpc_address: 127.0.0.1
storage_port: $storage_port
native_transport_port: $cql_port
start_native_transport: true
endpoint_snitch: SimpleSnitch
auto_snapshot: false
EOF
  if [[ -n "${CASSANDRA_USER:-}" ]]; then
    # Caches off, so that a grant (or the creator's permissions on a new keyspace) applies at once.
    cat >> "$work/conf/cassandra.yaml" <<EOF
authenticator: PasswordAuthenticator
authorizer: CassandraAuthorizer
role_manager: CassandraRoleManager
roles_validity: 0ms
permissions_validity: 0ms
credentials_validity: 0ms
EOF
  else
    cat >> "$work/conf/cassandra.yaml" <<EOF
authenticator: AllowAllAuthenticator
authorizer: AllowAllAuthorizer
EOF
  fi
  # Without a logback.xml, logback would log DEBUG to the console; INFO to stdout (redirected to the log).
  cat > "$work/conf/logback.xml" <<'EOF'
<configuration>
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%date{ISO8601} %-5level [%thread] %logger{0} - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="STDOUT"/></root>
</configuration>
EOF
}

start() {
  local pid
  if pid="$(running_pid)"; then
    echo "already running: PID $pid, CQL 127.0.0.1:$cql_port (work dir $work)" >&2
    echo "$pid"
    return
  fi
  resolve
  if [[ "${CASSANDRA_KEEP_DATA:-0}" != 1 ]]; then
    rm -rf "$work/data"
  fi
  write_conf
  # The JDK 17 flags of Cassandra's conf/jvm17-server.options.
  local jdk17=(
    --add-exports java.base/jdk.internal.misc=ALL-UNNAMED
    --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
    --add-exports java.base/sun.nio.ch=ALL-UNNAMED
    --add-exports java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED
    --add-exports java.rmi/sun.rmi.registry=ALL-UNNAMED
    --add-exports java.rmi/sun.rmi.server=ALL-UNNAMED
    --add-exports java.sql/java.sql=ALL-UNNAMED
    --add-opens java.base/java.lang.module=ALL-UNNAMED
    --add-opens java.base/jdk.internal.loader=ALL-UNNAMED
    --add-opens java.base/jdk.internal.ref=ALL-UNNAMED
    --add-opens java.base/jdk.internal.reflect=ALL-UNNAMED
    --add-opens java.base/jdk.internal.math=ALL-UNNAMED
    --add-opens java.base/jdk.internal.module=ALL-UNNAMED
    --add-opens java.base/jdk.internal.util.jar=ALL-UNNAMED
    --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
    --add-opens java.base/sun.nio.ch=ALL-UNNAMED
    --add-opens java.base/java.io=ALL-UNNAMED
    --add-opens java.base/java.nio=ALL-UNNAMED
    --add-opens java.base/java.lang=ALL-UNNAMED
    --add-opens java.base/java.util=ALL-UNNAMED
    --add-opens java.base/java.util.concurrent=ALL-UNNAMED
    --add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED
    --add-opens java.base/java.net=ALL-UNNAMED
    --add-opens java.base/jdk.internal.misc=ALL-UNNAMED
    --add-opens java.base/java.lang.reflect=ALL-UNNAMED
  )
  : > "$log"
  # setsid: the node outlives this script and a Ctrl-C of the shell that started it; stop it with "stop".
  # Flags for a throwaway single node: no wait for gossip to settle, the default superuser at once, and
  # no flush of the system tables after each schema change (unsafesystem): DDL is several times faster.
  setsid "$java" "-Xms$heap" "-Xmx$heap" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
    "-Dcassandra.config=file://$work/conf/cassandra.yaml" \
    -Dcassandra-foreground=yes \
    "-Dcassandra.jmx.local.port=$jmx_port" \
    "-Dcassandra.storagedir=$work/data" \
    -Dcassandra.skip_wait_for_gossip_to_settle=0 \
    -Dcassandra.superuser_setup_delay_ms=0 \
    -Dcassandra.unsafesystem=true \
    -Djava.net.preferIPv4Stack=true \
    "${jdk17[@]}" \
    -cp "$work/conf:$lib/*" org.apache.cassandra.service.CassandraDaemon \
    >> "$log" 2>&1 < /dev/null &
  pid=$!
  echo "$pid" > "$pidfile"
  echo "started PID $pid, waiting for \"Startup complete\" (log: $log)" >&2
  local waited=0
  until grep -q "Startup complete" "$log"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "Cassandra exited during startup; last lines of $log:" >&2
      tail -n 30 "$log" >&2
      rm -f "$pidfile"
      exit 1
    fi
    if (( waited >= timeout )); then
      echo "no \"Startup complete\" within ${timeout}s; stopping PID $pid (log: $log)" >&2
      stop
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  if [[ -n "${CASSANDRA_USER:-}" ]]; then
    create_role
  fi
  echo "Cassandra 5.0.9 ready after ${waited}s: CQL 127.0.0.1:$cql_port, storage $storage_port, JMX $jmx_port, PID $pid" >&2
  echo "$pid"
}

# Creates the CASSANDRA_USER role as the default superuser (cassandra/cassandra), through the Java driver 3
# that cassandra-all ships (no cqlsh here). The source is written to the work dir and run as a single file.
create_role() {
  local user="${CASSANDRA_USER%%:*}" password="${CASSANDRA_USER#*:}"
  cat > "$work/CreateRole.java" <<'EOF'
import com.datastax.driver.core.Cluster;
import com.datastax.driver.core.Session;

public class CreateRole {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String user = args[1].replace("\"", "\"\""), password = args[2].replace("'", "''");
        long deadline = System.nanoTime() + 120_000_000_000L; // the default superuser appears shortly after startup
        while (true) {
            try (Cluster cluster = Cluster.builder().addContactPoint("127.0.0.1").withPort(port)
                    .withCredentials("cassandra", "cassandra").withoutJMXReporting().build();
                 Session session = cluster.connect()) {
                session.execute("CREATE ROLE IF NOT EXISTS \"" + user + "\" WITH PASSWORD = '" + password
                        + "' AND LOGIN = true AND SUPERUSER = false");
                for (String permission : new String[] {"CREATE", "ALTER", "DROP"}) {
                    session.execute("GRANT " + permission + " ON ALL KEYSPACES TO \"" + user + "\"");
                }
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }
}
EOF
  echo "creating role $user (CREATE, ALTER, DROP on ALL KEYSPACES)" >&2
  if ! "$java" "-Dlogback.configurationFile=$work/conf/logback.xml" -cp "$lib/*" "$work/CreateRole.java" \
      "$cql_port" "$user" "$password" > "$work/create-role.log" 2>&1; then
    echo "could not create role $user; see $work/create-role.log" >&2
    exit 1
  fi
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    echo "not running (no live PID in $pidfile)" >&2
    rm -f "$pidfile"
    return
  fi
  kill "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "PID $pid did not stop within 30 s; killing it" >&2
    kill -9 "$pid"
  fi
  rm -f "$pidfile"
  echo "stopped PID $pid" >&2
}

status() {
  local pid
  if pid="$(running_pid)"; then
    echo "running: PID $pid, CQL 127.0.0.1:$cql_port (work dir $work)"
  else
    echo "not running (work dir $work)"
    return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status (ports and work dir from CASSANDRA_* variables; see the header)" >&2; exit 2 ;;
esac
