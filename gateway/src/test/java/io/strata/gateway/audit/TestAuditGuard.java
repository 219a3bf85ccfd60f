package io.strata.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cql.ast.AlterTable;
import io.strata.cql.ast.DropIndex;
import io.strata.cql.ast.DropKeyspace;
import io.strata.cql.ast.DropTable;
import io.strata.cql.ast.QualifiedName;
import io.strata.cql.plan.SchemaChangePlan;
import io.strata.cql.request.RequestContext;
import io.strata.tenancy.core.TenantContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestAuditGuard {
    @TempDir
    Path dir;

    @Test
    void describesTheKindAndObjectWithoutProperties() {
        assertThat(AuditGuard.describe(new DropKeyspace("ks", true), "ks")).isEqualTo("DROP KEYSPACE ks");
        assertThat(AuditGuard.describe(new DropTable(QualifiedName.of("t"), false), "ks")).isEqualTo("DROP TABLE ks.t");
        assertThat(AuditGuard.describe(new DropTable(new QualifiedName("other", "t"), false), "ks"))
                .isEqualTo("DROP TABLE other.t");
        assertThat(AuditGuard.describe(new AlterTable(QualifiedName.of("t"),
                new AlterTable.DropColumns(List.of("secret_col"))), "ks")).isEqualTo("ALTER TABLE ks.t DROP");
        assertThat(AuditGuard.describe(new AlterTable(QualifiedName.of("t"),
                new AlterTable.WithProperties(Map.of("comment", "pw=hunter2"))), "ks")).isEqualTo("ALTER TABLE ks.t WITH");
        assertThat(AuditGuard.describe(new DropIndex(QualifiedName.of("i"), false), "ks")).isEqualTo("DROP INDEX ks.i");
    }

    @Test
    void recordsSchemaChangesWithOutcomeAndDenialsAndNeverRefuses() throws Exception {
        try (AuditLog log = AuditLog.open(dir, 1 << 20, TestAuditLog.CLOCK, null)) {
            AuditGuard guard = new AuditGuard(log);
            RequestContext context = RequestContext.internal(new TenantContext("acme", "alice"), "ks")
                    .client(java.net.InetAddress.getByName("192.0.2.7"));
            SchemaChangePlan drop = new SchemaChangePlan.TableChange(new DropTable(QualifiedName.of("t"), false), "ks");
            guard.check(context, drop).await().indefinitely();
            assertThat(Files.exists(dir.resolve(AuditLog.FILE_NAME)) ? Files.readAllLines(dir.resolve(AuditLog.FILE_NAME))
                    : List.of()).as("nothing is recorded before the outcome is known").isEmpty();
            guard.completed(context, drop, null);
            guard.completed(context, drop, io.strata.cql.request.CqlException.invalid("Table 'ks.t' doesn't exist"));
            guard.completed(context, drop, io.strata.cql.request.CqlException.unauthorized(
                    "User alice has no DROP permission on <table ks.t> or any of its parents"));
        }
        List<String> lines = Files.readAllLines(dir.resolve(AuditLog.FILE_NAME));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("\"kind\":\"ddl\",\"tenant\":\"acme\",\"principal\":\"alice\"")
                .contains("\"source\":\"192.0.2.7\"").contains("\"statement\":\"DROP TABLE ks.t\"")
                .contains("\"outcome\":\"ok\"");
        assertThat(lines.get(1)).contains("\"kind\":\"ddl\"").contains("\"outcome\":\"failed\"")
                .contains("doesn't exist");
        assertThat(lines.get(2)).contains("\"kind\":\"denied\"").contains("\"outcome\":\"refused\"")
                .contains("no DROP permission");
    }
}
