/**
 * The one I/O seam, not part of the API: every byte the engine reads or writes goes through a
 * {@code StoreFile}. A store's file is, from the top: {@code CombiningStoreFile} gathering small
 * writes, {@code BackupTap} (an online backup's copy-on-write), {@code PreallocatingStoreFile}
 * keeping zeros ahead of the data so that commits force into blocks the file has, and
 * {@code ChannelStoreFile} over a {@code FileChannel}, with {@code MappedReads} for reads from a
 * memory map. Crash and fault tests put their own {@code StoreFile} below the top layers.
 */
package org.bobbob.store.internal.io;
