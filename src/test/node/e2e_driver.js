// End-to-end check of Strata with the DataStax Node.js driver (npm cassandra-driver 4.10, protocol v4).
// Usage: node e2e_driver.js HOST PORT TOKEN KEYSPACE — prints OK and exits 0 when every check holds.
'use strict';
const cassandra = require('cassandra-driver');
const assert = require('assert');

const [host, port, token, keyspace] = process.argv.slice(2);
const ROWS = 2000;

function client(password) {
  return new cassandra.Client({
    contactPoints: [host + ':' + port],
    localDataCenter: 'datacenter1',
    authProvider: new cassandra.auth.PlainTextAuthProvider('token', password),
  });
}

async function main() {
  const c = client(token);
  await c.connect();
  await c.execute(`CREATE KEYSPACE ${keyspace} WITH replication = {'class': 'SingleRegionStrategy'}`);
  await c.execute(`CREATE TABLE ${keyspace}.kv (k int, c text, v bigint, PRIMARY KEY (k, c))`);
  const ks = await c.metadata.getTable(keyspace, 'kv');
  assert.ok(ks, 'driver metadata misses the new table');

  const insert = `INSERT INTO ${keyspace}.kv (k, c, v) VALUES (?, ?, ?)`;
  const pending = [];
  for (let i = 0; i < ROWS; i++) {
    pending.push(c.execute(insert, [i % 50, 'c' + String(i).padStart(5, '0'), cassandra.types.Long.fromNumber(i * 7)],
      { prepare: true }));
  }
  await Promise.all(pending);

  let count = 0;
  const seen = new Set();
  for await (const row of c.stream(`SELECT k, c, v FROM ${keyspace}.kv`, [], { prepare: true, fetchSize: 300 })) {
    seen.add(row.v.toNumber());
    count++;
  }
  assert.strictEqual(count, ROWS);
  assert.strictEqual(seen.size, ROWS);

  const part = await c.execute(`SELECT c FROM ${keyspace}.kv WHERE k = ?`, [3], { prepare: true, fetchSize: 1000 });
  const expected = [];
  for (let i = 3; i < ROWS; i += 50) expected.push('c' + String(i).padStart(5, '0'));
  assert.deepStrictEqual(part.rows.map(r => r.c), expected.sort());

  await assert.rejects(c.execute(`SELECT * FROM ${keyspace}.missing`), err => err.code === 0x2200);
  await c.shutdown();

  const bad = client('forged.token.value');
  await assert.rejects(bad.connect());
  await bad.shutdown();
  console.log('OK');
}

main().catch(e => { console.error(e); process.exit(1); });
