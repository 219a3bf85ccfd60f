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
    void recordsSchemaChangesAndNeverRefuses() throws IOException {
        try (AuditLog log = AuditLog.open(dir, 1 << 20, TestAuditLog.CLOCK, null)) {
            AuditGuard guard = new AuditGuard(log);
            RequestContext context = RequestContext.internal(new TenantContext("acme", "alice"), "ks");
            guard.check(context, new SchemaChangePlan.TableChange(new DropTable(QualifiedName.of("t"), false), "ks"))
                    .await().indefinitely();
        }
        List<String> lines = Files.readAllLines(dir.resolve(AuditLog.FILE_NAME));
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("\"kind\":\"ddl\",\"tenant\":\"acme\",\"principal\":\"alice\"")
                .contains("\"statement\":\"DROP TABLE ks.t\"");
    }
}
