package lkst.buffers.record;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

/** How many CPU numbers events can carry. */
public final class Cpus {
    private Cpus() {}

    /**
     * The kernel's possible CPUs ({@code /sys/devices/system/cpu/possible}, e.g. "0-63": 64), which covers every CPU
     * number the kernel can report even when this process may run on fewer; else the JVM's processor count.
     */
    public static int possible() {
        try {
            String s = Files.readString(Paths.get("/sys/devices/system/cpu/possible")).trim();
            int max = -1;
            for (String part : s.split(",")) {
                String[] r = part.split("-");
                max = Math.max(max, Integer.parseInt(r[r.length - 1].trim()));
            }
            if (max >= 0) return max + 1;
        } catch (IOException | RuntimeException e) {
            // not Linux, or no sysfs
        }
        return Runtime.getRuntime().availableProcessors();
    }
}
