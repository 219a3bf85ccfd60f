/** The gateway's use of JVM memory: giving idle heap back to the system. */
package io.strata.gateway.memory;
