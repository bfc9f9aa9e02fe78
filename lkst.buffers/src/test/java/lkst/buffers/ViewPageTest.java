package lkst.buffers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * {@code view}'s page of {@link KnownTrace} in a real browser: Debian's chromium, headless, driven through its
 * chromedriver by Selenium. The page loads without a console error, has one lane per CPU and as many slices as the
 * trace has, and hovering a slice shows its task; search narrows the task lanes; a wheel zooms.
 */
class ViewPageTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir static Path tmp;
    static ChromeDriver browser;

    @BeforeAll
    static void start() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER + "): apt-get install chromium chromium-driver");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        // as root chromium runs only without its sandbox; no GPU in a VM
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,800");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, o);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
    }

    /** Writes the page of the known trace and loads it; waits until the page says it has drawn. */
    static void load(String... options) throws Exception {
        Path trace = Files.exists(tmp.resolve("t")) ? tmp.resolve("t") : KnownTrace.write(tmp.resolve("t"));
        Path page = tmp.resolve("t.html");
        String[] args = new String[options.length + 4];
        args[0] = "view";
        System.arraycopy(options, 0, args, 1, options.length);
        args[options.length + 1] = trace.toString();
        args[options.length + 2] = "-o";
        args[options.length + 3] = page.toString();
        Tool t = Tool.run(args);
        assertEquals(0, t.exit(), t.err().toString());
        browser.get(page.toUri().toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Boolean.TRUE.equals(js("return window.lkstView && window.lkstView.ready && window.lkstView.complete === true"))) {
            assertTrue(System.nanoTime() < deadline, "the page did not draw and load its fields within 20 s: " + errors());
            Thread.sleep(20);
        }
    }

    static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /** The console's errors (and the page's own error line) since the last call. */
    static List<String> errors() {
        List<String> e = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(l -> l.getLevel().intValue() >= Level.WARNING.intValue()).map(LogEntry::getMessage).collect(Collectors.toList());
        WebElement error = browser.findElement(By.id("error"));
        if (error.isDisplayed()) e.add(error.getText());
        return e;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> lanes() {
        return (List<Map<String, Object>>) js("return window.lkstView.lanes()");
    }

    @Test
    void thePageLoadsWithoutErrorsWithOneLanePerCpuAndTheTracesSlices() throws Exception {
        load();
        assertEquals(List.of(), errors());
        List<Map<String, Object>> lanes = lanes();
        assertEquals(List.of("CPU 0", "CPU 1"), lanes.stream().filter(l -> l.get("kind").equals("cpu")).map(l -> l.get("label")).toList());
        assertEquals((long) KnownTrace.CPU0_SLICES, js("return window.lkstView.slices(0)"));
        assertEquals((long) KnownTrace.CPU1_SLICES, js("return window.lkstView.slices(1)"));
        assertEquals(List.of("work 100", "sleeper 200", "other 300", "? 42/7"),
                lanes.stream().filter(l -> l.get("kind").equals("task")).map(l -> l.get("label")).toList(), "task lanes, most CPU time first (work 6000 ns, sleeper 5000, other 600; the JVM thread 7 of process 42 none)");
        assertTrue(browser.findElement(By.id("losses")).getText().contains("CPU 0: 3 (kernel)"), browser.findElement(By.id("losses")).getText());
    }

    @Test
    void theConsoleErrorsCheckSeesAnError() throws Exception {
        // the check the other tests make, on a page with a console error and a script that does not parse
        Path bad = Files.writeString(tmp.resolve("bad.html"), "<!DOCTYPE html><div id=error hidden></div>"
                + "<script>window.addEventListener('error', e => { const b = document.getElementById('error'); b.textContent = e.message; b.hidden = false; });</script>"
                + "<script>console.error('seen')</script><script>const a = 1; const a = 2;</script>");
        browser.get(bad.toUri().toString());
        List<String> errors = errors();
        assertTrue(errors.stream().anyMatch(e -> e.contains("seen")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("already been declared")), errors.toString());
    }

    @Test
    void hoveringASliceShowsItsTask() throws Exception {
        load();
        @SuppressWarnings("unchecked")
        Map<String, Object> at = (Map<String, Object>) js("return window.lkstView.sliceCenter(0, 1)"); // sleeper, 3000–6000 on cpu0
        assertEquals("sleeper 200", at.get("task"));
        WebElement tip = browser.findElement(By.id("tip"));
        assertFalse(tip.isDisplayed());
        new Actions(browser).moveToLocation(((Number) at.get("x")).intValue(), ((Number) at.get("y")).intValue()).perform();
        assertTrue(tip.isDisplayed(), "a tip under the pointer");
        String text = tip.getText();
        assertTrue(text.startsWith("sleeper 200 on CPU 0\n"), text);
        assertTrue(text.contains("(3.000 µs)"), text);
        assertTrue(text.contains("switched out by") && text.contains("prev_state=1"), text);
        assertEquals(List.of(), errors());
    }

    @Test
    void hoveringAMarkerShowsItsEventsFieldsTheJvmsToo() throws Exception {
        load();
        WebElement tip = browser.findElement(By.id("tip"));
        for (Object[] c : new Object[][]{{"tick", 200, "raw_syscalls:sys_enter", "SYSCALL_ENTRY raw_syscalls:sys_enter\n  id=0"},
                {"jvm", 7, "TEST_NAMED", "TEST_NAMED (JVM)"}}) {
            @SuppressWarnings("unchecked")
            Map<String, Object> at = (Map<String, Object>) js("return window.lkstView.markerCenter(arguments[0], arguments[1], 0)", c[0], c[1]);
            assertEquals(c[2], at.get("event"));
            new Actions(browser).moveToLocation(((Number) at.get("x")).intValue(), ((Number) at.get("y")).intValue()).perform();
            assertTrue(tip.isDisplayed(), "a tip under the pointer");
            assertTrue(tip.getText().contains((String) c[3]), tip.getText());
        }
        assertEquals(List.of(), errors());
    }

    @Test
    void theTimeAxisIsOnTheChosenClock() throws Exception {
        // KnownTrace's first event is at 500 ns (CLOCK_MONOTONIC); 1500 ns later is 2000 ns
        load("--time", "rel");
        assertEquals("0.000001500", js("return window.lkstView.label(1500)"));
        load("--time", "mono");
        assertEquals("0.000002000", js("return window.lkstView.label(1500)"));
        load("--time", "wall");
        long offset = lkst.buffers.trace.TraceReader.open(tmp.resolve("t")).metadata().realtimeOffset();
        String wall = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.nnnnnnnnn").withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.ofEpochSecond(0, 2000 + offset));
        assertEquals(wall, js("return window.lkstView.label(1500)"));
        assertEquals(List.of(), errors());
    }

    @Test
    void aTraceWithoutEventsIsAnEmptyPageWithoutErrors() throws Exception {
        Path empty = tmp.resolve("empty");
        new lkst.buffers.record.BufferSet(empty, 2, 4096, lkst.buffers.api.BufferMode.DISCARD, List.of(TestEvent.NAMED)).close();
        Path page = tmp.resolve("empty.html");
        Tool t = Tool.run("view", empty.toString(), "-o", page.toString());
        assertEquals(0, t.exit(), t.err().toString());
        browser.get(page.toUri().toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Boolean.TRUE.equals(js("return window.lkstView && window.lkstView.ready"))) {
            assertTrue(System.nanoTime() < deadline, "the page did not draw within 20 s: " + errors());
            Thread.sleep(20);
        }
        assertEquals(List.of("CPU 0", "CPU 1"), lanes().stream().map(l -> l.get("label")).toList());
        assertTrue(browser.findElement(By.id("summary")).getText().startsWith("0 events"), browser.findElement(By.id("summary")).getText());
        assertEquals(List.of(), errors());
    }

    @Test
    void searchByPidOrCommandKeepsTheMatchingTaskLanes() throws Exception {
        load();
        WebElement search = browser.findElement(By.id("search"));
        search.sendKeys("300");
        assertEquals(List.of("CPU 0", "CPU 1", "other 300"), lanes().stream().map(l -> l.get("label")).toList());
        search.clear();
        search.sendKeys("s*p*");
        assertEquals(List.of("CPU 0", "CPU 1", "sleeper 200"), lanes().stream().map(l -> l.get("label")).toList());
        assertEquals("1 task match", browser.findElement(By.id("matches")).getText());
        assertEquals(List.of(), errors());
    }

    @Test
    void aWheelZoomsAndRepaints() throws Exception {
        load("--time", "mono");
        long before = ((Number) js("return window.lkstView.repaints")).longValue();
        double shown = ((Number) js("const r = window.lkstView.range(); return r[1] - r[0]")).doubleValue();
        @SuppressWarnings("unchecked")
        Map<String, Object> at = (Map<String, Object>) js("return window.lkstView.sliceCenter(0, 1)"); // over CPU 0's lane
        new Actions(browser).scrollFromOrigin(org.openqa.selenium.interactions.WheelInput.ScrollOrigin.fromViewport(
                ((Number) at.get("x")).intValue(), ((Number) at.get("y")).intValue()), 0, -300).perform();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (js("return window.lkstView.lastRepaintMs") == null) {
            assertTrue(System.nanoTime() < deadline, "no repaint after the wheel: " + errors());
            Thread.sleep(10);
        }
        assertTrue(((Number) js("return window.lkstView.repaints")).longValue() > before);
        double zoomed = ((Number) js("const r = window.lkstView.range(); return r[1] - r[0]")).doubleValue();
        assertTrue(zoomed < shown * 0.8, "a wheel turned away zooms in: " + shown + " ns shown before, " + zoomed + " after");
        assertEquals(List.of(), errors());
    }
}
