package io.strata.gateway.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks an audit log's chain: walks every file of the directory oldest first ({@code audit.log.000001}, ...,
 * {@code audit.log}) and every line in order, and reports the first line whose {@code seq} is not the previous
 * one's plus one, whose {@code prev} is not the SHA-256 of the previous line, which is not a JSON object, or which
 * is torn (no final newline). The first line must have {@code seq} 1 and link to 64 zeros.
 *
 * <p>Usage: {@code java -cp <gateway classpath> io.strata.gateway.audit.AuditVerify <dir>}; prints
 * {@code ok: N records, chain intact} and exits 0, or prints the broken link and exits 1 (2 on bad usage or an
 * unreadable directory).
 *
 * <p>What a chain cannot show alone: lines cut off the end at a line boundary (the tail is only as trustworthy
 * as the last {@code seq} and hash kept elsewhere); compare {@code lastSeq} with a copy shipped off the host.
 */
public final class AuditVerify {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The outcome: {@code broken} is null when the chain is intact. */
    public record Result(long records, String lastHash, Broken broken) {
        public boolean intact() {
            return broken == null;
        }

        public String describe() {
            return broken == null ? "ok: " + records + " records, chain intact"
                    : "broken: " + broken.file() + " line " + broken.line() + ": " + broken.why();
        }
    }

    /** Where the chain breaks: the file, its 1-based line, and why. */
    public record Broken(Path file, long line, String why) {
        public Broken {
            requireNonNull(file, "file is null");
            requireNonNull(why, "why is null");
        }
    }

    private AuditVerify() {
    }

    public static void main(String[] args) {
        if (args.length != 1 || args[0].startsWith("-")) {
            System.err.println("usage: AuditVerify <audit directory>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        if (!Files.isDirectory(dir)) {
            System.err.println("not a directory: " + dir);
            System.exit(2);
        }
        try {
            Result result = verify(dir);
            System.out.println(result.describe());
            System.exit(result.intact() ? 0 : 1);
        } catch (IOException e) {
            System.err.println("cannot read " + dir + ": " + e);
            System.exit(2);
        }
    }

    public static Result verify(Path dir) throws IOException {
        long expectedSeq = 1;
        String prevHash = AuditLog.GENESIS;
        List<Path> files = AuditFiles.inOrder(dir);
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (text.isEmpty()) {
                continue;
            }
            String[] lines = text.split("\n", -1);
            // the last element is what follows the final newline: empty unless the file ends in a torn line
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                long lineNo = i + 1;
                if (i == lines.length - 1) {
                    if (!line.isEmpty()) {
                        return broken(expectedSeq, prevHash, file, lineNo, "torn line (no final newline): "
                                + AuditFiles.abbreviate(line));
                    }
                    break;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException e) {
                    return broken(expectedSeq, prevHash, file, lineNo, "not JSON: " + AuditFiles.abbreviate(line));
                }
                if (node == null || !node.isObject() || !node.path("seq").isIntegralNumber()
                        || !node.path("prev").isTextual()) {
                    return broken(expectedSeq, prevHash, file, lineNo, "not an audit record (seq, prev missing)");
                }
                long seq = node.get("seq").asLong();
                if (seq != expectedSeq) {
                    return broken(expectedSeq, prevHash, file, lineNo, "seq " + seq + " where " + expectedSeq
                            + " was expected (" + (seq > expectedSeq ? "records missing" : "records repeated or reordered")
                            + ")");
                }
                String prev = node.get("prev").asText();
                if (!prev.equals(prevHash)) {
                    return broken(expectedSeq, prevHash, file, lineNo, "prev " + prev + " is not the hash of the"
                            + " previous record (" + prevHash + "): it or the previous record was changed");
                }
                expectedSeq++;
                prevHash = AuditLog.sha256(line);
            }
        }
        return new Result(expectedSeq - 1, prevHash, null);
    }

    private static Result broken(long expectedSeq, String prevHash, Path file, long line, String why) {
        return new Result(expectedSeq - 1, prevHash, new Broken(file, line, why));
    }
}
