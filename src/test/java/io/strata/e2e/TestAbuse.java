package io.strata.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Abuse of the front door against a real gateway with a small heap (256 MiB), while a well-behaved tenant keeps
 * querying through the Java driver: thousands of unauthenticated sockets announcing large frames, slow-loris
 * clients, login storms and LZ4 bombs. The tenant's queries must all succeed within a latency bound, the gateway
 * must stay alive and healthy with no OutOfMemoryError in any thread, and its heap must return to its baseline.
 * Attackers connect from other loopback addresses (127.0.0.2 and up), as remote clients would from theirs.
 */
final class TestAbuse {
    /** Generous: a bound that holds on two shared cores under attack, far below a client's 2 s request timeout. */
    private static final long LATENCY_BOUND_MILLIS = 2_000;

    @TempDir
    Path dir;

    @Test
    void theFrontDoorHoldsWhileAnotherTenantIsServed() throws Exception {
        Map<String, String> config = Map.of("strata.cql.login-timeout", "3s");
        try (GatewayProcess gateway = new GatewayProcess(dir.resolve("gw"), config).jvm("-Xmx256m").start();
                CqlSession victim = CqlSession.builder()
                        .addContactPoint(new InetSocketAddress("127.0.0.1", gateway.port()))
                        .withLocalDatacenter("datacenter1")
                        .withAuthCredentials("token", gateway.devToken())
                        .build()) {
            victim.execute("CREATE KEYSPACE v WITH replication = {'class': 'SingleRegionStrategy'}");
            victim.execute("CREATE TABLE v.kv (k int PRIMARY KEY, v text)");
            PreparedStatement put = victim.prepare("INSERT INTO v.kv (k, v) VALUES (?, ?)");
            for (int k = 0; k < 100; k++) {
                victim.execute(put.bind(k, "value " + k));
            }
            Victim load = new Victim(victim, victim.prepare("SELECT v FROM v.kv WHERE k = ?"));
            Thread loadThread = new Thread(load, "victim");
            loadThread.start();
            Thread.sleep(2_000);
            long baseline = heapUsedAfterGc(gateway);

            int port = gateway.port();
            int held = announceAndHold(port, 1_100);
            long underAttack = heapUsedAfterGc(gateway);
            releaseHeld();
            long loggedIn = announceAfterLogin(port, Tokens.mint(gateway.createTenant("mallory").dataDir(), "mallory", "m",
                    Duration.ofHours(1)),
                    200);
            long underLoggedInAttack = heapUsedAfterGc(gateway);
            releaseHeld();
            hugeAnnouncements(port, 500);
            slowLoris(port, 200);
            loginStorm(port, 200);
            lz4Bombs(port, 200);

            Thread.sleep(1_000);
            load.stop.set(true);
            loadThread.join();

            assertThat(load.failures).as("the other tenant's failed queries").isEmpty();
            assertThat(load.ok.get()).as("the other tenant's queries").isGreaterThan(100);
            assertThat(load.maxMillis.get()).as("the other tenant's slowest query, ms")
                    .isLessThan(LATENCY_BOUND_MILLIS);
            // the per-address limit (1000) let the rest of the first wave in no further than its first byte
            assertThat(held).isEqualTo(1_000);

            long after = heapUsedAfterGc(gateway);
            System.out.printf("abuse: heap used %d MiB at baseline, %d MiB with %d sockets held before login, %d MiB"
                    + " with %d logged-in sockets announcing 16 MiB, %d MiB after; %d queries of the other tenant,"
                    + " slowest %d ms%n", baseline >> 20, underAttack >> 20, held, underLoggedInAttack >> 20, loggedIn,
                    after >> 20, load.ok.get(), load.maxMillis.get());
            // each logged-in socket announced 16 MiB: buffers follow the bytes sent (1 KiB), not the announcement
            assertThat(underLoggedInAttack).isLessThan(baseline + (64 << 20));
            assertThat(after).as("heap after the abuse vs baseline %d", baseline).isLessThan(baseline + (32 << 20));
            String log = Files.readString(gateway.logFile());
            assertThat(log).doesNotContain("OutOfMemoryError");
            assertThat(liveness(gateway.httpPort())).isEqualTo(200);
            // and the gateway still serves
            Row row = victim.execute("SELECT v FROM v.kv WHERE k = 7").one();
            assertThat(row.getString(0)).isEqualTo("value 7");
        }
    }

