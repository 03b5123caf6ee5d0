/**
 * Where objects go, not part of the API: {@code FileSpace} (free space of the file, good-fit),
 * {@code ExtentAllocator} (objects at their exact size; the basic store), {@code BlockAllocator}
 * with {@code SizeClasses} (slots in blocks; the multi store's small objects),
 * {@code MultiAllocator} (both together), and {@code RecordIndex}, the index over the allocator
 * parts of a metadata record that lets a store answer look-ups before it builds its state. Each
 * allocator explains its algorithm at the top of its class.
 */
package org.bobbob.store.internal.alloc;
