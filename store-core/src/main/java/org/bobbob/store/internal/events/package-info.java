/**
 * The store's JDK Flight Recorder events (category "bobbob"): opening a store, each commit, a
 * transaction's wait for an object another one holds, and the recovery of an open that finds
 * transactions under way. Each costs nothing unless a recording enables it; the engine creates
 * one only on the path it describes (a commit, an open, a wait that happens), never per read or
 * write. Internal: the engine is their only producer; their names and fields are documented in
 * README, "Watching a store".
 */
package org.bobbob.store.internal.events;
