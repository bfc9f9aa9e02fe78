package lkst.bench.view;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.interactions.WheelInput;

/**
 * How fast {@code view}'s pages show in headless Chromium: for each page, alternately, {@code runs} times: load it
 * (a fresh navigation) and take the page's own first-full-paint time (navigation start to the frame after its first
 * complete draw), then turn the wheel {@code wheels} times over the timeline (zooming in, then out) and take each
 * repaint's time (the wheel event to the end of its draw). The first page is the baseline (a small trace: what the
 * browser and the page cost whatever the trace); every other page's medians are also given as ratios to it.
 *
 * <pre>java -cp benchmarks.jar lkst.bench.view.PageLoad RUNS WHEELS BASELINE.html PAGE.html…</pre>
 */
public final class PageLoad {
    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        int wheels = Integer.parseInt(args[1]);
        List<Path> pages = Arrays.stream(args).skip(2).map(Path::of).toList();
        ChromeOptions o = new ChromeOptions();
        o.setBinary("/usr/bin/chromium");
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, o);
        try {
            double[][] paint = new double[pages.size()][runs];
            double[][] repaint = new double[pages.size()][runs * wheels];
            String[] phases = {"parsed", "decoded", "unpacked", "indexed", "drawn"};
            double[][][] phase = new double[pages.size()][phases.length][runs];
            for (int run = 0; run < runs; run++) {
                for (int p = 0; p < pages.size(); p++) {
                    browser.get("about:blank");
                    browser.get(pages.get(p).toUri().toString());
                    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                    while (!Boolean.TRUE.equals(js(browser, "return window.lkstView && window.lkstView.ready"))) {
                        if (System.nanoTime() > deadline) throw new IllegalStateException(pages.get(p) + " did not draw within 120 s");
                        Thread.sleep(5);
                    }
                    paint[p][run] = ((Number) js(browser, "return window.lkstView.firstPaintMs")).doubleValue();
                    phase[p][0][run] = ((Number) js(browser, "return performance.getEntriesByType('navigation')[0].domInteractive")).doubleValue();
                    for (int k = 1; k < phases.length; k++) {
                        phase[p][k][run] = ((Number) js(browser, "return window.lkstView.timings." + phases[k])).doubleValue();
                    }
                    WebElement canvas = browser.findElement(By.id("timeline"));
                    for (int w = 0; w < wheels; w++) {
                        long before = ((Number) js(browser, "return window.lkstView.repaints")).longValue();
                        int dy = w < wheels / 2 ? -240 : 240; // in, then out again
                        new Actions(browser).scrollFromOrigin(WheelInput.ScrollOrigin.fromElement(canvas, 150 - 40 * (w % 5), -100), 0, dy).perform();
                        while (((Number) js(browser, "return window.lkstView.repaints")).longValue() == before) Thread.sleep(2);
                        Thread.sleep(30); // the frame is on the screen; the next wheel is a new gesture
                        repaint[p][run * wheels + w] = ((Number) js(browser, "return window.lkstView.lastRepaintMs")).doubleValue();
                    }
                }
            }
            System.out.printf("%-40s %12s %28s %28s%n", "page", "MB", "first full paint ms", "wheel-zoom repaint ms");
            System.out.printf("%-40s %12s %28s %28s%n", "", "", "median [min–max] (×base)", "median [min–max] (×base)");
            double basePaint = median(paint[0]);
            double baseRepaint = median(repaint[0]);
            for (int p = 0; p < pages.size(); p++) {
                System.out.printf("%-40s %12.1f %28s %28s%n", pages.get(p).getFileName(), Files.size(pages.get(p)) / 1e6,
                        figure(paint[p], basePaint), figure(repaint[p], baseRepaint));
            }
            System.out.println("where the first paint's time goes (ms since navigation start, medians): HTML parsed, data base64-decoded,"
                    + " decompressed, indexed, first draw done");
            for (int p = 0; p < pages.size(); p++) {
                StringBuilder b = new StringBuilder(String.format("  %-38s", pages.get(p).getFileName()));
                for (int k = 0; k < phases.length; k++) b.append(String.format(" %s %.0f", phases[k], median(phase[p][k])));
                System.out.println(b);
            }
            System.out.printf("(%d runs alternating over the pages; %d wheel turns per run, %d repaints per page)%n", runs, wheels, runs * wheels);
        } finally {
            browser.quit();
        }
    }

    static Object js(ChromeDriver b, String script) { return ((JavascriptExecutor) b).executeScript(script); }

    static String figure(double[] values, double base) {
        double[] v = values.clone();
        Arrays.sort(v);
        return String.format("%.0f [%.0f–%.0f] (×%.1f)", median(values), v[0], v[v.length - 1], median(values) / base);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

}