    private final List<Socket> heldSockets = new ArrayList<>();

    /**
     * Unauthenticated sockets that announce a frame just under the pre-login limit, send half of it and wait: each
     * may hold what it sent, no more. Returns how many the gateway kept open.
     */
    private int announceAndHold(int port, int count) throws Exception {
        byte[] partial = RawFrames.concat(RawFrames.header(RawFrames.V4, 0, 1, RawFrames.OPTIONS, 16_000),
                new byte[8_000]);
        for (int i = 0; i < count; i++) {
            Socket s = RawFrames.connect("127.0.0.2", port);
            heldSockets.add(s);
            try {
                s.getOutputStream().write(partial);
            } catch (IOException refused) {
                // closed by the gateway before the write: over the per-address limit
            }
        }
        Thread.sleep(500);
        int open = 0;
        for (Socket s : heldSockets) {
            s.setSoTimeout(1);
            if (!RawFrames.closedByServer(s)) {
                open++;
            }
        }
        return open;
    }

    /**
     * Logged-in connections of another tenant that announce a 16 MiB QUERY (allowed after login) and send 1 KiB of
     * it. Returns how many are open.
     */
    private long announceAfterLogin(int port, String token, int count) throws Exception {
        byte[] partial = RawFrames.concat(RawFrames.header(RawFrames.V4, 0, 2, RawFrames.QUERY, 16 * 1024 * 1024),
                new byte[1024]);
        for (int i = 0; i < count; i++) {
            Socket s = RawFrames.connect("127.0.0.7", port);
            heldSockets.add(s);
            OutputStream out = s.getOutputStream();
            out.write(RawFrames.startup(null));
            assertThat(RawFrames.read(s.getInputStream()).opcode()).isEqualTo(RawFrames.AUTHENTICATE);
            out.write(RawFrames.authResponse(1, "token", token));
            RawFrames.Response r = RawFrames.read(s.getInputStream());
            assertThat(r.opcode()).as("%s", r).isEqualTo(RawFrames.AUTH_SUCCESS);
            out.write(partial);
        }
        return heldSockets.stream().filter(s -> !s.isClosed()).count();
    }

    private void releaseHeld() throws IOException {
        for (Socket s : heldSockets) {
            s.close();
        }
        heldSockets.clear();
    }

    /**
     * The attack that once exhausted the heap: a header announcing a 16 MiB body (the post-login limit) and one byte
     * of it, before login. Each is answered PROTOCOL_ERROR and closed at once.
     */
    private static void hugeAnnouncements(int port, int count) throws Exception {
        parallel(count, i -> {
            try (Socket s = RawFrames.connect("127.0.0.3", port)) {
                s.getOutputStream().write(RawFrames.concat(
                        RawFrames.header(RawFrames.V4, 0, 1, RawFrames.STARTUP, 16 * 1024 * 1024), new byte[1]));
                RawFrames.Response r = RawFrames.read(s.getInputStream());
                assertThat(r.errorCode()).as("%s", r).isEqualTo(RawFrames.PROTOCOL_ERROR);
                assertThat(RawFrames.closedByServer(s)).isTrue();
            }
        });
    }

