/**
 * The one I/O seam, not part of the API: every byte the engine reads or writes goes through a
 * {@code StoreFile} ({@code ChannelStoreFile} over a {@code FileChannel}, {@code CombiningStoreFile}
 * gathering small writes, {@code MappedReads} for reads from a memory map). Crash and fault tests
 * put their own {@code StoreFile} here.
 */
package org.bobbob.store.internal.io;
