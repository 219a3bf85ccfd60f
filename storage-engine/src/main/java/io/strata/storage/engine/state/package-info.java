/** The live tables: each table's memtables, open segments and current manifest, and the registry of all of them. */
package io.strata.storage.engine.state;
