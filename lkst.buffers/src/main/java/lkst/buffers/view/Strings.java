package lkst.buffers.view;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The page's text values, each once: a field holds the index of its value here. */
final class Strings {
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> values = new ArrayList<>();

    int of(String s) {
        Integer i = index.get(s);
        if (i != null) return i;
        values.add(s);
        index.put(s, values.size() - 1);
        return values.size() - 1;
    }

    List<String> values() { return values; }

    /** The strings as the page keeps them: UTF-8, one after the other; string i is bytes offsets[i] to offsets[i + 1]. */
    byte[] bytes(int[] offsets) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < values.size(); i++) {
            offsets[i] = b.size();
            b.writeBytes(values.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        offsets[values.size()] = b.size();
        return b.toByteArray();
    }
}
