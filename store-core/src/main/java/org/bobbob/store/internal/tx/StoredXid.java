package org.bobbob.store.internal.tx;

import java.util.Arrays;
import javax.transaction.xa.Xid;

/**
 * An {@link Xid} by value: the key of a branch, equal to any Xid with the same format id, global
 * transaction id and branch qualifier, whatever its class. Immutable.
 */
public final class StoredXid implements Xid {
    private final int formatId;
    private final byte[] gtrid;
    private final byte[] bqual;

    StoredXid(int formatId, byte[] gtrid, byte[] bqual) {
        this.formatId = formatId;
        this.gtrid = gtrid.clone();
        this.bqual = bqual.clone();
    }

    /** A copy of {@code xid}; null for null. */
    static StoredXid of(Xid xid) {
        if (xid == null) {
            return null;
        }
        return xid instanceof StoredXid s
                ? s
                : new StoredXid(xid.getFormatId(), xid.getGlobalTransactionId(), xid.getBranchQualifier());
    }

    /** Whether {@code xid}'s parts are within the XA limits (64 bytes each, format id not -1). */
    static boolean valid(Xid xid) {
        return xid != null
                && xid.getFormatId() != -1
                && xid.getGlobalTransactionId() != null
                && xid.getGlobalTransactionId().length <= Xid.MAXGTRIDSIZE
                && xid.getBranchQualifier() != null
                && xid.getBranchQualifier().length <= Xid.MAXBQUALSIZE;
    }

    @Override
    public int getFormatId() {
        return formatId;
    }

    @Override
    public byte[] getGlobalTransactionId() {
        return gtrid.clone();
    }

    @Override
    public byte[] getBranchQualifier() {
        return bqual.clone();
    }

    byte[] gtrid() {
        return gtrid;
    }

    byte[] bqual() {
        return bqual;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredXid x
                && x.formatId == formatId
                && Arrays.equals(x.gtrid, gtrid)
                && Arrays.equals(x.bqual, bqual);
    }

    @Override
    public int hashCode() {
        return (formatId * 31 + Arrays.hashCode(gtrid)) * 31 + Arrays.hashCode(bqual);
    }

    @Override
    public String toString() {
        return "Xid[" + formatId + ", " + hex(gtrid) + ", " + hex(bqual) + "]";
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder(b.length * 2);
        for (byte x : b) {
            s.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return s.toString();
    }
}
