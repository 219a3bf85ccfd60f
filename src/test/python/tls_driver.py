"""TLS check of Strata with the DataStax Python driver (Debian's python3-cassandra), ssl_context style.

Usage: /usr/bin/python3 tls_driver.py HOST PORT TOKEN CA_FILE
  - connects with an ssl.SSLContext that verifies the server certificate (CA_FILE) and its host name,
    runs DDL, a write and a read, and checks the session negotiated TLS 1.2 or newer;
  - connects without TLS and expects the server's refusal ("this server requires TLS").
Prints OK and exits 0 when every check holds; raises otherwise.
"""
import ssl
import sys

from cassandra.auth import PlainTextAuthProvider
from cassandra.cluster import Cluster, NoHostAvailable
from cassandra.policies import DCAwareRoundRobinPolicy

host, port, token, ca_file = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]


def cluster(ssl_context=None):
    kwargs = {}
    if ssl_context is not None:
        kwargs = {"ssl_context": ssl_context, "ssl_options": {"server_hostname": host}}
    return Cluster([host], port=port, auth_provider=PlainTextAuthProvider("token", token),
                   load_balancing_policy=DCAwareRoundRobinPolicy(local_dc="datacenter1"), **kwargs)


context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=ca_file)
context.check_hostname = True
context.verify_mode = ssl.CERT_REQUIRED
c = cluster(context)
s = c.connect()
s.execute("CREATE KEYSPACE IF NOT EXISTS py_tls WITH replication = {'class': 'SingleRegionStrategy'}")
s.execute("CREATE TABLE IF NOT EXISTS py_tls.kv (k int PRIMARY KEY, v text)")
s.execute("INSERT INTO py_tls.kv (k, v) VALUES (1, 'over tls')")
row = s.execute("SELECT v FROM py_tls.kv WHERE k = 1").one()
assert row.v == "over tls", row
connection = next(iter(c.get_connection_holders())).get_connections()[0]
version = connection._socket.version()
assert version in ("TLSv1.2", "TLSv1.3"), version
c.shutdown()

try:
    cluster().connect()
    raise AssertionError("a plaintext connection was accepted by a server that requires TLS")
except NoHostAvailable as e:
    assert "this server requires TLS" in str(e), str(e)

print("OK")
