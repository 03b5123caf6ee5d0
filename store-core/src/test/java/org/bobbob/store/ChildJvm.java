package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM for the crash tests: runs a worker class on this test's class path, reads the lines
 * it prints, and kills it ({@code SIGKILL}) right after the line for which {@code killAfter} says
 * so. Whatever the child flushed before it died is read too. A child that runs longer than its
 * time limit is killed, so a hang ends the read.
 */
final class ChildJvm {
    private ChildJvm() {}

    /** What {@link #run} returns: the lines the child printed, and its exit value. */
    record Result(List<String> lines, int exitValue) {}

    /**
     * Runs {@code main} with {@code args} ({@code heap} as -Xmx, its stderr to {@code stderr}, or
     * inherited when null) and reads its lines; kills it after the first line {@code killAfter}
     * accepts (null: never), or after {@code limitSeconds}.
     */
    static Result run(
            Class<?> main, List<String> args, String heap, Path stderr, Predicate<String> killAfter, int limitSeconds)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(
                java,
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-Xmx" + heap,
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        if (stderr != null) {
            pb.redirectError(stderr.toFile());
        } else {
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        Process child = pb.start();
        CompletableFuture.delayedExecutor(limitSeconds, TimeUnit.SECONDS)
                .execute(() -> child.toHandle().destroyForcibly());
        List<String> lines = new ArrayList<>();
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
                if (killAfter != null && killAfter.test(line)) {
                    // SIGKILL through the handle: Process.destroyForcibly would also close our end of the pipe.
                    child.toHandle().destroyForcibly();
                    break;
                }
            }
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        return new Result(lines, child.exitValue());
    }

    /**
     * Runs a crash worker with {@code args} (128 MB of heap, 600 s at most) whose lines end with
     * {@code " " + mark} at each durability point (a sync, a commit), and kills it once it has
     * printed {@code marks} of them and then {@code extraLines} more lines; returns every line it
     * printed.
     *
     * @throws AssertionError if the child died before its first mark
     */
    static List<String> killAfterMarks(Class<?> worker, String mark, int marks, int extraLines, Object... args)
            throws IOException, InterruptedException {
        String suffix = " " + mark;
        int[] seen = new int[2]; // marks, lines after the last one wanted
        List<String> lines = run(
                        worker,
                        Arrays.stream(args).map(String::valueOf).toList(),
                        "128m",
                        null,
                        line -> {
                            if (line.endsWith(suffix)) {
                                seen[0]++;
                            }
                            return seen[0] >= marks && seen[1]++ >= extraLines;
                        },
                        600)
                .lines();
        assertTrue(
                lines.stream().anyMatch(l -> l.endsWith(suffix)),
                "the child died before its first " + mark + ": " + lines);
        return lines;
    }
}
