package io.strata.cql.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cql.ast.Insert;
import io.strata.cql.ast.ParsedStatement;
import io.strata.cql.ast.Select;
import io.strata.cql.ast.Term;
import io.strata.cql.ast.Update;
import org.junit.jupiter.api.Test;

/** Parses many short statements, as the prepared-statement path does; checks results, never time. */
final class TestCqlParserVolume {

    @Test
    void parsesTenThousandShortStatements() {
        int selects = 0;
        int inserts = 0;
        int updates = 0;
        for (int i = 0; i < 10_000; i++) {
            String cql = switch (i % 3) {
                case 0 -> "SELECT a, b FROM ks.t" + i + " WHERE k = ? AND c > " + i + " LIMIT " + (i + 1);
                case 1 -> "INSERT INTO ks.t (k, c, v) VALUES (?, ?, 'v" + i + "') USING TTL " + i;
                default -> "UPDATE ks.t SET n = n + " + i + " WHERE k = ? IF EXISTS";
            };
            ParsedStatement parsed = CqlParser.parse(cql);
            if (parsed.statement() instanceof Select s) {
                assertThat(s.limit()).isEqualTo(new Term.Literal(Term.Literal.Kind.INTEGER, Integer.toString(i + 1)));
                assertThat(parsed.bindMarkers()).hasSize(1);
                selects++;
            } else if (parsed.statement() instanceof Insert s) {
                assertThat(s.using().ttl()).isEqualTo(new Term.Literal(Term.Literal.Kind.INTEGER, Integer.toString(i)));
                assertThat(parsed.bindMarkers()).hasSize(2);
                inserts++;
            } else {
                assertThat(parsed.statement()).isInstanceOfSatisfying(Update.class, u -> assertThat(u.ifExists()).isTrue());
                updates++;
            }
        }
        assertThat(selects + inserts + updates).isEqualTo(10_000);
        assertThat(selects).isEqualTo(3334);
    }
}
