"""End-to-end check of Strata with the DataStax Python driver (Debian's python3-cassandra).

Usage: /usr/bin/python3 e2e_driver.py HOST PORT TOKEN KEYSPACE
Exits 0 and prints OK when every check holds; raises otherwise.
"""
import sys

from cassandra import InvalidRequest
from cassandra.auth import PlainTextAuthProvider
from cassandra.cluster import Cluster, NoHostAvailable
from cassandra.policies import DCAwareRoundRobinPolicy
from cassandra.query import SimpleStatement

host, port, token, keyspace = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
ROWS = 2000


def cluster(password):
    return Cluster([host], port=port, auth_provider=PlainTextAuthProvider("token", password),
                   load_balancing_policy=DCAwareRoundRobinPolicy(local_dc="datacenter1"))


c = cluster(token)
s = c.connect()
s.execute("CREATE KEYSPACE %s WITH replication = {'class': 'SingleRegionStrategy'}" % keyspace)
s.execute("CREATE TABLE %s.kv (k int, c text, v bigint, PRIMARY KEY (k, c))" % keyspace)
c.refresh_schema_metadata()
assert keyspace in c.metadata.keyspaces, "driver schema metadata misses the new keyspace"
assert "kv" in c.metadata.keyspaces[keyspace].tables

ins = s.prepare("INSERT INTO %s.kv (k, c, v) VALUES (?, ?, ?)" % keyspace)
futures = [s.execute_async(ins, (i % 50, "c%05d" % i, i * 7)) for i in range(ROWS)]
for f in futures:
    f.result()

rows = list(s.execute(SimpleStatement("SELECT k, c, v FROM %s.kv" % keyspace, fetch_size=300)))
assert len(rows) == ROWS, "expected %d rows, got %d" % (ROWS, len(rows))
assert sorted(r.v for r in rows) == [i * 7 for i in range(ROWS)]

part = list(s.execute(SimpleStatement("SELECT c FROM %s.kv WHERE k = 3" % keyspace, fetch_size=7)))
assert [r.c for r in part] == sorted("c%05d" % i for i in range(ROWS) if i % 50 == 3)

try:
    s.execute("SELECT * FROM %s.missing" % keyspace)
    raise AssertionError("expected InvalidRequest")
except InvalidRequest:
    pass
c.shutdown()

try:
    cluster("forged.token.value").connect()
    raise AssertionError("a wrong token was accepted")
except NoHostAvailable:
    pass

print("OK")
