package org.bobbob.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.bobbob.store.internal.format.HeaderSlot;
import org.bobbob.store.internal.format.HeaderSlots;

/** Test helper: edits a closed store's current metadata record, as a bug or a tool might. */
public final class RecordEdits {
    /** Bytes of the index footer at the end of a format-2 payload. */
    public static final int FOOTER = 32;
    /** Position of the footer's live-bytes total within the footer. */
    public static final int FOOTER_LIVE_BYTES = 8;

    private RecordEdits() {}

    /** Edits the current record's payload of the closed store in place and fixes its checksum. */
    public static void editPayload(Path file, Consumer<ByteBuffer> edit) throws IOException {
        byte[] all = Files.readAllBytes(file);
        HeaderSlot newest = HeaderSlots.newest(all);
        int at = (int) newest.recordOffset();
        int payload = newest.recordLength() - 12;
        edit.accept(ByteBuffer.wrap(all, at + 8, payload).slice().order(ByteOrder.LITTLE_ENDIAN));
        CRC32C crc = new CRC32C();
        crc.update(all, at, 8 + payload);
        ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putInt(at + 8 + payload, (int) crc.getValue());
        Files.write(file, all);
    }
}
