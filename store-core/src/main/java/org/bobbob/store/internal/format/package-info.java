/**
 * The bytes of a store file, not part of the API: the two header slots ({@code HeaderSlot}) and
 * the metadata record's framing and encoding ({@code MetaRecord}, {@code MetaReader},
 * {@code MetaWriter}). docs/FORMAT.md describes the same bytes.
 */
package org.bobbob.store.internal.format;
