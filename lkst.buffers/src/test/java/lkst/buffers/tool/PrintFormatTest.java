package lkst.buffers.tool;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Print formats of Linux 6.18's format files, rendered as the kernel renders them (the kernel's own text is compared
 * in lkst.itest's PrintKernelTest; these pin the subset's corners without a kernel).
 */
class PrintFormatTest {
    @TempDir Path tmp;

    static final String SWITCH = "print fmt: \"prev_comm=%s prev_pid=%d prev_prio=%d prev_state=%s%s ==> next_comm=%s next_pid=%d next_prio=%d\", REC->prev_comm, REC->prev_pid, REC->prev_prio, (REC->prev_state & ((((0x00000000 | 0x00000001 | 0x00000002 | 0x00000004 | 0x00000008 | 0x00000010 | 0x00000020 | 0x00000040) + 1) << 1) - 1)) ? __print_flags(REC->prev_state & ((((0x00000000 | 0x00000001 | 0x00000002 | 0x00000004 | 0x00000008 | 0x00000010 | 0x00000020 | 0x00000040) + 1) << 1) - 1), \"|\", { 0x00000001, \"S\" }, { 0x00000002, \"D\" }, { 0x00000004, \"T\" }, { 0x00000008, \"t\" }, { 0x00000010, \"X\" }, { 0x00000020, \"Z\" }, { 0x00000040, \"P\" }, { 0x00000080, \"I\" }) : \"R\", REC->prev_state & (((0x00000000 | 0x00000001 | 0x00000002 | 0x00000004 | 0x00000008 | 0x00000010 | 0x00000020 | 0x00000040) + 1) << 1) ? \"+\" : \"\", REC->next_comm, REC->next_pid, REC->next_prio\n";

    private static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void schedSwitchStatesAsFlagsOrR() {
        PrintFormat f = PrintFormat.of(SWITCH);
        assertNotNull(f);
        assertEquals("prev_comm=sh prev_pid=7 prev_prio=120 prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120",
                f.render(fields("prev_comm", "sh", "prev_pid", 7L, "prev_prio", 120L, "prev_state", 1L, "next_comm", "swapper/0", "next_pid", 0L, "next_prio", 120L), null));
        assertEquals("prev_comm=a prev_pid=1 prev_prio=-1 prev_state=R+ ==> next_comm=b next_pid=2 next_prio=99",
                f.render(fields("prev_comm", "a", "prev_pid", 1L, "prev_prio", -1L, "prev_state", 256L, "next_comm", "b", "next_pid", 2L, "next_prio", 99L), null));
        assertEquals("prev_comm=a prev_pid=1 prev_prio=0 prev_state=S|D ==> next_comm=b next_pid=2 next_prio=0",
                f.render(fields("prev_comm", "a", "prev_pid", 1L, "prev_prio", 0L, "prev_state", 3L, "next_comm", "b", "next_pid", 2L, "next_prio", 0L), null));
    }

    @Test
    void symbolicWidthsAndLeftOverFlags() {
        PrintFormat soft = PrintFormat.of("print fmt: \"vec=%u [action=%s]\", REC->vec, __print_symbolic(REC->vec, { 0, \"HI\" }, { 9, \"RCU\" })");
        assertEquals("vec=9 [action=RCU]", soft.render(fields("vec", 9L), null));
        assertEquals("vec=4 [action=0x4]", soft.render(fields("vec", 4L), null));
        PrintFormat wake = PrintFormat.of("print fmt: \"comm=%s pid=%d target_cpu=%03d\", REC->comm, REC->pid, REC->target_cpu");
        assertEquals("comm=x pid=-5 target_cpu=001", wake.render(fields("comm", "x", "pid", -5L, "target_cpu", 1L), null));
        PrintFormat flags = PrintFormat.of("print fmt: \"f=%s\", __print_flags(REC->f, \"|\", { 1, \"A\" }, { 4, \"C\" }, { 0, ((void *)0) })");
        assertEquals("f=A|0x2", flags.render(fields("f", 3L), null));
        assertEquals("f=", flags.render(fields("f", 0L), null));
    }

    @Test
    void pointersAndSymbolsAsTheKernelWithHashPtrCleared() throws IOException {
        Path ks = tmp.resolve("kallsyms");
        Files.writeString(ks, "ffffffff81000000 T _stext\nffffffff81000100 T alias_a\nffffffff81000100 t alias_b\nffffffff81000180 T next_one\n"
                + "ffffffffc0000000 t mod_fn\t[ext4]\nffffffffc0000040 t mod_end\t[ext4]\n");
        Kallsyms k = Kallsyms.read(ks);
        PrintFormat f = PrintFormat.of("print fmt: \"call_site=%pS ptr=%p s=%ps\", (void *)REC->call_site, REC->ptr, (void *)REC->fn");
        assertEquals(List.of("call_site", "ptr", "fn"), f.pointerFields());
        assertEquals("call_site=alias_a+0x2a/0x80 ptr=0000000000001000 s=mod_fn [ext4]",
                f.render(fields("call_site", 0xffffffff8100012aL, "ptr", 0x1000L, "fn", 0xffffffffc0000010L), k));
        assertEquals("call_site=0xffffffff8100012a ptr=0000000000000000 s=0x1", f.render(fields("call_site", 0xffffffff8100012aL, "ptr", 0L, "fn", 1L), null));
    }

    @Test
    void numbersBySizeAndSign() {
        PrintFormat f = PrintFormat.of("print fmt: \"NR %ld (%lx, %lx) %u %x %d\", REC->id, REC->args[0], REC->args[1], REC->u, REC->x, REC->d");
        assertEquals("NR 202 (7f43ec0164c8, ffffffffffffffff) 4294967295 ffffffff -1",
                f.render(fields("id", 202L, "args", "{0x7f43ec0164c8,0xffffffffffffffff}", "u", -1L, "x", -1L, "d", 0xffffffffL), null));
        assertEquals(List.of(), f.pointerFields(), "%lx of an array element is no field");
    }

    @Test
    void anythingOutsideTheSubsetIsNotParsed() {
        assertNull(PrintFormat.of("print fmt: \"%pI4\", REC->addr"));
        assertNull(PrintFormat.of("print fmt: \"%s\", __print_hex(REC->buf, 4)"));
        assertNull(PrintFormat.of("print fmt: \"%d %d\", REC->a"));
        assertNull(PrintFormat.of("name: x\nformat:\n"));
        assertNotNull(PrintFormat.of("print fmt: \"%s\", __get_str(name)"));
    }
}
