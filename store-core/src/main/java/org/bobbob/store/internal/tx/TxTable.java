package org.bobbob.store.internal.tx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bobbob.store.internal.format.MetaReader;
import org.bobbob.store.internal.format.MetaWriter;
import org.bobbob.store.internal.format.MetadataException;

/**
 * The branches a metadata record names, and their section of the record (format 4, right after
 * the prime id; docs/FORMAT.md, "Transactions"):
 *
 * <pre>
 * varint count
 * count × (
 *   u8 state                        1 active, 2 prepared, 3 committing
 *   u8 hasXid                       then: u32 formatId, varint length + gtrid, varint length + bqual
 *   varint creates,  creates × varint id          (active, prepared)
 *   varint shadows,  shadows × (varint target id, varint shadow id)
 *   varint deletes,  deletes × varint id          (prepared)
 * )
 * </pre>
 *
 * An active branch that holds no object is not written. Guarded by the engine's metadata lock:
 * every method but the constructor is called under it ({@link TxEngine#change}, the record's
 * encoding, and opening, which is single-threaded). {@link #ticket()} counts changes, so a commit
 * knows which record covers it (group commit).
 */
public final class TxTable {
    private final List<Branch> branches = new ArrayList<>();
    private long ticket;

    /** Branches, oldest first. Under the metadata lock. */
    public List<Branch> branches() {
        return branches;
    }

    void add(Branch b) {
        branches.add(b);
    }

    void remove(Branch b) {
        branches.remove(b);
    }

    /** Counts a change a record must cover; returns its ticket. */
    public long nextTicket() {
        return ++ticket;
    }

    /** The ticket of the last change: a record encoded now covers every change up to it. */
    public long ticket() {
        return ticket;
    }

    /** Forgets every branch (while opening: a later journal entry's table replaces the record's). */
    public void clear() {
        branches.clear();
    }

    /** Whether no branch is recorded (nothing for a record to say). */
    public boolean isEmpty() {
        return branches.isEmpty();
    }

    /** Writes the section. */
    public void write(MetaWriter out) {
        int count = 0;
        for (Branch b : branches) {
            if (recorded(b)) {
                count++;
            }
        }
        out.putVarLong(count);
        for (Branch b : branches) {
            if (!recorded(b)) {
                continue;
            }
            out.putByte(b.state.code);
            if (b.xid == null) {
                out.putByte(0);
            } else {
                out.putByte(1).putInt(b.xid.getFormatId());
                putBytes(out, b.xid.gtrid());
                putBytes(out, b.xid.bqual());
            }
            boolean committing = b.state == Branch.State.COMMITTING;
            out.putVarLong(committing ? 0 : b.creates.size());
            if (!committing) {
                for (long id : b.creates) {
                    out.putVarLong(id);
                }
            }
            out.putVarLong(b.shadows.size());
            for (Map.Entry<Long, Long> e : b.shadows.entrySet()) {
                out.putVarLong(e.getKey()).putVarLong(e.getValue());
            }
            boolean prepared = b.state == Branch.State.PREPARED;
            out.putVarLong(prepared ? b.deletes.size() : 0);
            if (prepared) {
                for (long id : b.deletes) {
                    out.putVarLong(id);
                }
            }
        }
    }

    private static boolean recorded(Branch b) {
        return b.state != Branch.State.ACTIVE || !b.creates.isEmpty() || !b.shadows.isEmpty();
    }

    private static void putBytes(MetaWriter out, byte[] b) {
        out.putVarLong(b.length);
        for (byte x : b) {
            out.putByte(x);
        }
    }

    /**
     * Reads the section into this (empty) table.
     *
     * @throws MetadataException if it is malformed
     */
    public void read(MetaReader in) {
        int count = in.getVarInt(in.remaining(), "transaction branches");
        for (int i = 0; i < count; i++) {
            Branch.State state = Branch.State.of(in.getByte());
            if (state == null) {
                throw new MetadataException("a transaction branch has an unknown state");
            }
            StoredXid xid = null;
            int hasXid = in.getByte();
            if (hasXid == 1) {
                int formatId = in.getInt();
                xid = new StoredXid(formatId, getBytes(in, 64), getBytes(in, 64));
            } else if (hasXid != 0) {
                throw new MetadataException("a transaction branch has a bad Xid flag " + hasXid);
            }
            Branch b = new Branch(xid);
            b.state = state;
            int creates = in.getVarInt(in.remaining(), "a branch's new objects");
            for (int j = 0; j < creates; j++) {
                b.creates.add(in.getVarLong());
            }
            int shadows = in.getVarInt(in.remaining(), "a branch's shadows");
            for (int j = 0; j < shadows; j++) {
                b.shadows.put(in.getVarLong(), in.getVarLong());
            }
            int deletes = in.getVarInt(in.remaining(), "a branch's deletes");
            for (int j = 0; j < deletes; j++) {
                b.deletes.add(in.getVarLong());
            }
            branches.add(b);
        }
    }

    private static byte[] getBytes(MetaReader in, int max) {
        int n = in.getVarInt(max, "Xid part length");
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) in.getByte();
        }
        return b;
    }
}
