package org.bobbob.store;

/**
 * Where an object lives: its first byte's file offset, its logical size (what reads return) and
 * the bytes the allocator set aside for it ({@code allocatedSize >= size}).
 */
public record ObjectInfo(long offset, int size, int allocatedSize) {}
