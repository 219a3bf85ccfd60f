package io.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

final class TestYcsbOptions {
    @Test
    void defaults() {
        YcsbOptions options = YcsbOptions.parse("ycsb");
        assertThat(options.preset()).isEqualTo("a");
        assertThat(options.records()).isEqualTo(50_000);
        assertThat(options.fields()).isEqualTo(10);
        assertThat(options.fieldLength()).isEqualTo(100);
        assertThat(options.distribution()).isEqualTo(YcsbGenerators.Distribution.ZIPFIAN);
        assertThat(options.threads()).isZero();
        assertThat(options.readProportion()).isEqualTo(0.5);
        assertThat(options.updateProportion()).isEqualTo(0.5);
        assertThat(options.writeAllFields()).isTrue();
        assertThat(options.common().keyspace()).isEqualTo("ycsb");
        assertThat(options.common().table()).isEqualTo("usertable");
        assertThat(options.common().duration()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void presets() {
        assertThat(YcsbOptions.parse("ycsb", "--workload", "B").readProportion()).isEqualTo(0.95);
        assertThat(YcsbOptions.parse("ycsb", "--workload=c").updateProportion()).isZero();
        YcsbOptions ninety = YcsbOptions.parse("ycsb", "--workload", "90-10");
        assertThat(ninety.updateProportion()).isEqualTo(0.9);
        assertThat(ninety.readProportion()).isEqualTo(0.1);
        YcsbOptions load = YcsbOptions.parse("ycsb", "--workload", "load", "--records", "1000");
        assertThat(load.insertProportion()).isEqualTo(1);
        assertThat(load.common().ops()).isEqualTo(1000);
        assertThat(load.common().warmup()).isZero();
        assertThat(load.label()).isEqualTo("ycsb-load");
    }

    @Test
    void customMixThreadsAndCommonOptions() {
        YcsbOptions options = YcsbOptions.parse("ycsb", "--read-proportion", "0.7", "--insert-proportion", "0.3",
                "--threads", "16", "--port", "29042", "--distribution", "latest", "--duration", "5", "--seed", "9");
        assertThat(options.preset()).isEqualTo("custom");
        assertThat(options.readProportion()).isEqualTo(0.7);
        assertThat(options.updateProportion()).isZero();
        assertThat(options.insertProportion()).isEqualTo(0.3);
        assertThat(options.threads()).isEqualTo(16);
        assertThat(options.common().port()).isEqualTo(29042);
        assertThat(options.common().seed()).isEqualTo(9);
        assertThat(options.distribution()).isEqualTo(YcsbGenerators.Distribution.LATEST);
    }

    @Test
    void rejectsInvalidCombinations() {
        assertThatThrownBy(() -> YcsbOptions.parse("ycsb", "--workload", "D")).hasMessageContaining("--workload");
        assertThatThrownBy(() -> YcsbOptions.parse("ycsb", "--workload", "A", "--read-proportion", "1"))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> YcsbOptions.parse("ycsb", "--threads", "4", "--concurrency", "8"))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> YcsbOptions.parse("ycsb", "--rows", "4")).hasMessageContaining("not a ycsb option");
        assertThatThrownBy(() -> YcsbOptions.parse("ycsb", "--distribution", "hotspot")).hasMessageContaining("zipfian");
        assertThatThrownBy(() -> YcsbOptions.parse("ycsb", "--read-proportion", "0")).hasMessageContaining("all be 0");
        assertThatThrownBy(() -> YcsbOptions.parse("ycsb", "--write-all-fields", "maybe")).hasMessageContaining("true or false");
    }

    @Test
    void buildsYcsbsStatements() {
        YcsbWorkload.Table table = new YcsbWorkload.Table("ycsb", "usertable", 2);
        assertThat(table.schemaStatements().get(1))
                .isEqualTo("CREATE TABLE IF NOT EXISTS ycsb.usertable (y_id text PRIMARY KEY, field0 text, field1 text)");
        assertThat(table.insert()).isEqualTo("INSERT INTO ycsb.usertable (y_id, field0, field1) VALUES (?, ?, ?)");
        assertThat(table.read()).isEqualTo("SELECT * FROM ycsb.usertable WHERE y_id = ?");
        assertThat(table.updateAll()).isEqualTo("UPDATE ycsb.usertable SET field0 = ?, field1 = ? WHERE y_id = ?");
        assertThat(table.updateOne(1)).isEqualTo("UPDATE ycsb.usertable SET field1 = ? WHERE y_id = ?");
    }
}
