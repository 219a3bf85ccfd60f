package io.strata.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What this gateway reports about itself to drivers ({@code strata.node.*}). */
@ConfigMapping(prefix = "strata.node")
public interface NodeConfig {
    /** system.local.cluster_name. */
    @WithDefault("Strata")
    String clusterName();

    /** The data center drivers must use as their local DC. */
    @WithDefault("datacenter1")
    String datacenter();

    @WithDefault("rack1")
    String rack();
}
