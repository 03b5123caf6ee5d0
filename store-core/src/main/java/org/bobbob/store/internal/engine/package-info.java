/**
 * The engine, not part of the API. {@code FileStore} is one store file (its class comment is the
 * map of the parts: {@code RecordLoader}, {@code AllocatorState}, {@code CommitProtocol},
 * {@code FileHandles}, chosen allocators through {@code AllocatorFactory});
 * {@code LockingStore} is the {@link org.bobbob.store.ConcurrentStore} over any store, with
 * {@code ObjectLocks}, {@code DiskTokens} and {@code CloseGate}. {@code Engines} is the only entry
 * point the public factories use.
 */
package org.bobbob.store.internal.engine;
