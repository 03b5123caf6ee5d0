/** The command-line tool, {@code java -jar store-core.jar info <store>}: {@link org.bobbob.store.tool.StoreTool}. */
package org.bobbob.store.tool;
