/** Opening the storage: claim an epoch, load and fence every table, seal and replay unflushed commit logs. */
package io.strata.storage.engine.recovery;
