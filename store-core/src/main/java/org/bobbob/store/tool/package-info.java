/**
 * The command-line tool, {@code java -jar store-core.jar <verb>}: {@link org.bobbob.store.tool.StoreTool}
 * (verbs info, verify, compact, backup, export, import; exit status 0 ok, 1 problems or a store
 * error, 2 bad usage). One class per verb; {@code ExportWriter} and {@code ExportReader} hold the
 * export stream's format.
 */
package org.bobbob.store.tool;
