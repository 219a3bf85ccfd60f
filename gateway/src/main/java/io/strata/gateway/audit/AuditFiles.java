package io.strata.gateway.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    /**
     * The last newline-terminated line of {@code file} (without the newline), or null if there is none. Reads the
     * file's tail only (growing the window until a whole line is in it), not the whole file.
     */
    static String lastCompleteLine(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            for (long window = 8192; ; window *= 2) {
                long from = Math.max(0, size - window);
                ByteBuffer buffer = ByteBuffer.allocate((int) (size - from));
                while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) >= 0) {
                    // read to the end of the window
                }
                String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
                int end = text.lastIndexOf('\n');
                int start = end < 0 ? -1 : text.lastIndexOf('\n', end - 1);
                if (start >= 0 || (from == 0 && end >= 0)) {
                    return text.substring(start + 1, end);
                }
                if (from == 0) {
                    return null;
                }
            }
        }
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
