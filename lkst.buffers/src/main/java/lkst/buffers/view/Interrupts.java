package lkst.buffers.view;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Hard and soft IRQs on each CPU, from entry to exit: {@code irq:irq_handler_entry/exit}, {@code
 * irq:softirq_entry/exit} and the {@code irq_vectors:*_entry/*_exit} pairs (hard). Entries nest per CPU and kind;
 * an exit without its entry (the entry was before the trace) makes no span; an entry without its exit (the trace
 * ended inside) is a mark, its span ending where it starts.
 */
final class Interrupts {
    static final int HARD = 0;
    static final int SOFT = 1;

    final Spans spans = new Spans();
    private final Map<String, ArrayDeque<Integer>> open = new HashMap<>(); // "cpu kind" → entry events

    /** Records {@code event} of type {@code name} on {@code cpu} when it is an IRQ's entry or exit. */
    void add(String name, int cpu, int event) {
        String key;
        boolean entry;
        int kind;
        switch (name) {
            case "irq:irq_handler_entry", "irq:irq_handler_exit" -> {
                key = "irq";
                entry = name.endsWith("entry");
                kind = HARD;
            }
            case "irq:softirq_entry", "irq:softirq_exit" -> {
                key = "softirq";
                entry = name.endsWith("entry");
                kind = SOFT;
            }
            default -> {
                if (!name.startsWith("irq_vectors:")) return;
                if (name.endsWith("_entry")) entry = true;
                else if (name.endsWith("_exit")) entry = false;
                else return;
                key = name.substring(0, name.lastIndexOf('_'));
                kind = HARD;
            }
        }
        ArrayDeque<Integer> stack = open.computeIfAbsent(cpu + " " + key, k -> new ArrayDeque<>());
        if (entry) {
            stack.push(event);
        } else if (!stack.isEmpty()) {
            spans.add(cpu, stack.pop(), event, kind);
        }
    }

    void finish() {
        open.forEach((key, stack) -> {
            int cpu = Integer.parseInt(key.substring(0, key.indexOf(' ')));
            int kind = key.endsWith("softirq") ? SOFT : HARD;
            for (int e : stack) spans.add(cpu, e, e, kind);
        });
        open.clear();
    }
}
