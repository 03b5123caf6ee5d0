package org.bobbob.cdi.it;

import jakarta.ejb.Stateless;
import java.io.IOException;

/** A stateless session bean with {@code @Inject Storer}: pooled instances, container-managed transactions. */
@Stateless
public class StatelessBlobs extends WorkloadBean {
    public byte[] read(long id) throws IOException {
        return storer.readBytesFromObj(id);
    }

    /** Writes {@code n} blobs in the method's (container-managed) transaction, then fails: it rolls back. */
    public void writeThenThrow(int n, java.util.List<Long> ids) throws IOException {
        for (int i = 0; i < n; i++) {
            ids.add(storer.writeNewObjFromBytes(new byte[] {(byte) i}));
        }
        throw new IllegalStateException("after " + n + " writes");
    }
}
