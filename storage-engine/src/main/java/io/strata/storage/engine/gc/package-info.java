/** Garbage collection of manifests, segments, dropped tables, retired logs and old epochs after the retention window. */
package io.strata.storage.engine.gc;
