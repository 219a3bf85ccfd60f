package io.strata.gateway.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Names and order of the log's files: {@code audit.log.000001}, {@code audit.log.000002}, ..., then {@code audit.log}. */
final class AuditFiles {
    private static final Pattern ROTATED = Pattern.compile(Pattern.quote(AuditLog.FILE_NAME) + "\\.(\\d+)");
    private static final Pattern SEQ = Pattern.compile("^\\{\"seq\":(\\d+),");

    private AuditFiles() {
    }

    static String rotatedName(long number) {
        return AuditLog.FILE_NAME + "." + String.format("%06d", number);
    }

    /** The number of a rotated file, or -1 for any other name. */
    static long rotatedNumber(Path file) {
        Matcher m = ROTATED.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    static long lastRotatedNumber(Path dir) throws IOException {
        long max = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                max = Math.max(max, rotatedNumber(p));
            }
        }
        return max;
    }

    /** Every file of the log, oldest first: rotated ones by number, then the current one if it exists. */
    static List<Path> inOrder(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> rotatedNumber(p) >= 0).forEach(files::add);
        }
        files.sort(Comparator.comparingLong(AuditFiles::rotatedNumber));
        Path current = dir.resolve(AuditLog.FILE_NAME);
        if (Files.exists(current)) {
            files.add(current);
        }
        return files;
    }

    /** The last newline-terminated line of {@code file} (without the newline), or null if there is none. */
    static String lastCompleteLine(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return null;
        }
        int start = text.lastIndexOf('\n', end - 1) + 1;
        return text.substring(start, end);
    }

    /** The {@code seq} a line of this log starts with. */
    static long seqOf(String line) {
        Matcher m = SEQ.matcher(line);
        if (!m.find()) {
            throw new IllegalStateException("not an audit line (no leading seq): " + abbreviate(line));
        }
        return Long.parseLong(m.group(1));
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
