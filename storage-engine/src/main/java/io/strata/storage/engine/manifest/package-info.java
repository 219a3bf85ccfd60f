/** Table manifests as immutable versions committed by create-if-absent (CAS), writer epochs and fencing of older writers. */
package io.strata.storage.engine.manifest;
