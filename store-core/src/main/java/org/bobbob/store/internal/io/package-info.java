/**
 * The one I/O seam, not part of the API: every byte the engine reads or writes goes through a
 * {@code StoreFile}. A store's file is, from the top: {@code CombiningStoreFile} gathering small
 * writes (in buffers from the JVM's {@code ChunkMemoryPool}), {@code BackupTap} (an online backup's copy-on-write), {@code PreallocatingStoreFile}
 * keeping zeros ahead of the data so that commits force into blocks the file has, and
 * {@code ChannelStoreFile} over a {@code FileChannel}, with {@code MappedReads} for reads from a
 * memory map. Bytes read once (the metadata at open, a commit's copy of its objects, a backup's
 * copy, a chunk loaded for new objects) are read with {@code readOnce}, which bypasses the map.
 * Crash and fault tests put their own {@code StoreFile} below the top layers.
 */
package org.bobbob.store.internal.io;
