package lkst.buffers.tool;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import lkst.buffers.api.TraceRecord;
import lkst.buffers.report.SyscallNames;
import lkst.buffers.trace.KernelFolder;

/**
 * What print takes from a trace's {@code kernel/} folder: each kernel event's text as its print format says
 * ({@link PrintFormat}), symbols for {@code %pS} (kallsyms, read at its first use), each thread's process
 * ({@code saved_tgids}) and command ({@code saved_cmdlines}), and syscall names of the recording machine's
 * architecture. A trace without the folder (format version 1) gets nothing from it: print shows raw fields.
 */
final class KernelText {
    private static final PrintFormat NONE = PrintFormat.of(null);

    private final KernelFolder folder;
    private final Map<String, PrintFormat> formats = new HashMap<>();
    private final Map<Integer, Integer> tgids = new HashMap<>();
    private final Map<Integer, String> cmdlines = new HashMap<>();
    private final String arch;
    private Kallsyms kallsyms;
    private boolean kallsymsRead;

    private KernelText(KernelFolder folder) {
        this.folder = folder;
        this.arch = folder.arch();
        pairs(folder.savedTgids(), (tid, rest) -> {
            try {
                tgids.put(tid, Integer.parseInt(rest.trim()));
            } catch (NumberFormatException e) {
                // a line that is no pair: ignored
            }
        });
        pairs(folder.savedCmdlines(), cmdlines::put);
    }

    /** The trace's kernel text, or null when it has no kernel folder. */
    static KernelText of(Path traceDir) {
        KernelFolder f = KernelFolder.read(traceDir);
        return f.exists() ? new KernelText(f) : null;
    }

    private interface Pair { void put(int tid, String rest); }

    /** "TID REST" lines. */
    private static void pairs(String text, Pair sink) {
        if (text == null) return;
        for (String l : text.split("\n")) {
            int space = l.indexOf(' ');
            if (space <= 0) continue;
            try {
                sink.put(Integer.parseInt(l.substring(0, space)), l.substring(space + 1));
            } catch (NumberFormatException e) {
                // not a line of pairs
            }
        }
    }

    /** The process (thread group) of thread {@code tid} as the kernel saved it, or {@code fallback}. */
    int tgid(int tid, int fallback) {
        Integer g = tgids.get(tid);
        return g != null && g > 0 ? g : fallback;
    }

    /** The command of thread {@code tid} as the kernel saved it, or null. */
    String command(int tid) {
        String c = cmdlines.get(tid);
        return c == null || c.equals("<...>") ? null : c;
    }

    /** The print format of tracepoint {@code event}, or null (not a kernel event, no format file, or outside the subset). */
    PrintFormat format(String event) {
        return formats.computeIfAbsent(event, e -> {
            PrintFormat f = PrintFormat.of(folder.format(e));
            return f == null ? NONE : f;
        });
    }

    /** {@code r}'s fields as the kernel prints them (plus the syscall's name on raw_syscalls), or null. */
    String render(TraceRecord r) {
        PrintFormat f = format(r.event());
        if (f == null) return null;
        String text = f.render(r.fields(), symbols());
        if (text == null) return null;
        if ((r.event().equals("raw_syscalls:sys_enter") || r.event().equals("raw_syscalls:sys_exit")) && arch != null
                && SyscallNames.knows(arch) && r.fields().get("id") instanceof Long id && id >= 0) {
            text += " syscall=" + SyscallNames.of(arch, id);
        }
        return text;
    }

    /** Fields of {@code event} its format prints as pointers. */
    List<String> pointerFields(String event) {
        PrintFormat f = format(event);
        return f == null ? List.of() : f.pointerFields();
    }

    private Kallsyms symbols() {
        if (!kallsymsRead) {
            kallsymsRead = true;
            Path p = folder.kallsyms();
            if (p != null) kallsyms = Kallsyms.read(p);
        }
        return kallsyms;
    }
}
