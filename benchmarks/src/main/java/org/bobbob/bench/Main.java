package org.bobbob.bench;

import java.util.Arrays;

/**
 * Entry point of {@code mvn -pl benchmarks exec:exec -Dbench.args="..."}.
 * <ul>
 *   <li>{@code compare [options]}: bobbob against its peers, each store in its own JVM ({@link Compare});
 *   <li>{@code child ...}: one store, one run (started by {@code compare}; {@link Child});
 *   <li>{@code s3 [options]}: the s3 store against the bare AWS SDK on an in-process S3 server ({@link S3Bench});
 *   <li>anything else ({@code all|write|reopen|churn|refill|holes|commit|operate [dir]}): the store-only {@link CoreBench}.
 * </ul>
 * Maven passes {@code bench.args} as one argument; it is split at blanks here.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        String[] a = args;
        if (a.length == 1) {
            a = a[0].isBlank() ? new String[0] : a[0].trim().split("\\s+");
        }
        String cmd = a.length == 0 ? "compare" : a[0];
        String[] rest = a.length == 0 ? a : Arrays.copyOfRange(a, 1, a.length);
        switch (cmd) {
            case "compare" -> System.exit(Compare.run(rest));
            case "child" -> System.exit(Child.run(rest));
            case "s3" -> System.exit(S3Bench.run(rest));
            case "help", "-h", "--help" -> System.out.println(Compare.USAGE);
            default -> CoreBench.main(a);
        }
    }
}
