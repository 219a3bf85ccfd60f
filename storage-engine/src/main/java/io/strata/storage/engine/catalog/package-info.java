/** Versioned catalog documents (tenant schemas) stored as create-if-absent blobs. */
package io.strata.storage.engine.catalog;
