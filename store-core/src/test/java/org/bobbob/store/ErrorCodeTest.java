package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bobbob.store.support.Errors;
import org.junit.jupiter.api.Test;

/**
 * The one table of error codes ({@link ErrorCode}) against the docs that list it and the sources
 * that throw it. Paths are relative to the repository root, which is the parent of the module
 * directory surefire runs in.
 */
class ErrorCodeTest {
    private static final Path ROOT = Path.of("..");
    private static final Path DOCS = ROOT.resolve("docs");
    /** The modules whose main sources may only make messages through {@link ErrorCode}. */
    private static final List<String> MODULES =
            List.of("store-core", "store-s3", "store-rar", "store-cdi", "sample-app");

    private static final Path ENUM = Path.of("store-core/src/main/java/org/bobbob/store/ErrorCode.java");
    /** A table row whose first cell is a code: {@code | BOB-101 | ... |}. */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*(BOB-\\d+)\\s*\\|(.*)\\|\\s*$", Pattern.MULTILINE);
    /** A code written by hand: {@code [BOB-} anywhere, or {@code BOB-} and a digit. */
    private static final Pattern HAND_MADE = Pattern.compile("\\[BOB-|BOB-\\d");

    @Test
    void numbersAreUniqueAndIdsRoundTrip() {
        Set<Integer> seen = new HashSet<>();
        for (ErrorCode code : ErrorCode.values()) {
            assertTrue(seen.add(code.number()), "number used twice: " + code.number());
            assertEquals("BOB-" + code.number(), code.id());
            assertEquals("[" + code.id() + "] ", code.prefix());
            assertEquals(code.prefix() + "x", code.message("x"));
            assertEquals(Optional.of(code), ErrorCode.forId(code.id()));
            assertTrue(!code.summary().isBlank() && !code.fix().isBlank(), code.name());
        }
        assertEquals(Optional.empty(), ErrorCode.forId("BOB-999"));
        assertEquals(Optional.empty(), ErrorCode.forId(null));
    }

    @Test
    void factoriesPutTheCodeInTheExceptionAndAtTheStartOfTheMessage() {
        Path path = Path.of("x.bob");
        Map<ErrorCode, StoreException> made = Map.of(
                ErrorCode.OBJECT_NOT_FOUND, Errors.notFound(7),
                ErrorCode.WRITE_LIMIT_EXCEEDED, Errors.writeLimit(7, 4, 2, 3),
                ErrorCode.CLOSED, Errors.closed("store"),
                ErrorCode.LOCKED, Errors.locked(path),
                ErrorCode.FILE_MISSING, Errors.missingDirectory(path),
                ErrorCode.CORRUPTED, Errors.corrupted(path, "bad checksum"),
                ErrorCode.WRONG_KIND, Errors.wrongKind(path, "basic", "multi"),
                ErrorCode.UNSUPPORTED_CAPABILITY, Errors.unsupported(this, RunAllocator.class),
                ErrorCode.BAD_URL, Errors.badUrl("bobbob:", "no kind"));
        made.forEach((code, e) -> {
            assertEquals(code, e.code(), e.getMessage());
            assertTrue(e.getMessage().startsWith(code.prefix()), e.getMessage());
        });
        assertEquals(7, Errors.notFound(7).id());
        assertNull(new StoreException("from elsewhere").code(), "made without a code");
        assertEquals("from elsewhere", new StoreClosedException("from elsewhere").getMessage());
    }

    /** ERRORS.md is the complete table: a row per code, with the enum's summary and fix. */
    @Test
    void errorsMdHasARowForEveryCode() throws IOException {
        Map<String, List<String>> rows = rows(DOCS.resolve("ERRORS.md"));
        List<String> wrong = new ArrayList<>();
        for (ErrorCode code : ErrorCode.values()) {
            List<String> cells = rows.get(code.id());
            if (cells == null || !cells.contains(code.summary()) || !cells.contains(code.fix())) {
                wrong.add("| " + code.id() + " | (exception) | " + code.summary() + " | " + code.fix() + " |"
                        + (cells == null ? "   <- missing" : "   <- has " + cells));
            }
        }
        assertTrue(
                wrong.isEmpty(),
                "docs/ERRORS.md lacks or differs from these rows of ErrorCode" + " (backticks aside):\n"
                        + String.join("\n", wrong));
    }

