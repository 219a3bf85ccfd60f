package io.strata.bench.jmh;

import io.strata.cql.ast.ParsedStatement;
import io.strata.cql.parse.CqlParser;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Parsing typical statements (the unprepared QUERY path; EXECUTE never parses). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CqlParseBenchmark {
    @Benchmark
    public ParsedStatement selectByKey() {
        return CqlParser.parse("SELECT id, name, city, score FROM strata_bench.kv WHERE id = ?");
    }

    @Benchmark
    public ParsedStatement insert() {
        return CqlParser.parse("INSERT INTO strata_bench.kv (id, name, city, score, payload) VALUES (?, ?, ?, ?, ?) USING TTL 86400");
    }

    @Benchmark
    public ParsedStatement createTable() {
        return CqlParser.parse("CREATE TABLE IF NOT EXISTS app.timeline (user text, bucket int, ts timestamp, seq int, "
                + "body text, PRIMARY KEY ((user, bucket), ts, seq)) WITH CLUSTERING ORDER BY (ts DESC, seq ASC) "
                + "AND comment = 'feed' AND default_time_to_live = 3600");
    }
}
