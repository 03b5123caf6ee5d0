package org.bobbob.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person's path through the page, in Debian's headless Chromium: upload a file, see it
 * listed with its type and SHA-256, download it through the page's link, compare the bytes; then,
 * with more than a page of uploads, page to older rows and back. Leaves a screenshot in
 * {@code target/screenshots/}. Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}
 * (packages chromium and chromium-driver; {@code .ci/run} installs them).
 */
class BrowserIT extends DeployedApp {

    @Test
    void uploadSeeItListedDownloadItCompareBytes() throws Exception {
        Path target = Path.of(System.getProperty("project.build.directory", "target"));
        Path downloads = Files.createDirectories(target.resolve("downloads"));
        Path shots = Files.createDirectories(target.resolve("screenshots"));
        String name = "upload-" + System.nanoTime() + ".bin";
        Path upload = Files.createDirectories(target.resolve("uploads")).resolve(name);
        byte[] data = new byte[123_457];
        new SplittableRandom(5).nextBytes(data);
        Files.write(upload, data);

        File chromium = new File("/usr/bin/chromium");
        File driverBinary = new File("/usr/bin/chromedriver");
        assertTrue(
                chromium.canExecute() && driverBinary.canExecute(),
                "install Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run does)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-quic",
                "--no-first-run",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1200,900",
                "--user-data-dir=" + Files.createTempDirectory(target, "chromium-profile"));
        options.setExperimentalOption(
                "prefs",
                Map.of("download.default_directory", downloads.toString(), "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driverBinary)
                .build();
        ChromeDriver browser = new ChromeDriver(service, options);
        try {
            browser.get(url.toString());
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            // the page replaces the table's rows when it reloads the listing: rows found just before
            // are stale then, and the wait looks again
            wait.ignoring(StaleElementReferenceException.class);
            wait.until(d -> d.findElement(By.id("stats")).getText().startsWith("Store: ")
                    && !d.findElement(By.id("stats")).getText().contains("…"));
            browser.findElement(By.id("file")).sendKeys(upload.toAbsolutePath().toString());
            browser.findElement(By.id("send")).click();
            WebElement row = wait.until(d -> d.findElements(By.cssSelector("#uploads tr")).stream()
                    .filter(tr -> tr.getText().contains(name))
                    .findFirst()
                    .orElse(null));
            assertTrue(row.getText().contains(Integer.toString(data.length)), row.getText());
            String uploadedId = row.getDomAttribute("data-id");
            assertEquals(
                    HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(data)),
                    row.findElement(By.cssSelector("td.sha256")).getDomAttribute("title"),
                    "the row shows the SHA-256 of the uploaded bytes");
            assertEquals(
                    "application/octet-stream",
                    row.findElement(By.cssSelector("td.type")).getText());
            Files.write(shots.resolve("upload.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

            row.findElement(By.cssSelector("a.download")).click();
            Path downloaded = downloads.resolve(name);
            new WebDriverWait(browser, Duration.ofSeconds(30))
                    .until(d -> Files.exists(downloaded) && sizeOf(downloaded) == data.length);
            assertArrayEquals(data, Files.readAllBytes(downloaded), "the downloaded file is the uploaded one");

            // more than a page of rows: Older shows the next page, Newer the first again
            for (int i = 0; i < 21; i++) {
                Http.post(base(), new byte[] {(byte) i});
            }
            browser.navigate().refresh();
            WebElement position = wait.until(d -> {
                WebElement p = d.findElement(By.id("position"));
                return p.getText().startsWith("1–20 of ") ? p : null;
            });
            long total = Long.parseLong(position.getText().substring("1–20 of ".length()));
            assertTrue(total >= 22, position.getText());
            List<String> first = rowIds(browser);
            assertEquals(20, first.size());
            assertTrue(!first.contains(uploadedId), "21 uploads came after " + uploadedId);
            browser.findElement(By.id("older")).click();
            String second = "21–" + Math.min(40, total) + " of " + total;
            wait.until(d -> d.findElement(By.id("position")).getText().equals(second));
            List<String> older = rowIds(browser);
            assertEquals(Math.min(20, total - 20), older.size());
            assertTrue(older.stream().noneMatch(first::contains), "the second page repeats no row of the first");
            assertEquals(uploadedId, older.get(1), "the file is the 22nd newest upload");
            assertEquals(total > 40, browser.findElement(By.id("older")).isEnabled());
            browser.findElement(By.id("newer")).click();
            wait.until(d -> d.findElement(By.id("position")).getText().startsWith("1–20 of "));
            assertEquals(first, rowIds(browser));
            assertTrue(!browser.findElement(By.id("newer")).isEnabled(), "no page is newer than the first");
        } finally {
            browser.quit();
        }
    }

    private static List<String> rowIds(ChromeDriver browser) {
        return browser.findElements(By.cssSelector("#uploads tr")).stream()
                .map(tr -> tr.getDomAttribute("data-id"))
                .toList();
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
