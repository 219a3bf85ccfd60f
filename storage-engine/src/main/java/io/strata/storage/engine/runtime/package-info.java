/** The engine's threads and the lock on its working directory: what open acquires and close releases. */
package io.strata.storage.engine.runtime;
