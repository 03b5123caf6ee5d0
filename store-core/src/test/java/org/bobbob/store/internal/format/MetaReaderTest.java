package org.bobbob.store.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bobbob.store.internal.io.ChannelStoreFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MetaReader} reads the same values, and refuses the same out-of-bounds reads, whether an
 * array or a map (a direct buffer) backs it; {@link MetaRecord#read} checks a record whose file
 * reads through maps as it checks one read into the heap.
 */
class MetaReaderTest {
    @TempDir
    Path dir;

    /** One value written, how, and where it starts in the payload. */
    private record Value(int kind, long value, int at) {}

    private static List<Value> writeRandom(MetaWriter w, SplittableRandom r, int count) {
        List<Value> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int kind = r.nextInt(6);
            int at = w.length();
            long v;
            switch (kind) {
                case 0 -> w.putVarLong(v = r.nextLong(Long.MAX_VALUE) >>> r.nextInt(63));
                case 1 -> w.putByte((int) (v = r.nextInt(256)));
                case 2 -> w.putShort((int) (v = r.nextInt(1 << 16)));
                case 3 -> w.putMedium((int) (v = r.nextInt(1 << 24)));
                case 4 -> w.putInt((int) (v = r.nextInt()));
                default -> w.putLong(v = r.nextLong());
            }
            values.add(new Value(kind, v, at));
        }
        return values;
    }

    private static long next(MetaReader in, int kind) {
        return switch (kind) {
            case 0 -> in.getVarLong();
            case 1 -> in.getByte();
            case 2 -> in.getShort();
            case 3 -> in.getMedium();
            case 4 -> in.getInt();
            default -> in.getLong();
        };
    }

    private static long at(MetaReader in, Value v) {
        return switch (v.kind()) {
            case 2 -> in.shortAt(v.at());
            case 3 -> in.mediumAt(v.at());
            case 4 -> in.intAt(v.at());
            case 5 -> in.longAt(v.at());
            default -> next(in.at(v.at()), v.kind()); // no absolute read of a varint or a byte
        };
    }

    /** A framed {@code record}'s payload, as an array and as a direct buffer at offset 3 of a larger one. */
    private static MetaReader[] readers(ByteBuffer record) {
        byte[] bytes = new byte[record.remaining()];
        record.duplicate().get(bytes);
        int payload = bytes.length - MetaRecord.FRAMING;
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length + 7);
        direct.put(3, bytes);
        return new MetaReader[] {
            new MetaReader(bytes, 8, 8 + payload),
            new MetaReader(new MetaReader.Mapping(direct), 3 + 8, 3 + 8 + payload)
        };
    }

    @Test
    void anArrayAndAMapReadTheSameValues() {
        SplittableRandom r = new SplittableRandom(11);
        for (int round = 0; round < 50; round++) {
            MetaWriter w = new MetaWriter();
            List<Value> values = writeRandom(w, r, 1 + r.nextInt(400));
            for (MetaReader in : readers(w.toRecord())) {
                for (Value v : values) {
                    assertEquals(v.at(), in.position());
                    assertEquals(v.value(), next(in, v.kind()), "value at " + v.at());
                }
                assertEquals(0, in.remaining());
                for (Value v : values) {
                    assertEquals(v.value(), at(in, v), "absolute read at " + v.at());
                }
                Value mid = values.get(values.size() / 2);
                MetaReader copy = in.at(mid.at()).onHeap();
                assertEquals(mid.at(), copy.position(), "a copy starts where its reader was");
                assertEquals(mid.value(), next(copy, mid.kind()));
                assertEquals(in.payloadLength(), copy.payloadLength());
                ByteBuffer run = in.at(values.get(0).at()).bytes(in.payloadLength());
                assertTrue(run.isReadOnly());
                assertEquals(in.payloadLength(), run.remaining());
            }
        }
    }

    @Test
    void readsPastThePayloadFailOnBothBackings() {
        MetaWriter w = new MetaWriter().putInt(7).putByte(0x80).putByte(0x80); // a varint cut short
        for (MetaReader in : readers(w.toRecord())) {
            int n = in.payloadLength();
            assertEquals(6, n);
            assertThrows(MetadataException.class, () -> in.at(n + 1));
            assertThrows(MetadataException.class, () -> in.at(-1));
            assertThrows(MetadataException.class, () -> in.intAt(n - 3));
            assertThrows(MetadataException.class, () -> in.longAt(0));
            assertThrows(MetadataException.class, () -> in.shortAt(n - 1));
            assertThrows(MetadataException.class, () -> in.mediumAt(-1));
            assertThrows(MetadataException.class, () -> in.at(4).getVarLong(), "a varint that runs off the end");
            assertThrows(MetadataException.class, () -> in.at(4).getInt());
            assertThrows(MetadataException.class, () -> in.at(2).getLong());
            assertThrows(MetadataException.class, () -> in.at(5).getShort());
            assertThrows(MetadataException.class, () -> in.at(4).bytes(3));
            assertThrows(MetadataException.class, () -> in.at(n).getByte());
        }
    }

    /**
     * A record whose file reads through maps holds what was written, whether it takes one piece
     * of the check's reads or several: its payload, its head (the first piece) and its footer
     * read the same values at the same positions. A byte changed anywhere in it, the checksum's
     * own bytes among them, fails its checksum as it does in the heap; a changed magic or length
     * says so.
     */
    @Test
    void aRecordWhoseFileReadsThroughMapsIsCheckedAsOneReadIntoTheHeap() throws IOException {
        SplittableRandom r = new SplittableRandom(5);
        for (int count : new int[] {5_000, 60_000}) {
            MetaWriter w = new MetaWriter();
            List<Value> values = writeRandom(w, r, count);
            ByteBuffer record = w.toRecord();
            int length = record.remaining();
            long offset = 12_288;
            try (ChannelStoreFile file = ChannelStoreFile.open(dir.resolve("r" + count), true)) {
                file.writeFully(record.duplicate(), offset);
                MetaRecord.Read read = MetaRecord.read(file, offset, length);
                MetaReader in = read.payload();
                for (Value v : values) {
                    assertEquals(v.value(), next(in, v.kind()));
                }
                int payload = length - MetaRecord.FRAMING;
                assertEquals(
                        file.readsThroughMaps() && payload + 8 > MetaRecord.HEAD_BYTES,
                        read.headIsPartial(),
                        count + " values");
                MetaReader head = read.head();
                for (Value v : values) {
                    if (v.at() + 9 > head.payloadLength() && read.headIsPartial()) {
                        break; // past the head
                    }
                    assertEquals(v.value(), next(head, v.kind()), "head at " + v.at());
                }
                MetaReader footer = read.footer();
                assertEquals(MetaRecord.FOOTER_BYTES, footer.payloadLength());
                assertEquals(in.longAt(payload - 32), footer.longAt(0));
                assertEquals(in.intAt(payload - 4), footer.intAt(28));
                for (int at : new int[] {100, payload / 2, length - 20, length - 2}) {
                    byte was = record.get(at);
                    file.writeFully(ByteBuffer.wrap(new byte[] {(byte) ~was}), offset + at);
                    MetadataException e = assertThrows(
                            MetadataException.class, () -> MetaRecord.read(file, offset, length), "at " + at);
                    assertTrue(e.getMessage().contains("fails its checksum"), e.getMessage());
                    file.writeFully(ByteBuffer.wrap(new byte[] {was}), offset + at);
                }
                file.writeFully(ByteBuffer.wrap(new byte[] {(byte) ~record.get(0)}), offset);
                assertTrue(assertThrows(MetadataException.class, () -> MetaRecord.read(file, offset, length))
                        .getMessage()
                        .contains("bad magic"));
                file.writeFully(ByteBuffer.wrap(new byte[] {record.get(0)}), offset);
                assertTrue(assertThrows(MetadataException.class, () -> MetaRecord.read(file, offset, length - 1))
                        .getMessage()
                        .contains("payload bytes"));
                assertTrue(
                        assertThrows(MetadataException.class, () -> MetaRecord.read(file, offset + 1_000_000, length))
                                .getMessage()
                                .contains("runs past the end"));
                file.unmap();
            }
        }
    }
}