    /** A byte every 250 ms of a STARTUP that never ends: the login deadline (3 s here) closes them. */
    private static void slowLoris(int port, int count) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(RawFrames.connect("127.0.0.4", port));
            }
            byte[] startup = RawFrames.header(RawFrames.V4, 0, 0, RawFrames.STARTUP, 1_000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            int sent = 0;
            while (System.nanoTime() < deadline) {
                for (Socket s : sockets) {
                    try {
                        s.getOutputStream().write(startup[sent % startup.length]);
                    } catch (IOException closed) {
                        // the gateway gave up on it
                    }
                }
                sent++;
                Thread.sleep(250);
            }
            for (Socket s : sockets) {
                s.setSoTimeout(2_000);
                assertThat(RawFrames.closedByServer(s)).as("slow-loris socket closed by the login deadline").isTrue();
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** Connections that try three wrong tokens each: refused each time, closed after the third. */
    private static void loginStorm(int port, int count) throws Exception {
        parallel(count, i -> {
            try (Socket s = RawFrames.connect("127.0.0.5", port)) {
                OutputStream out = s.getOutputStream();
                out.write(RawFrames.startup(null));
                assertThat(RawFrames.read(s.getInputStream()).opcode()).isEqualTo(RawFrames.AUTHENTICATE);
                for (int attempt = 1; attempt <= 3; attempt++) {
                    out.write(RawFrames.authResponse(attempt, "token", "not-a-token-" + i));
                    RawFrames.Response r = RawFrames.read(s.getInputStream());
                    assertThat(r.errorCode()).as("%s", r).isEqualTo(RawFrames.AUTH_ERROR);
                }
                assertThat(RawFrames.closedByServer(s)).isTrue();
            }
        });
    }

    /** LZ4 bodies declaring 16 MiB of output before login: refused before anything is inflated. */
    private static void lz4Bombs(int port, int count) throws Exception {
        byte[] body = ByteBuffer.allocate(4 + 64).putInt(16 * 1024 * 1024).array();
        byte[] bomb = RawFrames.frame(RawFrames.V4, 0x01, 1, RawFrames.AUTH_RESPONSE, body);
        parallel(count, i -> {
            try (Socket s = RawFrames.connect("127.0.0.6", port)) {
                OutputStream out = s.getOutputStream();
                out.write(RawFrames.startup("lz4"));
                assertThat(RawFrames.read(s.getInputStream()).opcode()).isEqualTo(RawFrames.AUTHENTICATE);
                out.write(bomb);
                RawFrames.Response r = RawFrames.read(s.getInputStream());
                assertThat(r.errorCode()).as("%s", r).isEqualTo(RawFrames.PROTOCOL_ERROR);
                assertThat(RawFrames.closedByServer(s)).isTrue();
            }
        });
    }

    /** A well-behaved tenant: one query at a time, recording failures and the slowest answer. */
    private static final class Victim implements Runnable {
        final CqlSession session;
        final PreparedStatement get;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger ok = new AtomicInteger();
        final AtomicLong maxMillis = new AtomicLong();
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

        Victim(CqlSession session, PreparedStatement get) {
            this.session = session;
            this.get = get;
        }

        @Override
        public void run() {
            while (!stop.get()) {
                int k = ThreadLocalRandom.current().nextInt(100);
                long start = System.nanoTime();
                try {
                    Row row = session.execute(get.bind(k)).one();
                    if (row == null || !("value " + k).equals(row.getString(0))) {
                        failures.add(new AssertionError("wrong answer for " + k + ": " + row));
                    }
                    ok.incrementAndGet();
                } catch (RuntimeException e) {
                    failures.add(e);
                }
                maxMillis.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private interface Attack {
        void run(int i) throws Exception;
    }

    private static void parallel(int count, Attack attack) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                all.add(pool.submit(() -> {
                    attack.run(n);
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Heap in use after a full collection, as jcmd reports it. */
    private static long heapUsedAfterGc(GatewayProcess gateway) throws Exception {
        jcmd(gateway.pid(), "GC.run");
        String info = jcmd(gateway.pid(), "GC.heap_info");
        Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
        if (!m.find()) {
            throw new AssertionError("no heap usage in jcmd output: " + info);
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    private static String jcmd(long pid, String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("jcmd " + command + " failed: " + out);
        }
        return out;
    }

    private static int liveness(int httpPort) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/q/health/live")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }
}
