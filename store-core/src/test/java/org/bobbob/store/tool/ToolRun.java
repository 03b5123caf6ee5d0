package org.bobbob.store.tool;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Test helper: one run of the tool with its own standard streams.
 *
 * @param status   the exit status
 * @param outBytes what it wrote to standard output
 * @param err      what it wrote to standard error
 */
record ToolRun(int status, byte[] outBytes, String err) {

    /** Runs {@code args} with an empty standard input. */
    static ToolRun of(String... args) {
        return withInput(new byte[0], args);
    }

    /** Runs {@code args} with {@code stdin} as standard input. */
    static ToolRun withInput(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = StoreTool.run(
                args,
                new Io(
                        new ByteArrayInputStream(stdin),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        false));
        return new ToolRun(status, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    String out() {
        return new String(outBytes, StandardCharsets.UTF_8);
    }

    /** Standard output parsed as one JSON object. */
    Map<String, Object> json() {
        return JsonParser.object(out());
    }

    /** Both streams, for assertion messages. */
    @Override
    public String toString() {
        return "status " + status + "\n--- out:\n" + out() + "\n--- err:\n" + err;
    }
}
