package lkst.buffers.tool;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The recording machine's kallsyms (the trace's {@code kernel/kallsyms}): addresses to symbols as the kernel's
 * {@code %pS} shows them, {@code name+0xOFFSET/0xSIZE [module]}. Of symbols at one address the first listed is
 * taken, and a symbol's size runs to the next higher address (the kernel's kallsyms_lookup does the same).
 */
final class Kallsyms {
    private final long[] addresses;
    private final String[] names;

    private Kallsyms(long[] addresses, String[] names) {
        this.addresses = addresses;
        this.names = names;
    }

    static Kallsyms read(Path file) {
        record Sym(long address, int order, String name) {}
        List<Sym> all = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            int n = 0;
            for (String l; (l = r.readLine()) != null; n++) {
                int a = l.indexOf(' ');
                int b = l.indexOf(' ', a + 1);
                if (a <= 0 || b <= a) continue;
                String name = l.substring(b + 1).replace('\t', ' ').trim();
                int bracket = name.indexOf(" [");
                if (bracket > 0) name = name.substring(0, bracket).trim() + " " + name.substring(bracket + 1).trim();
                try {
                    all.add(new Sym(Long.parseUnsignedLong(l.substring(0, a), 16), n, name));
                } catch (NumberFormatException e) {
                    // not a symbol line
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        all.sort((x, y) -> x.address != y.address ? Long.compareUnsigned(x.address, y.address) : Integer.compare(x.order, y.order));
        long[] addresses = new long[all.size()];
        String[] names = new String[all.size()];
        for (int i = 0; i < all.size(); i++) {
            addresses[i] = all.get(i).address;
            names[i] = all.get(i).name;
        }
        return new Kallsyms(addresses, names);
    }

    /** {@code name+0xoff/0xsize [module]} ({@code withOffset}) or {@code name [module]}; null when no symbol covers it. */
    String describe(long address, boolean withOffset) {
        int i = index(address);
        if (i < 0) return null;
        while (i > 0 && addresses[i - 1] == addresses[i]) i--; // the first of the aliases
        int next = i + 1;
        while (next < addresses.length && addresses[next] == addresses[i]) next++;
        if (next >= addresses.length) return null; // past the last symbol: no size known
        String name = names[i];
        String module = "";
        int space = name.indexOf(' ');
        if (space > 0) {
            module = name.substring(space);
            name = name.substring(0, space);
        }
        if (!withOffset) return name + module;
        return name + "+0x" + Long.toHexString(address - addresses[i]) + "/0x" + Long.toHexString(addresses[next] - addresses[i]) + module;
    }

    /** The last symbol at or below {@code address}, or -1. */
    private int index(long address) {
        int lo = 0, hi = addresses.length - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(addresses[mid], address) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    int size() { return addresses.length; }

    @Override
    public String toString() { return addresses.length + " symbols" + (addresses.length > 0 ? " from " + Arrays.toString(Arrays.copyOf(names, 1)) : ""); }
}
