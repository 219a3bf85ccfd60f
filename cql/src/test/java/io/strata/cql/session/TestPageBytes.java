package io.strata.cql.session;

import io.strata.cql.testing.CqlFixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.request.query.QueryOptions;
import com.datastax.oss.protocol.internal.response.result.Rows;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keyspaces ends a page after 1 MB read, whatever the page size; paging then continues from there. */
class TestPageBytes {
    @Test
    void aPageEndsAfterOneMegabyteAndPagingReturnsEveryRow() {
        try (CqlFixture db = CqlFixture.open()) {
            db.ok("CREATE TABLE big (k int, c int, v text, PRIMARY KEY (k, c))");
            String value = "x".repeat(300_000);
            for (int c = 0; c < 10; c++) {
                db.ok("INSERT INTO big (k, c, v) VALUES (1, " + c + ", '" + value + "')");
            }
            ByteBuffer paging = null;
            int pages = 0;
            int total = 0;
            int firstPage = -1;
            do {
                QueryOptions o = new QueryOptions(ProtocolConstants.ConsistencyLevel.LOCAL_ONE, List.of(), Map.of(), false,
                        5000, paging, ProtocolConstants.ConsistencyLevel.SERIAL, QueryOptions.NO_DEFAULT_TIMESTAMP, null,
                        QueryOptions.NO_NOW_IN_SECONDS);
                Message m = db.send(new Query("SELECT c, v FROM big WHERE k = 1", o));
                Rows rows = (Rows) m;
                if (firstPage < 0) {
                    firstPage = rows.getData().size();
                }
                total += rows.getData().size();
                paging = rows.getMetadata().pagingState;
                pages++;
            } while (paging != null && pages < 20);
            assertThat(firstPage).as("rows in the first page (page size 5000)").isEqualTo(4);
            assertThat(total).isEqualTo(10);
            assertThat(pages).isGreaterThanOrEqualTo(3);
        }
    }
}
