package io.strata.cql.session;

import io.strata.cql.testing.CqlFixture;
import static io.strata.cql.testing.CqlFixture.columnNames;
import static io.strata.cql.testing.CqlFixture.row;
import static io.strata.cql.testing.CqlFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** IF NOT EXISTS / IF EXISTS / IF conditions, with Cassandra's [applied] result shapes. */
class TestCqlLightweightTransactions {
    static final DataType BOOL = NativeType.BOOLEAN;
    static final DataType INT = NativeType.INT;
    static final DataType TEXT = NativeType.TEXT;

    @RegisterExtension
    final CqlFixture db = new CqlFixture();

    @BeforeEach
    void setUp() {
        db.ok("CREATE TABLE acct (id int PRIMARY KEY, owner text, balance int)");
    }


    @Test
    void insertIfNotExistsAppliesOnceAndReturnsTheExistingRow() {
        var first = db.run("INSERT INTO acct (id, owner, balance) VALUES (1, 'ann', 10) IF NOT EXISTS");
        assertThat(columnNames(first)).containsExactly("[applied]");
        assertThat(rows(first, BOOL)).containsExactly(row("true"));
        var second = db.run("INSERT INTO acct (id, owner, balance) VALUES (1, 'bob', 99) IF NOT EXISTS");
        assertThat(columnNames(second)).containsExactly("[applied]", "id", "balance", "owner");
        assertThat(rows(second, BOOL, INT, INT, TEXT)).containsExactly(row("false", "1", "10", "'ann'"));
    }

    @Test
    void updateIfConditionsAndIfExists() {
        db.ok("INSERT INTO acct (id, owner, balance) VALUES (2, 'cy', 50)");
        var lost = db.run("UPDATE acct SET balance = 0 WHERE id = 2 IF balance = 40");
        assertThat(columnNames(lost)).containsExactly("[applied]", "balance");
        assertThat(rows(lost, BOOL, INT)).containsExactly(row("false", "50"));
        assertThat(rows(db.run("UPDATE acct SET balance = 40 WHERE id = 2 IF balance >= 50 AND owner IN ('cy', 'dee')"), BOOL))
                .containsExactly(row("true"));
        assertThat(rows(db.run("SELECT balance FROM acct WHERE id = 2"), INT)).containsExactly(row("40"));
        assertThat(rows(db.run("UPDATE acct SET balance = 1 WHERE id = 3 IF EXISTS"), BOOL)).containsExactly(row("false"));
        assertThat(rows(db.run("SELECT * FROM acct WHERE id = 3"), INT)).isEmpty();
        assertThat(rows(db.run("DELETE FROM acct WHERE id = 2 IF owner = 'cy'"), BOOL)).containsExactly(row("true"));
        assertThat(rows(db.run("DELETE FROM acct WHERE id = 2 IF EXISTS"), BOOL)).containsExactly(row("false"));
    }

    @Test
    void concurrentCompareAndSetIncrementsAreLinearizable() {
        db.ok("INSERT INTO acct (id, owner, balance) VALUES (9, 'z', 0)");
        int applied = 0;
        // Each round, 4 clients race to move the balance from n to n+1; exactly one wins per round.
        for (int n = 0; n < 25; n++) {
            List<CompletableFuture<Boolean>> racers = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int from = n;
                racers.add(CompletableFuture.supplyAsync(() -> rows(db.run("UPDATE acct SET balance = " + (from + 1)
                        + " WHERE id = 9 IF balance = " + from), BOOL, INT).get(0).get(0).equals("true")));
            }
            int winners = (int) racers.stream().filter(CompletableFuture::join).count();
            assertThat(winners).as("round %d", n).isEqualTo(1);
            applied += winners;
        }
        assertThat(applied).isEqualTo(25);
        assertThat(rows(db.run("SELECT balance FROM acct WHERE id = 9"), INT)).containsExactly(row("25"));
    }

    @Test
    void conditionsNeedTheFullPrimaryKeyAndConditionalBatchesOnePartition() {
        db.ok("CREATE TABLE ev (k int, c int, v int, PRIMARY KEY (k, c))");
        assertThat(db.invalid("DELETE FROM ev WHERE k = 1 IF v = 2")).contains("must restrict all PRIMARY KEY columns");
        assertThat(db.invalid("BEGIN BATCH INSERT INTO acct (id) VALUES (5) IF NOT EXISTS; "
                + "INSERT INTO acct (id) VALUES (6); APPLY BATCH")).contains("multiple partitions");
        assertThat(db.invalid("BEGIN BATCH INSERT INTO acct (id) VALUES (5) IF NOT EXISTS; "
                + "INSERT INTO ev (k, c, v) VALUES (5, 1, 1); APPLY BATCH")).contains("multiple tables");
    }

    @Test
    void aConditionalBatchAppliesAllOrNothingAtomically() {
        db.ok("CREATE TABLE ev (k int, c int, v int, PRIMARY KEY (k, c))");
        db.ok("INSERT INTO ev (k, c, v) VALUES (1, 1, 1)");
        String batch = "BEGIN BATCH UPDATE ev SET v = 2 WHERE k = 1 AND c = 1 IF v = 1; "
                + "INSERT INTO ev (k, c, v) VALUES (1, 2, 2); APPLY BATCH";
        assertThat(rows(db.run(batch), io.strata.cql.types.NativeType.BOOLEAN)).containsExactly(row("true"));
        // the second time the condition fails: nothing is written, and the current row comes back
        db.ok("DELETE FROM ev WHERE k = 1 AND c = 2");
        assertThat(rows(db.run(batch), io.strata.cql.types.NativeType.BOOLEAN, INT, INT, INT))
                .containsExactly(row("false", "1", "1", "2"));
        assertThat(rows(db.run("SELECT c FROM ev WHERE k = 1"), INT)).containsExactly(row("1"));
    }
}
