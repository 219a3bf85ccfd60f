package io.strata.storage.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestChannelIO {
    @TempDir
    Path dir;

    @Test
    void writesAndReadsMoreThanOneSliceWhole() throws IOException {
        byte[] content = new byte[3 * ChannelIO.SLICE + 17];
        new Random(7).nextBytes(content);
        Path file = dir.resolve("f");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            ChannelIO.writeFully(ch, content);
            ByteBuffer tail = ByteBuffer.wrap(content, 5, ChannelIO.SLICE + 2);
            ChannelIO.writeFully(ch, tail);
            assertThat(tail.remaining()).isZero();
            assertThat(tail.limit()).as("the buffer's limit is restored").isEqualTo(5 + ChannelIO.SLICE + 2);
        }
        byte[] all = Files.readAllBytes(file);
        assertThat(all).hasSize(3 + content.length + ChannelIO.SLICE + 2);
        assertThat(ChannelIO.readAll(file)).isEqualTo(all);
        assertThat(java.util.Arrays.copyOfRange(all, 3, 3 + content.length)).isEqualTo(content);

        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(2 * ChannelIO.SLICE + 5);
            assertThat(ChannelIO.readFully(ch, b, 3)).isEqualTo(b.capacity());
            assertThat(b.array()).isEqualTo(java.util.Arrays.copyOfRange(content, 0, b.capacity()));
            assertThat(ch.position()).as("positional reads leave the channel's position").isZero();

            ByteBuffer past = ByteBuffer.allocate(ChannelIO.SLICE * 2);
            past.position(10);
            int n = ChannelIO.readFully(ch, past, all.length - 100);
            assertThat(n).as("stops at the end of the file").isEqualTo(100);
            assertThat(past.limit()).isEqualTo(past.capacity());
            assertThat(java.util.Arrays.copyOfRange(past.array(), 10, 110))
                    .isEqualTo(java.util.Arrays.copyOfRange(all, all.length - 100, all.length));
        }
        assertThat(ChannelIO.readAll(Files.createFile(dir.resolve("empty")))).isEmpty();
    }
}
