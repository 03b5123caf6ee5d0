package org.bobbob.store.internal.io;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;

/**
 * Unmaps a {@link MappedByteBuffer}, or releases a direct buffer's memory, now, rather than when
 * the garbage collector finds it: through
 * {@code sun.misc.Unsafe.invokeCleaner} (module {@code jdk.unsupported}, in every JDK since 9), the
 * one way a JDK 17 program can release a channel's map. Found reflectively, so that the build has
 * no compile-time use of an internal API; where it is missing, {@link #unmap} does nothing and the
 * garbage collector releases the map as before.
 */
final class Unmapper {
    private static final MethodHandle INVOKE_CLEANER = find();

    private Unmapper() {}

    private static MethodHandle find() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            MethodHandle cleaner = MethodHandles.lookup()
                    .findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class));
            return cleaner.bindTo(theUnsafe.get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Unmaps {@code segment}; nobody may touch it afterwards. */
    static void unmap(MappedByteBuffer segment) {
        free(segment);
    }

    /**
     * Releases the native memory of {@code buffer}, a direct buffer from
     * {@link ByteBuffer#allocateDirect} or a map (not a slice or duplicate of one); nobody may touch
     * it, nor any slice of it, afterwards.
     */
    static void free(ByteBuffer buffer) {
        if (INVOKE_CLEANER == null) {
            return;
        }
        try {
            INVOKE_CLEANER.invokeExact(buffer);
        } catch (Throwable e) { // invokeExact declares Throwable; invokeCleaner throws nothing for these
            throw new IllegalStateException("releasing " + buffer + " failed", e);
        }
    }
}
