package io.strata.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.storage.engine.testing.TestEngines;
import io.strata.storage.local.FileIO;
import io.strata.storage.local.LocalKeyProvider;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionSelection;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.ReadQuery;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.Slice;
import io.strata.storage.spi.TableId;
import io.strata.storage.spi.TableSettings;
import io.strata.storage.spi.crypto.KeyProvider;
import io.strata.storage.spi.crypto.KeyUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables under a tenant's own (customer-managed) key on real local zones: their data keys are wrapped by that key
 * and stay so through master-key rotation; a revoked key makes exactly those tables unavailable while the others
 * work; restoring the key brings everything back; a batch over tables under different keys stays atomic.
 */
class TestCustomerManagedKeys {
    private static final String TENANT = "acme";
    private static final TableId OWN = new TableId(TENANT, "ks", "own_key", UUID.randomUUID());
    private static final TableId SERVICE = new TableId(TENANT, "ks", "service_key", UUID.randomUUID());

    @TempDir
    Path dir;
    private LocalKeyProvider provider;

    @BeforeEach
    void keys() {
        provider = LocalKeyProvider.open(dir.resolve("keys"), true);
        provider.createCustomerKey(TENANT, "orders-key");
    }

    private LsmEngine open(KeyProvider keys) {
        EngineStorage s = TestEngines.localZoneStorage(dir.resolve("data"), FileIO.DEFAULT);
        return LsmEngine.open(new EngineStorage(s.wal(), s.data(), s.localDir(), 0, keys), EngineOptions.defaults(),
                Clock.systemUTC());
    }

    /** Opens storage and tells it the schema's settings, as the CQL layer does on every schema load. */
    private LsmEngine openConfigured() {
        LsmEngine e = open(LocalKeyProvider.open(dir.resolve("keys"), false));
        configure(e);
        return e;
    }

    private static void configure(LsmEngine e) {
        e.createTable(OWN).toCompletableFuture().join();
        e.createTable(SERVICE).toCompletableFuture().join();
        e.configureTable(OWN, new TableSettings(864_000, "arn:aws:kms:us-east-1:111122223333:key/orders-key"))
                .toCompletableFuture().join();
        e.configureTable(SERVICE, TableSettings.DEFAULT).toCompletableFuture().join();
    }

    private static PartitionUpdate row(TableId t, int i) {
        return PartitionUpdate.ofRows(t, PartitionKey.of(("pk-" + i).getBytes(StandardCharsets.UTF_8)),
                List.of(Row.of(Clustering.EMPTY, LivenessInfo.of(i + 1, 0, 0),
                        List.of(Cell.live("v", null, i + 1, ("SECRET-" + t.table() + "-" + i).getBytes(StandardCharsets.UTF_8))))));
    }

    private static void write(LsmEngine e, TableId t, int from, int to) {
        for (int i = from; i < to; i++) {
            e.apply(List.of(row(t, i))).toCompletableFuture().join();
        }
    }

    private static String read(LsmEngine e, TableId t, int i) {
        var r = e.read(new ReadQuery(t, new PartitionSelection.Single(PartitionKey.of(("pk-" + i).getBytes(
                StandardCharsets.UTF_8))), List.of(Slice.ALL), false, null, 10, Integer.MAX_VALUE,
                (int) (System.currentTimeMillis() / 1000), null)).toCompletableFuture().join();
        return r.partitions().isEmpty() ? null
                : new String(r.partitions().get(0).rows().get(0).cells().get(0).value(), StandardCharsets.UTF_8);
    }

