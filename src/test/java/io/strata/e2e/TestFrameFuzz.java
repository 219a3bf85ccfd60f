package io.strata.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frames no driver sends, against a real gateway: random bytes, lengths up to 2^31-1, bad versions and opcodes,
 * truncated frames, mutated requests, collections claiming 2^31-1 elements, nesting thousands deep. Every complete
 * bad frame is answered with an error that is not SERVER_ERROR (the server's fault), and the gateway keeps serving.
 * The seed is printed; {@code -Dfuzz.seed=N} replays a run.
 */
final class TestFrameFuzz {
    private static final int CASES = Integer.getInteger("fuzz.cases", 600);

    @TempDir
    Path dir;

    private final List<String> failures = new ArrayList<>();
    /** Answers seen, per case kind and answer ("ERROR 0x2000", "RESULT", "none"): printed so a run shows its reach. */
    private final java.util.TreeMap<String, Integer> answers = new java.util.TreeMap<>();
    private int port;
    private String token;

    @Test
    void badFramesGetErrorsAndTheGatewayStaysUp() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("frame fuzz seed " + seed + " (-Dfuzz.seed=" + seed + " replays it)");
        Random random = new Random(seed);
        try (GatewayProcess gateway = new GatewayProcess(dir.resolve("gw"), Map.of()).jvm("-Xmx256m").start();
                CqlSession session = CqlSession.builder()
                        .addContactPoint(new InetSocketAddress("127.0.0.1", gateway.port()))
                        .withLocalDatacenter("datacenter1")
                        .withAuthCredentials("token", gateway.devToken())
                        .build()) {
            port = gateway.port();
            token = gateway.devToken();
            session.execute("CREATE KEYSPACE f WITH replication = {'class': 'SingleRegionStrategy'}");
            session.execute("CREATE TABLE f.t (k int PRIMARY KEY, l list<int>, m map<text, frozen<list<int>>>)");

            for (int i = 0; i < CASES; i++) {
                int kind = random.nextInt(9);
                String name = "case " + i + " kind " + kind;
                switch (kind) {
                    case 0 -> beforeLogin(name, notObsolete(randomBytes(random, 9 + random.nextInt(64))), true);
                    case 1 -> beforeLogin(name, RawFrames.header(badVersion(random), 0, random.nextInt(100),
                            RawFrames.OPTIONS, 0), false);
                    case 2 -> beforeLogin(name, RawFrames.header(RawFrames.V4, 0, 1, random.nextInt(256),
                            16 * 1024 + 1 + random.nextInt(Integer.MAX_VALUE - 16 * 1024)), false);
                    case 3 -> beforeLogin(name, RawFrames.frame(RawFrames.V4, 0, 1, responseOrUnknownOpcode(random),
                            randomBytes(random, random.nextInt(32))), false);
                    case 4 -> afterLogin(name, RawFrames.frame(RawFrames.V4, 0, 7, requestOpcode(random),
                            randomBytes(random, random.nextInt(256))));
                    case 5 -> afterLogin(name, mutate(random, RawFrames.query(7,
                            "SELECT k, l FROM f.t WHERE k = " + random.nextInt(10))));
                    case 6 -> afterLogin(name, queryWithValues(7, "INSERT INTO f.t (k, l) VALUES (?, ?)",
                            intValue(1), hugeCollection(random)));
                    case 7 -> afterLogin(name, RawFrames.query(7, deepNesting(random)));
                    default -> truncated(name, random);
                }
            }
            System.out.println("frame fuzz answers: " + answers);
            assertThat(failures).as("bad frames answered wrongly").isEmpty();
            // still serving, and nothing fatal in the log
            session.execute("INSERT INTO f.t (k, l) VALUES (1, [1, 2])");
            assertThat(session.execute("SELECT l FROM f.t WHERE k = 1").one().getList(0, Integer.class))
                    .containsExactly(1, 2);
            String log = Files.readString(gateway.logFile());
            assertThat(log).doesNotContain("OutOfMemoryError").doesNotContain("StackOverflowError");
        }
    }

    /** A complete bad frame before login: PROTOCOL_ERROR, or (random bytes) silence while more is awaited. */
    private void beforeLogin(String name, byte[] bytes, boolean mayBeIncomplete) throws IOException {
        try (Socket s = RawFrames.connect("127.0.0.1", port)) {
            s.setSoTimeout(mayBeIncomplete ? 300 : 5_000);
            s.getOutputStream().write(bytes);
            RawFrames.Response r;
            try {
                r = RawFrames.read(s.getInputStream());
            } catch (java.net.SocketTimeoutException waiting) {
                if (!mayBeIncomplete) {
                    failures.add(name + ": no answer");
                }
                return;
            } catch (IOException closed) {
                return; // closed after an answer for an obsolete version, which this reader cannot parse
            }
            check(name, r, true);
        }
    }

    /** A frame on a logged-in connection: any answer but SERVER_ERROR. */
    private void afterLogin(String name, byte[] frame) throws IOException {
        try (Socket s = RawFrames.connect("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(RawFrames.startup(null));
            RawFrames.read(s.getInputStream());
            out.write(RawFrames.authResponse(1, "token", token));
            RawFrames.Response ok = RawFrames.read(s.getInputStream());
            if (ok.opcode() != RawFrames.AUTH_SUCCESS) {
                failures.add(name + ": login failed: " + ok);
                return;
            }
            out.write(frame);
            RawFrames.Response r;
            try {
                r = RawFrames.read(s.getInputStream());
            } catch (java.net.SocketTimeoutException e) {
                // a mutated length may announce more bytes than were sent: the server rightly waits
                if (ByteBuffer.wrap(frame).getInt(5) == frame.length - 9) {
                    failures.add(name + ": no answer");
                }
                return;
            }
            check(name, r, false);
        }
    }

    /** Half a frame, then the client leaves: nothing to answer, and nothing may break. */
    private void truncated(String name, Random random) throws IOException {
        try (Socket s = RawFrames.connect("127.0.0.1", port)) {
            byte[] whole = RawFrames.query(3, "SELECT * FROM f.t");
            s.getOutputStream().write(whole, 0, 1 + random.nextInt(whole.length - 1));
        }
    }

    private void check(String name, RawFrames.Response r, boolean mustBeError) {
        String kind = name.substring(name.indexOf("kind"));
        answers.merge(kind + " " + (r == null ? "closed" : r.opcode() == RawFrames.ERROR
                ? "ERROR 0x" + Integer.toHexString(r.errorCode()) : "opcode 0x" + Integer.toHexString(r.opcode())), 1,
                Integer::sum);
        if (r == null) {
            return; // closed without an answer: allowed only for obsolete versions, which beforeLogin filters
        }
        if (r.opcode() == RawFrames.ERROR && r.errorCode() == RawFrames.SERVER_ERROR) {
            failures.add(name + ": SERVER_ERROR " + r.errorMessage());
        } else if (mustBeError && r.opcode() != RawFrames.ERROR) {
            failures.add(name + ": expected an error, got " + r);
        }
    }

    /** Versions 1 and 2 are answered in their own 8-byte framing, which other tests cover. */
    private static byte[] notObsolete(byte[] frame) {
        int version = frame[0] & 0x7F;
        if (version == 1 || version == 2) {
            frame[0] = (byte) ((frame[0] & 0x80) | 0x04);
        }
        return frame;
    }

    private static int badVersion(Random random) {
        int[] versions = {0, 6, 7, 0x42, 0x7F, 0x83, 0x84, 0xFF};
        return versions[random.nextInt(versions.length)];
    }

    private static int requestOpcode(Random random) {
        int[] opcodes = {0x07, 0x09, 0x0A, 0x0B, 0x0D};
        return opcodes[random.nextInt(opcodes.length)];
    }

    private static int responseOrUnknownOpcode(Random random) {
        int[] opcodes = {0x00, 0x02, 0x03, 0x04, 0x06, 0x08, 0x0C, 0x0E, 0x10, 0x11, 0x12, 0x7F, 0xFF};
        return opcodes[random.nextInt(opcodes.length)];
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** A valid frame with a few body bytes changed (the header's length stays true). */
    private static byte[] mutate(Random random, byte[] frame) {
        byte[] out = frame.clone();
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
            out[9 + random.nextInt(out.length - 9)] = (byte) random.nextInt(256);
        }
        return out;
    }

    private static byte[] intValue(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    /** A list<int> value that claims up to 2^31-1 elements and carries a few. */
    private static byte[] hugeCollection(Random random) {
        int claimed = random.nextBoolean() ? Integer.MAX_VALUE : 1 + random.nextInt(Integer.MAX_VALUE);
        return ByteBuffer.allocate(4 + 8).putInt(claimed).putInt(4).putInt(1).array();
    }

    private static String deepNesting(Random random) {
        int depth = 1_000 + random.nextInt(20_000);
        return switch (random.nextInt(3)) {
            case 0 -> "SELECT * FROM f.t WHERE k = " + "(".repeat(depth) + "1" + ")".repeat(depth);
            case 1 -> "INSERT INTO f.t (k, l) VALUES (2, " + "[".repeat(depth) + "1" + "]".repeat(depth) + ")";
            default -> "SELECT " + "abs(".repeat(depth) + "k" + ")".repeat(depth) + " FROM f.t";
        };
    }

    /** A QUERY with positional values (flag 0x01), consistency ONE. */
    private static byte[] queryWithValues(int stream, String cql, byte[]... values) {
        byte[] text = cql.getBytes(StandardCharsets.UTF_8);
        int size = 4 + text.length + 2 + 1 + 2;
        for (byte[] v : values) {
            size += 4 + v.length;
        }
        ByteBuffer body = ByteBuffer.allocate(size);
        body.putInt(text.length).put(text).putShort((short) 0x0001).put((byte) 0x01).putShort((short) values.length);
        for (byte[] v : values) {
            body.putInt(v.length).put(v);
        }
        return RawFrames.frame(RawFrames.V4, 0, stream, RawFrames.QUERY, body.array());
    }
}
