package lkst.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the user's masksets and the selection are saved (Configuration Admin, PID {@code lkst.masksets}):
 * <pre>
 * masksets        = ["10:light", "11:heavy"]          id:name of each saved maskset, in order
 * maskset.light   = ["SYSCALL_ENTRY=1", "LKST_TEST=4"] its table, event=handler ID
 * active          = "light"                            the saved selection
 * </pre>
 * Built-in and run-private masksets ({@link Maskset#runPrivate}) are never saved.
 */
final class MasksetCodec {
    private MasksetCodec() {}

    /** The saved masksets and selection; {@link #malformed} says which entries were skipped and why. */
    record Decoded(List<Maskset> masksets, String active, List<String> malformed) {}

    static Map<String, Object> encode(Collection<Maskset> masksets, String savedSelection) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (Maskset m : masksets) {
            if (m.builtIn || m.runPrivate()) continue;
            names.add(m.id + ":" + m.name);
            List<String> b = new ArrayList<>();
            m.table.forEach((e, h) -> b.add(e + "=" + h));
            out.put("maskset." + m.name, b.toArray(new String[0]));
        }
        out.put("masksets", names.toArray(new String[0]));
        out.put("active", savedSelection);
        return out;
    }

    static Decoded decode(Map<String, Object> saved) {
        List<Maskset> out = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (String entry : strings(saved.get("masksets"))) {
            int colon = entry.indexOf(':');
            try {
                int id = Integer.parseInt(entry.substring(0, colon));
                String name = entry.substring(colon + 1);
                if (!Maskset.validName(name) || seen.contains(name)) throw new IllegalArgumentException(name);
                Map<String, Integer> table = new LinkedHashMap<>();
                for (String b : strings(saved.get("maskset." + name))) {
                    int eq = b.lastIndexOf('=');
                    table.put(b.substring(0, eq), Integer.parseInt(b.substring(eq + 1)));
                }
                out.add(new Maskset(id, name, false, table));
                seen.add(name);
            } catch (RuntimeException e) {
                malformed.add("saved maskset '" + entry + "' is malformed and was skipped: " + e);
            }
        }
        Object a = saved.get("active");
        return new Decoded(out, a == null ? null : String.valueOf(a), malformed);
    }

    private static Collection<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof String[] a) out.addAll(List.of(a));
        else if (o instanceof Collection<?> c) c.forEach(x -> out.add(String.valueOf(x)));
        else if (o != null) out.add(String.valueOf(o));
        return out;
    }
}