    /**
     * Every code a doc table lists is an entry, and a cell of its row starts with the entry's
     * summary (RAR.md and CDI.md may add to it); the adapter's and CDI module's docs list every
     * code of theirs.
     */
    @Test
    void docTablesListOnlyCodesOfTheEnumWithTheirSummary() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (String doc : List.of("ERRORS.md", "RAR.md", "CDI.md")) {
            rows(DOCS.resolve(doc)).forEach((id, cells) -> {
                Optional<ErrorCode> code = ErrorCode.forId(id);
                if (code.isEmpty()) {
                    wrong.add(doc + ": " + id + " is not an ErrorCode");
                } else if (cells.stream()
                        .noneMatch(cell -> cell.startsWith(code.get().summary()))) {
                    wrong.add(doc + ": " + id + " does not say '" + code.get().summary() + "': " + cells);
                }
            });
        }
        Set<String> rar = rows(DOCS.resolve("RAR.md")).keySet();
        Set<String> cdi = rows(DOCS.resolve("CDI.md")).keySet();
        for (ErrorCode code : ErrorCode.values()) {
            if (code.number() / 100 == 6 && !rar.contains(code.id())) {
                wrong.add("RAR.md: no row for " + code.id());
            }
            if (code.number() / 100 == 7 && !cdi.contains(code.id())) {
                wrong.add("CDI.md: no row for " + code.id());
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /** Messages get their code from {@link ErrorCode}, through the error factories, never by hand. */
    @Test
    void noMainSourceWritesACodeByHand() throws IOException {
        List<String> found = new ArrayList<>();
        int files = 0;
        for (String module : MODULES) {
            Path sources = ROOT.resolve(module).resolve("src/main/java");
            assertTrue(Files.isDirectory(sources), sources.toAbsolutePath() + " is missing");
            List<Path> javaFiles;
            try (Stream<Path> walk = Files.walk(sources)) {
                javaFiles = walk.filter(p -> p.toString().endsWith(".java"))
                        .sorted()
                        .collect(Collectors.toList());
            }
            for (Path file : javaFiles) {
                files++;
                if (ROOT.relativize(file).normalize().equals(ENUM)) {
                    continue;
                }
                for (String literal : stringLiterals(Files.readString(file))) {
                    if (HAND_MADE.matcher(literal).find()) {
                        found.add(ROOT.relativize(file) + ": \"" + literal + "\"");
                    }
                }
            }
        }
        assertTrue(files > 50, "only " + files + " source files found under " + ROOT.toAbsolutePath());
        assertTrue(
                found.isEmpty(),
                "codes written by hand (use ErrorCode through the module's error factory):\n"
                        + String.join("\n", found));
    }

    /** Doc table rows by code: the cells after the first, trimmed, backticks removed. */
    private static Map<String, List<String>> rows(Path doc) throws IOException {
        Map<String, List<String>> rows = new TreeMap<>();
        Matcher m = ROW.matcher(Files.readString(doc));
        while (m.find()) {
            List<String> cells = Arrays.stream(m.group(2).split("\\|"))
                    .map(c -> c.replace("`", "").trim())
                    .collect(Collectors.toList());
            List<String> previous = rows.put(m.group(1), cells);
            assertNull(previous, doc + " lists " + m.group(1) + " twice");
        }
        return rows;
    }

    /**
     * The contents of the string literals and text blocks of a Java source, escapes left as
     * written; comments and character literals are skipped.
     */
    static List<String> stringLiterals(String source) {
        List<String> literals = new ArrayList<>();
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = closing(source, i + 3, "\"\"\"");
                literals.add(source.substring(i + 3, end));
                i = end + 3;
            } else if (c == '"' || c == '\'') {
                int end = closing(source, i + 1, String.valueOf(c));
                if (c == '"') {
                    literals.add(source.substring(i + 1, end));
                }
                i = end + 1;
            } else {
                i++;
            }
        }
        return literals;
    }

    /** Where {@code quote} closes a literal that starts at {@code from}, skipping escapes. */
    private static int closing(String source, int from, String quote) {
        int i = from;
        while (i < source.length() && !source.startsWith(quote, i)) {
            i += source.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i, source.length());
    }
}
