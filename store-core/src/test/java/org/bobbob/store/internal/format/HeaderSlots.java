package org.bobbob.store.internal.format;

import java.nio.ByteBuffer;

/** The header slots of a store file's first bytes, as tests read them. */
public final class HeaderSlots {
    private HeaderSlots() {}

    /** The valid header slot with the highest sequence in {@code head} (a file's first bytes), or null. */
    public static HeaderSlot newest(byte[] head) {
        HeaderSlot newest = null;
        for (int slot = 0; slot < 2; slot++) {
            HeaderSlot h = HeaderSlot.decode(ByteBuffer.wrap(head, slot * HeaderSlot.SLOT_SIZE, HeaderSlot.SLOT_SIZE)
                            .slice())
                    .slot();
            if (h != null && (newest == null || h.sequence() > newest.sequence())) {
                newest = h;
            }
        }
        return newest;
    }
}
