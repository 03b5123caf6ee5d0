package org.bobbob.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person's path through the page, in Debian's headless Chromium: log in, upload a 6 MiB file
 * through the file picker and watch the progress bar reach 100%, find it in the list with its
 * human-readable size and type, download it through the page and compare the bytes, page to the
 * next keys, delete it (accepting the confirmation), and see the error the page shows for an
 * upload without a login. Leaves {@code target/screenshots/blobs.png} (the filled list) and
 * {@code uploaded.png}. Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}
 * (packages chromium and chromium-driver; {@code .ci/run} installs them).
 */
class BrowserIT extends DeployedApp {

    @Test
    void logInUploadWithProgressSeeItDownloadItDeleteIt() throws Exception {
        Path target = Path.of(System.getProperty("project.build.directory", "target"));
        Path downloads = Files.createDirectories(target.resolve("downloads"));
        Path shots = Files.createDirectories(target.resolve("screenshots"));
        String prefix = "browser-" + System.nanoTime() + "/";
        String name = "upload-" + System.nanoTime() + ".bin";
        Path upload = Files.createDirectories(target.resolve("uploads")).resolve(name);
        byte[] data = new byte[6 << 20];
        new SplittableRandom(5).nextBytes(data);
        Files.write(upload, data);
        // company for the list: other types and sizes, and more than a page of keys
        String[][] others = {{"notes.txt", "text/plain", "1200"}, {"photo.jpg", "image/jpeg", "350000"}};
        for (String[] o : others) {
            Http.send(Http.to(base(), "api/blobs/" + prefix + o[0])
                    .header("Content-Type", o[1])
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[Integer.parseInt(o[2])])));
        }
        for (int i = 0; i < 19; i++) {
            Http.send(Http.to(base(), "api/blobs/" + prefix + "z/" + String.format("%02d", i))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[i * 100])));
        }

        ChromeDriver browser = chromium(target, downloads);
        try {
            browser.get(url.toString());
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            // the page replaces the table's rows when it reloads the listing: rows found just before
            // are stale then, and the wait looks again
            wait.ignoring(StaleElementReferenceException.class);
            wait.until(d -> text(d, "stats").matches("Store: \\d+ objects.*"));
            String bar = browser.findElement(By.id("usage-live")).getDomAttribute("style");
            assertTrue(bar != null && bar.matches(".*width: [0-9.]+%.*"), "the usage bar: " + bar);

            // the empty state, for a prefix no key has
            browser.findElement(By.id("prefix")).sendKeys(prefix + "nothing-here");
            wait.until(d -> d.findElement(By.id("empty")).isDisplayed());
            assertTrue(text(browser, "empty").startsWith("No blobs with keys starting"), text(browser, "empty"));

            // an upload without a login is refused in the page
            browser.findElement(By.id("file")).sendKeys(upload.toAbsolutePath().toString());
            wait.until(d -> text(d, "status").contains("Log in as a user in role writer"));
            assertEquals("error", browser.findElement(By.id("status")).getDomAttribute("class"));

            browser.findElement(By.id("user")).sendKeys(Http.WRITER);
            browser.findElement(By.id("password")).sendKeys(Http.WRITER + "-secret");
            browser.findElement(By.id("login-button")).click();
            wait.until(d -> text(d, "who").equals("Logged in as writer"));

            browser.findElement(By.id("prefix")).clear();
            browser.findElement(By.id("prefix")).sendKeys(prefix);
            browser.findElement(By.id("key")).sendKeys(prefix + name);
            browser.findElement(By.id("file")).sendKeys(upload.toAbsolutePath().toString());
            wait.until(d -> text(d, "progress-text").endsWith("stored"));
            WebElement progress = browser.findElement(By.id("progress"));
            assertEquals("100", progress.getDomProperty("value"));
            assertTrue(
                    Integer.parseInt(progress.getDomAttribute("data-updates")) >= 1,
                    "the bar moved with the upload's progress events");
            assertEquals("100% of 6.0 MiB, stored", text(browser, "progress-text"));
            assertTrue(text(browser, "status").startsWith("Stored " + prefix + name), text(browser, "status"));

            WebElement row = wait.until(d -> row(d, prefix + name));
            assertEquals("6.0 MiB", row.findElement(By.cssSelector("td.size")).getText());
            assertEquals(
                    "application/octet-stream",
                    row.findElement(By.cssSelector("td.type")).getText());
            assertEquals(
                    "1.2 KiB",
                    row(browser, prefix + "notes.txt")
                            .findElement(By.cssSelector("td.size"))
                            .getText());
            assertEquals("1–20 of 22", text(browser, "position"));
            Files.write(shots.resolve("blobs.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

            row.findElement(By.cssSelector("a.download")).click();
            Path downloaded = downloads.resolve(name);
            wait.until(d -> Files.exists(downloaded) && sizeOf(downloaded) == data.length);
            assertArrayEquals(data, Files.readAllBytes(downloaded), "the downloaded file is the uploaded one");

            browser.findElement(By.id("next")).click();
            wait.until(d -> text(d, "position").equals("21–22 of 22"));
            assertTrue(row(browser, prefix + "z/18") != null, "the last keys are on the second page");
            browser.findElement(By.id("first")).click();
            wait.until(d -> text(d, "position").equals("1–20 of 22"));

            wait.until(d -> row(d, prefix + name))
                    .findElement(By.cssSelector("button.delete"))
                    .click();
            String question = wait.until(d -> d.switchTo().alert()).getText();
            assertTrue(question.startsWith("Delete " + prefix + name), question);
            browser.switchTo().alert().accept();
            wait.until(d -> text(d, "status").equals("Deleted " + prefix + name) && row(d, prefix + name) == null);
            assertEquals("1–20 of 21", text(browser, "position"));
            Files.write(shots.resolve("deleted.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            assertEquals(
                    404,
                    Http.send(Http.to(base(), "api/blobs/" + prefix + name)).statusCode());
        } finally {
            browser.quit();
        }
    }

    private static ChromeDriver chromium(Path target, Path downloads) throws Exception {
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
                "--window-size=1200,1000",
                "--user-data-dir=" + Files.createTempDirectory(target, "chromium-profile"));
        options.setExperimentalOption(
                "prefs",
                Map.of("download.default_directory", downloads.toString(), "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driverBinary)
                .build();
        return new ChromeDriver(service, options);
    }

    private static String text(WebDriver d, String id) {
        return d.findElement(By.id(id)).getText();
    }

    /** The list's row of {@code key}, or null. */
    private static WebElement row(WebDriver d, String key) {
        return d.findElements(By.cssSelector("#blobs tr")).stream()
                .filter(tr -> key.equals(tr.getDomAttribute("data-key")))
                .findFirst()
                .orElse(null);
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
