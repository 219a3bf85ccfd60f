/** Binary encoding of the storage model (updates, partitions, table identities) shared by the commit log and segments. */
package io.strata.storage.engine.codec;