    /** The stored wrappings of the tenant's data keys ({@code blob magic wrapping-key-id}), one per blob (not zone). */
    private List<String> wrappings() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir.resolve("data"))) {
            for (Path p : all.filter(Files::isRegularFile).filter(p -> p.toString().contains("/keys/" + TENANT + "/"))
                    .filter(p -> !p.getFileName().toString().startsWith(".tmp-")).sorted().toList()) {
                byte[] b;
                try {
                    b = Files.readAllBytes(p);
                } catch (java.nio.file.NoSuchFileException replacedMeanwhile) {
                    continue; // a zone's copy being written (a put still reaching its third zone, or a repair)
                }
                int n = ((b[4] & 0xff) << 8) | (b[5] & 0xff);
                out.add(p.getFileName() + " " + new String(b, 0, 4, StandardCharsets.US_ASCII) + " "
                        + new String(b, 6, n, StandardCharsets.UTF_8));
            }
        }
        return out.stream().distinct().toList();
    }

    private Path customerKeyFile() {
        return dir.resolve("keys").resolve("customer").resolve(TENANT).resolve("orders-key.key");
    }

    @Test
    void aTablesOwnKeyWrapsItsDataKeysAndMasterRotationLeavesThemUnderIt() throws Exception {
        LsmEngine e = open(provider);
        configure(e);
        write(e, OWN, 0, 50);
        write(e, SERVICE, 0, 50);
        e.flush();
        write(e, OWN, 50, 60); // only in the commit log
        int own = e.table(OWN).segments().get(0).keyVersion();
        int service = e.table(SERVICE).segments().get(0).keyVersion();
        assertThat(own).isNotEqualTo(service);
        assertThat(wrappings()).anyMatch(w -> w.startsWith("dk-" + String.format("%020d", own))
                && w.endsWith("SDKC customer/acme/orders-key"));
        assertThat(wrappings()).anyMatch(w -> w.startsWith("dk-" + String.format("%020d", service))
                && w.contains(" SDK1 local-"));

        String oldMaster = provider.currentKeyId();
        provider.rotate();
        assertThat(e.rewrapDataKeys()).as("only the service-wrapped key moves").isEqualTo(1);
        assertThat(wrappings()).noneMatch(w -> w.endsWith(oldMaster));
        assertThat(wrappings()).anyMatch(w -> w.endsWith("SDKC customer/acme/orders-key"));
        e.simulateCrash();
        Files.delete(dir.resolve("keys").resolve(oldMaster + ".key"));

        LsmEngine reopened = openConfigured();
        for (int i = 0; i < 60; i += 3) {
            assertThat(read(reopened, OWN, i)).isEqualTo("SECRET-own_key-" + i);
        }
        assertThat(read(reopened, SERVICE, 7)).isEqualTo("SECRET-service_key-7");

        // data-key rotation moves the customer lineage on too, still under the customer's key
        reopened.rotateDataKey(TENANT);
        write(reopened, OWN, 60, 70);
        reopened.flush();
        assertThat(reopened.table(OWN).segments().get(0).keyVersion()).isGreaterThan(own);
        assertThat(wrappings().stream().filter(w -> w.endsWith("SDKC customer/acme/orders-key")).count())
                .isEqualTo(2);
        reopened.close();
    }

    @Test
    void aRevokedKeyMakesOnlyItsTablesUnavailableUntilItIsBack() throws Exception {
        LsmEngine e = open(provider);
        configure(e);
        write(e, OWN, 0, 20);
        write(e, SERVICE, 0, 20);
        e.close(); // flushed: nothing of the table is only in the log
        byte[] key = Files.readAllBytes(customerKeyFile());
        Files.delete(customerKeyFile()); // the tenant revokes its key

        LsmEngine revoked = openConfigured();
        assertThat(read(revoked, SERVICE, 3)).isEqualTo("SECRET-service_key-3");
        write(revoked, SERVICE, 20, 30);
        assertThatThrownBy(() -> read(revoked, OWN, 3)).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(KeyUnavailableException.class)
                .hasMessageContaining("ks.own_key is inaccessible").hasMessageContaining("orders-key")
                .hasMessageNotContaining(dir.toString());
        assertThatThrownBy(() -> write(revoked, OWN, 20, 21)).cause().isInstanceOf(KeyUnavailableException.class);
        revoked.close();

        Files.write(customerKeyFile(), key); // restored
        LsmEngine back = openConfigured();
        for (int i = 0; i < 20; i++) {
            assertThat(read(back, OWN, i)).isEqualTo("SECRET-own_key-" + i);
        }
        assertThat(read(back, SERVICE, 25)).isEqualTo("SECRET-service_key-25");
        back.close();
    }

    @Test
    void writesOnlyInTheLogUnderARevokedKeyStopOpenNamingItAndComeBackWithIt() throws Exception {
        LsmEngine e = open(provider);
        configure(e);
        write(e, OWN, 0, 10);
        e.flush();
        write(e, OWN, 10, 20); // acknowledged, only in the commit log
        e.simulateCrash();
        byte[] key = Files.readAllBytes(customerKeyFile());
        Files.delete(customerKeyFile());

        assertThatThrownBy(() -> open(LocalKeyProvider.open(dir.resolve("keys"), false)))
                .isInstanceOf(KeyUnavailableException.class).hasMessageContaining("orders-key");
        Files.write(customerKeyFile(), key);
        LsmEngine back = openConfigured();
        for (int i = 0; i < 20; i++) {
            assertThat(read(back, OWN, i)).isEqualTo("SECRET-own_key-" + i);
        }
        back.close();
    }

    @Test
    void anUnavailableTableCanBeDroppedAndIsNotRecreatedEmpty() throws Exception {
        LsmEngine e = open(provider);
        configure(e);
        write(e, OWN, 0, 5);
        e.close();
        byte[] key = Files.readAllBytes(customerKeyFile());
        Files.delete(customerKeyFile());
        LsmEngine revoked = openConfigured(); // createTable of the schema's tables must not replace it
        revoked.close();
        Files.write(customerKeyFile(), key);
        LsmEngine back = openConfigured();
        assertThat(read(back, OWN, 4)).isEqualTo("SECRET-own_key-4");
        back.close();

        Files.delete(customerKeyFile());
        LsmEngine again = openConfigured();
        again.dropTable(OWN).toCompletableFuture().join();
        again.close();
        Files.write(customerKeyFile(), key);
        LsmEngine afterDrop = open(LocalKeyProvider.open(dir.resolve("keys"), false));
        assertThat(afterDrop.table(OWN)).as("dropped while its key was away").isNull();
        afterDrop.close();
    }

    @Test
    void aBatchOverTablesUnderDifferentKeysIsOneAtomicRecord() {
        provider.createCustomerKey(TENANT, "other-key");
        TableId third = new TableId(TENANT, "ks", "third", UUID.randomUUID());
        LsmEngine e = open(provider);
        configure(e);
        e.createTable(third).toCompletableFuture().join();
        e.configureTable(third, new TableSettings(864_000, "other-key")).toCompletableFuture().join();
        for (int i = 0; i < 10; i++) {
            e.apply(List.of(row(OWN, i), row(SERVICE, i), row(third, i))).toCompletableFuture().join();
        }
        e.simulateCrash();
        LsmEngine back = openConfigured();
        back.createTable(third).toCompletableFuture().join();
        for (int i = 0; i < 10; i++) {
            assertThat(read(back, OWN, i)).isEqualTo("SECRET-own_key-" + i);
            assertThat(read(back, SERVICE, i)).isEqualTo("SECRET-service_key-" + i);
            assertThat(read(back, third, i)).isEqualTo("SECRET-third-" + i);
        }
        back.close();
    }

    @Test
    void onlyTheTenantsOwnExistingKeysAreAccepted() {
        provider.createCustomerKey("other", "theirs");
        LsmEngine e = open(provider);
        e.checkCustomerKey(TENANT, "orders-key").toCompletableFuture().join();
        e.checkCustomerKey(TENANT, "arn:aws:kms:us-east-1:111122223333:key/orders-key").toCompletableFuture().join();
        assertThatThrownBy(() -> e.checkCustomerKey(TENANT, "missing").toCompletableFuture().join())
                .cause().isInstanceOf(KeyUnavailableException.class).hasMessageContaining("'missing'");
        assertThatThrownBy(() -> e.checkCustomerKey(TENANT, "theirs").toCompletableFuture().join())
                .cause().isInstanceOf(KeyUnavailableException.class);
        assertThatThrownBy(() -> e.checkCustomerKey(TENANT, "../other/theirs").toCompletableFuture().join())
                .cause().isInstanceOf(KeyUnavailableException.class);
        e.close();
        LsmEngine clear = LsmEngine.open(TestEngines.localZoneStorage(dir.resolve("clear"), FileIO.DEFAULT),
                EngineOptions.defaults(), Clock.systemUTC());
        assertThatThrownBy(() -> clear.checkCustomerKey(TENANT, "orders-key").toCompletableFuture().join())
                .cause().hasMessageContaining("encryption at rest is off");
        clear.close();
    }
}
