"""What a cqlsh 6.x session does against Strata, with Debian's python3-cassandra driver (cqlsh itself is
not packaged in Debian): connect with a token as the password, run server-side DESCRIBE statements (cqlsh
6 sends DESCRIBE to Cassandra 4+ servers and prints the create_statement column), and SELECT.

Usage: /usr/bin/python3 cqlsh_session.py HOST PORT TOKEN KEYSPACE
Prints the session and OK; raises when a check fails.
"""
import sys

from cassandra.auth import PlainTextAuthProvider
from cassandra.cluster import Cluster
from cassandra.policies import DCAwareRoundRobinPolicy

host, port, token, keyspace = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
cluster = Cluster([host], port=port, auth_provider=PlainTextAuthProvider("token", token),
                  load_balancing_policy=DCAwareRoundRobinPolicy(local_dc="datacenter1"))
session = cluster.connect()

session.execute("CREATE KEYSPACE %s WITH replication = {'class': 'SingleRegionStrategy'}" % keyspace)
session.execute("USE %s" % keyspace)
session.execute("CREATE TYPE phone (kind text, number text)")
session.execute("CREATE TABLE users (id int PRIMARY KEY, name text, phones list<frozen<phone>>) "
                "WITH comment = 'people'")
session.execute("INSERT INTO users (id, name, phones) VALUES (1, 'Ada', [{kind: 'home', number: '555'}])")

print("%s> DESCRIBE KEYSPACES" % keyspace)
names = [r.name for r in session.execute("DESCRIBE KEYSPACES")]
print("  ".join(names))
assert keyspace in names, names
assert "system" in names, names

print("%s> DESCRIBE TABLE users" % keyspace)
rows = list(session.execute("DESCRIBE TABLE users"))
assert len(rows) == 1, rows
create = rows[0].create_statement
print(create)
assert create.startswith("CREATE TABLE %s.users (" % keyspace), create
assert "comment = 'people'" in create, create

print("%s> DESC KEYSPACE %s" % (keyspace, keyspace))
parts = list(session.execute("DESC KEYSPACE %s" % keyspace))
for r in parts:
    print(r.create_statement)
assert [(r.type, r.name) for r in parts] == [("keyspace", keyspace), ("type", "phone"), ("table", "users")], parts

print("%s> SELECT id, name FROM users" % keyspace)
got = [(r.id, r.name) for r in session.execute("SELECT id, name FROM users")]
print(got)
assert got == [(1, "Ada")], got

# The statements DESCRIBE printed recreate the schema.
session.execute("DROP TABLE users")
session.execute(create)
again = list(session.execute("DESCRIBE TABLE users"))[0].create_statement
assert again == create, (again, create)
# TRACING ON in cqlsh: the driver asks for a trace, then reads system_traces.sessions and events.
traced = session.execute("SELECT id, name FROM users", trace=True)
trace = traced.get_query_trace(max_wait_sec=10)
assert trace.duration is not None and trace.duration.total_seconds() > 0, trace.duration
activities = [e.description for e in trace.events]
assert any(a.startswith("Parsing SELECT id, name FROM users") for a in activities), activities
assert "Preparing statement" in activities, activities
assert trace.parameters.get("query") == "SELECT id, name FROM users", trace.parameters

# SHOW VERSION in cqlsh reads system.local; it must agree with what DESCRIBE CLUSTER and the driver see.
version = session.execute("SELECT release_version FROM system.local").one().release_version
assert all(h.release_version == version for h in cluster.metadata.all_hosts()), version

cluster.shutdown()
print("OK")
