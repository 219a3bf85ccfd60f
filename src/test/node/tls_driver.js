// TLS check of Strata with the DataStax Node.js driver (npm cassandra-driver 4.10), sslOptions style.
// Usage: node tls_driver.js HOST PORT TOKEN CA_FILE
//   - connects with sslOptions that verify the server certificate (CA_FILE), runs DDL, a write and a read;
//   - connects without TLS and expects the server's refusal ("this server requires TLS").
// Prints OK and exits 0 when every check holds.
'use strict';
const cassandra = require('cassandra-driver');
const assert = require('assert');
const fs = require('fs');

const [host, port, token, caFile] = process.argv.slice(2);

function client(sslOptions) {
  return new cassandra.Client({
    contactPoints: [host + ':' + port],
    localDataCenter: 'datacenter1',
    authProvider: new cassandra.auth.PlainTextAuthProvider('token', token),
    sslOptions,
  });
}

async function main() {
  const c = client({ ca: [fs.readFileSync(caFile)], rejectUnauthorized: true });
  await c.connect();
  await c.execute("CREATE KEYSPACE IF NOT EXISTS node_tls WITH replication = {'class': 'SingleRegionStrategy'}");
  await c.execute('CREATE TABLE IF NOT EXISTS node_tls.kv (k int PRIMARY KEY, v text)');
  await c.execute('INSERT INTO node_tls.kv (k, v) VALUES (?, ?)', [1, 'over tls'], { prepare: true });
  const rs = await c.execute('SELECT v FROM node_tls.kv WHERE k = ?', [1], { prepare: true });
  assert.strictEqual(rs.first().v, 'over tls');
  await c.shutdown();

  const plain = client(undefined);
  try {
    await plain.connect();
    throw new Error('a plaintext connection was accepted by a server that requires TLS');
  } catch (e) {
    const text = JSON.stringify(e.innerErrors || {}) + ' ' + e.message;
    assert.ok(text.includes('this server requires TLS'), text);
  } finally {
    await plain.shutdown();
  }
  console.log('OK');
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
