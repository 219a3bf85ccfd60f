package io.strata.cql.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cql.ast.Describe;
import io.strata.cql.request.Result;
import io.strata.cql.request.ResultColumn;
import io.strata.cql.schema.Schema;
import io.strata.cql.system.NodeInfo;
import io.strata.cql.types.CollectionCodec;
import io.strata.cql.types.TypedValues;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** DESCRIBE CLUSTER as Cassandra 5.0.9 answers it, with and without a user keyspace in use. */
class TestDescribeCluster {
    private static final NodeInfo NODE = new NodeInfo("Strata", "datacenter1", "rack1", UUID.randomUUID(),
            InetAddress.getLoopbackAddress(), 9042, "5.0.9", List.of("-9223372036854775808"));

    private static String text(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aUserKeyspaceInUseAddsTheOwnerOfEachTokenRange() {
        Result.Rows r = DescribeExecutor.describe(new Describe(Describe.Kind.CLUSTER, null), Schema.EMPTY, "ks", NODE);
        assertThat(r.columns().stream().map(ResultColumn::name)).containsExactly("cluster", "partitioner", "snitch",
                "range_ownership");
        assertThat(r.columns().get(3).type().cql()).isEqualTo("map<text, frozen<list<text>>>");
        List<ByteBuffer> row = r.rows().get(0);
        assertThat(row.subList(0, 3).stream().map(TestDescribeCluster::text))
                .containsExactly("Strata", "Murmur3Partitioner", "DynamicEndpointSnitch");
        byte[] map = new byte[row.get(3).remaining()];
        row.get(3).duplicate().get(map);
        assertThat(TypedValues.toCql(r.columns().get(3).type(), map))
                .isEqualTo("{'-9223372036854775808': ['/127.0.0.1:7000']}");
        assertThat(CollectionCodec.elements(map, true)).hasSize(2);
    }

    @Test
    void noKeyspaceOrASystemOneGivesTheClusterAlone() {
        for (String ks : new String[] {null, "system", "system_schema"}) {
            Result.Rows r = DescribeExecutor.describe(new Describe(Describe.Kind.CLUSTER, null), Schema.EMPTY, ks, NODE);
            assertThat(r.columns()).hasSize(3);
        }
    }
}
