package org.bobbob.cdi.it;

import jakarta.ejb.Stateless;
import java.io.IOException;

/** A stateless session bean with {@code @Inject Storer}: pooled instances, container-managed transactions. */
@Stateless
public class StatelessBlobs extends WorkloadBean {
    public byte[] read(long id) throws IOException {
        return storer.readBytesFromObj(id);
    }
}
