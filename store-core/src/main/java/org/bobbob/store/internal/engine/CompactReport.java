package org.bobbob.store.internal.engine;

/**
 * What {@link Engines#compact} did to a store file. Public for the tool.
 *
 * @param bytesBefore  the file's length before
 * @param bytesAfter   the file's length after
 * @param freeBytesLeft free bytes still in the file (holes between objects; free slots of blocks that
 *                     hold live objects)
 * @param holesLeft    holes still in the file
 * @param objects      live objects (unchanged, with their ids)
 */
public record CompactReport(long bytesBefore, long bytesAfter, long freeBytesLeft, long holesLeft, long objects) {}
