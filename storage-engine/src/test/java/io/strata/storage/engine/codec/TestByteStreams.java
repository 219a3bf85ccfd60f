package io.strata.storage.engine.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class TestByteStreams {
    @Test
    void aSinkGrowsFromNothingAndResetKeepsWriting() throws IOException {
        ByteSink sink = new ByteSink(0);
        DataOutputStream out = new DataOutputStream(sink);
        for (int i = 0; i < 10_000; i++) {
            out.writeInt(i);
        }
        out.write(new byte[70_000], 1, 69_999);
        out.flush();
        assertEquals(40_000 + 69_999, sink.size());
        DataInputStream in = new DataInputStream(new ByteSource(sink.toByteArray()));
        for (int i = 0; i < 10_000; i++) {
            assertEquals(i, in.readInt());
        }
        sink.reset();
        out.writeUTF("again");
        out.flush();
        assertEquals("again", new DataInputStream(new ByteSource(sink.toByteArray())).readUTF());
        assertThrows(IndexOutOfBoundsException.class, () -> sink.write(new byte[4], 2, 3));
    }

    @Test
    void aSourceReadsOnlyItsRange() throws IOException {
        byte[] all = {9, 1, 2, 3, 4, 9};
        ByteSource source = new ByteSource(all, 1, 4);
        assertEquals(4, source.available());
        assertEquals(1, source.read());
        assertEquals(1, source.skip(1));
        byte[] rest = new byte[8];
        assertEquals(2, source.read(rest, 0, 8));
        assertArrayEquals(new byte[] {3, 4}, java.util.Arrays.copyOf(rest, 2));
        assertEquals(-1, source.read());
        assertEquals(-1, source.read(rest, 0, 1));
        assertEquals(0, source.read(rest, 0, 0));
        assertEquals(0, source.skip(5));
        assertThrows(EOFException.class, () -> new DataInputStream(new ByteSource(all, 5, 1)).readInt());
        assertThrows(IndexOutOfBoundsException.class, () -> new ByteSource(all, 4, 3));
    }
}
