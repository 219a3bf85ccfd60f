"""End-to-end check of Strata with the DataStax Python driver (Debian's python3-cassandra).

Usage: /usr/bin/python3 e2e_driver.py HOST PORT TOKEN KEYSPACE load|verify [OTHER_TENANT_TOKEN]
  load:   DDL, 10,000 prepared inserts, paged reads, error codes, a wrong token refused
  verify: (after the gateway restarted) every row read back; another tenant cannot see the keyspace
Prints OK and exits 0 when every check holds; raises otherwise.
"""
import sys

from cassandra import InvalidRequest
from cassandra.auth import PlainTextAuthProvider
from cassandra.cluster import Cluster, NoHostAvailable
from cassandra.policies import DCAwareRoundRobinPolicy
from cassandra.query import SimpleStatement

host, port, token, keyspace, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
other_token = sys.argv[6] if len(sys.argv) > 6 else None
ROWS = 10000


def cluster(password):
    return Cluster([host], port=port, auth_provider=PlainTextAuthProvider("token", password),
                   load_balancing_policy=DCAwareRoundRobinPolicy(local_dc="datacenter1"))


def read_back(session):
    rows = list(session.execute(SimpleStatement("SELECT k, c, v FROM %s.kv" % keyspace, fetch_size=500)))
    assert len(rows) == ROWS, "expected %d rows, got %d" % (ROWS, len(rows))
    assert sorted(r.v for r in rows) == [i * 7 for i in range(ROWS)], "row contents differ"
    part = list(session.execute(SimpleStatement("SELECT c FROM %s.kv WHERE k = 3" % keyspace, fetch_size=7)))
    assert [r.c for r in part] == sorted("c%05d" % i for i in range(ROWS) if i % 50 == 3), "partition paging differs"


c = cluster(token)
s = c.connect()
if mode == "load":
    s.execute("CREATE KEYSPACE %s WITH replication = {'class': 'SingleRegionStrategy'}" % keyspace)
    s.execute("CREATE TABLE %s.kv (k int, c text, v bigint, PRIMARY KEY (k, c))" % keyspace)
    c.refresh_schema_metadata()
    assert keyspace in c.metadata.keyspaces, "driver schema metadata misses the new keyspace"
    assert "kv" in c.metadata.keyspaces[keyspace].tables
    ins = s.prepare("INSERT INTO %s.kv (k, c, v) VALUES (?, ?, ?)" % keyspace)
    pending = []
    for i in range(ROWS):
        pending.append(s.execute_async(ins, (i % 50, "c%05d" % i, i * 7)))
        if len(pending) >= 256:
            for f in pending:
                f.result()
            pending = []
    for f in pending:
        f.result()
    read_back(s)
    try:
        s.execute("SELECT * FROM %s.missing" % keyspace)
        raise AssertionError("expected InvalidRequest")
    except InvalidRequest:
        pass
    try:
        cluster("forged.token.value").connect()
        raise AssertionError("a wrong token was accepted")
    except NoHostAvailable:
        pass
else:
    read_back(s)
    if other_token:
        oc = cluster(other_token)
        os_ = oc.connect()
        names = [r.keyspace_name for r in os_.execute("SELECT keyspace_name FROM system_schema.keyspaces")]
        assert keyspace not in names, "another tenant sees the keyspace"
        try:
            os_.execute("SELECT * FROM %s.kv" % keyspace)
            raise AssertionError("another tenant read the table")
        except InvalidRequest:
            pass
        oc.shutdown()
c.shutdown()
print("OK")
