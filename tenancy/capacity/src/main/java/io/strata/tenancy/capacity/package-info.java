/** Capacity modes and their enforcement: Bucket4j token buckets per table, partition and tenant. */
package io.strata.tenancy.capacity;
