package org.bobbob.store.support;

import org.bobbob.store.Storer;

/**
 * For bobbob's providers: a store whose {@link Storer#writeNewObjFromBytes} is one self-contained
 * step. It picks the new object's id and stores its bytes without any lock of the caller's, is
 * safe concurrently with every other call of the store, and leaves no object behind when it fails.
 *
 * <p>The {@link org.bobbob.store.ConcurrentStore} around such a store then calls it directly (inside
 * its close gate, with a disk token), as it calls the file engine's own one-step write, instead of
 * allocating under its global allocation lock and writing through a handle: for a store whose
 * allocation is a request to a server (the s3 store's conditional PUT), that would be a second
 * request per new object, and every thread's creates one at a time behind that lock.
 *
 * <p>The wrapper finds this on the store it wraps itself ({@code instanceof}), never through
 * {@code unwrap}, and does not pass it on: its own gate and tokens would be skipped.
 */
public interface SelfGuardedCreates extends Storer {}
