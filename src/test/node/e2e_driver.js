// End-to-end check of Strata with the DataStax Node.js driver (npm cassandra-driver 4.10, protocol v4).
// Usage: node e2e_driver.js HOST PORT TOKEN KEYSPACE load|verify [OTHER_TENANT_TOKEN]
//   load:   DDL, 10,000 prepared inserts, paged reads, error codes, a wrong token refused
//   verify: (after the gateway restarted) every row read back; another tenant cannot see the keyspace
// Prints OK and exits 0 when every check holds.
'use strict';
const cassandra = require('cassandra-driver');
const assert = require('assert');

const [host, port, token, keyspace, mode, otherToken] = process.argv.slice(2);
const ROWS = 10000;

function client(password) {
  return new cassandra.Client({
    contactPoints: [host + ':' + port],
    localDataCenter: 'datacenter1',
    authProvider: new cassandra.auth.PlainTextAuthProvider('token', password),
  });
}

async function readBack(c) {
  let count = 0;
  const seen = new Set();
  for await (const row of c.stream(`SELECT k, c, v FROM ${keyspace}.kv`, [], { prepare: true, fetchSize: 500 })) {
    seen.add(row.v.toNumber());
    count++;
  }
  assert.strictEqual(count, ROWS);
  assert.strictEqual(seen.size, ROWS);
  const part = [];
  for await (const row of c.stream(`SELECT c FROM ${keyspace}.kv WHERE k = ?`, [3], { prepare: true, fetchSize: 7 })) {
    part.push(row.c);
  }
  const expected = [];
  for (let i = 3; i < ROWS; i += 50) expected.push('c' + String(i).padStart(5, '0'));
  assert.deepStrictEqual(part, expected.sort());
}

async function main() {
  const c = client(token);
  await c.connect();
  if (mode === 'load') {
    await c.execute(`CREATE KEYSPACE ${keyspace} WITH replication = {'class': 'SingleRegionStrategy'}`);
    await c.execute(`CREATE TABLE ${keyspace}.kv (k int, c text, v bigint, PRIMARY KEY (k, c))`);
    assert.ok(await c.metadata.getTable(keyspace, 'kv'), 'driver metadata misses the new table');
    const insert = `INSERT INTO ${keyspace}.kv (k, c, v) VALUES (?, ?, ?)`;
    let pending = [];
    for (let i = 0; i < ROWS; i++) {
      pending.push(c.execute(insert, [i % 50, 'c' + String(i).padStart(5, '0'), cassandra.types.Long.fromNumber(i * 7)],
        { prepare: true }));
      if (pending.length >= 256) {
        await Promise.all(pending);
        pending = [];
      }
    }
    await Promise.all(pending);
    await readBack(c);
    await assert.rejects(c.execute(`SELECT * FROM ${keyspace}.missing`), err => err.code === 0x2200);
    const bad = client('forged.token.value');
    await assert.rejects(bad.connect());
    await bad.shutdown();
  } else {
    await readBack(c);
    if (otherToken) {
      const other = client(otherToken);
      await other.connect();
      const ks = await other.execute('SELECT keyspace_name FROM system_schema.keyspaces');
      assert.ok(!ks.rows.map(r => r.keyspace_name).includes(keyspace), 'another tenant sees the keyspace');
      await assert.rejects(other.execute(`SELECT * FROM ${keyspace}.kv`), err => err.code === 0x2200);
      await other.shutdown();
    }
  }
  await c.shutdown();
  console.log('OK');
}

main().catch(e => { console.error(e); process.exit(1); });
