package io.strata.gateway.audit;

import io.strata.gateway.config.StorageConfig;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The audit log bean: {@code strata.audit.enabled} (default true), {@code strata.audit.path} (default
 * {@code <strata.storage.local.path>/audit}), {@code strata.audit.stdout} (default false: also print each line),
 * {@code strata.audit.max-file-size} (default 64M, rotation). Closed (forced to disk) at shutdown.
 */
@Singleton
public class AuditProducer {
    private static final Logger LOG = Logger.getLogger(AuditProducer.class);

    @Produces
    @Singleton
    AuditLog auditLog(StorageConfig storage, Clock clock,
            @ConfigProperty(name = "strata.audit.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "strata.audit.path") Optional<Path> path,
            @ConfigProperty(name = "strata.audit.stdout", defaultValue = "false") boolean stdout,
            @ConfigProperty(name = "strata.audit.max-file-size", defaultValue = "64M")
                    io.quarkus.runtime.configuration.MemorySize maxFileSize) {
        if (!enabled) {
            LOG.info("Audit log disabled (strata.audit.enabled=false)");
            return AuditLog.disabled();
        }
        Path dir = path.orElse(storage.local().path().resolve("audit")).toAbsolutePath().normalize();
        try {
            AuditLog log = AuditLog.open(dir, maxFileSize.asLongValue(), clock, stdout ? System.out : null);
            LOG.infof("Audit log in %s (check it with io.strata.gateway.audit.AuditVerify %s)", dir, dir);
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the audit log in " + dir + " (strata.audit.path): "
                    + e.getMessage(), e);
        }
    }

    void close(@Disposes AuditLog log) {
        try {
            log.close();
        } catch (IOException e) {
            LOG.warnf("cannot close the audit log: %s", e.getMessage());
        }
    }
}
