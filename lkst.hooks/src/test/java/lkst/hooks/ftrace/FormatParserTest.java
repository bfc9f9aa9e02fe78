package lkst.hooks.ftrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lkst.api.Field;
import lkst.api.FieldType;
import lkst.hooks.kernel.KernelTesting;
import org.junit.jupiter.api.Test;

class FormatParserTest {
    static final List<String> SCHED_SWITCH = List.of(
            "name: sched_switch",
            "ID: 372",
            "format:",
            "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;",
            "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;",
            "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;",
            "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;",
            "",
            "\tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;",
            "\tfield:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;",
            "\tfield:int prev_prio;\toffset:28;\tsize:4;\tsigned:1;",
            "\tfield:long prev_state;\toffset:32;\tsize:8;\tsigned:1;",
            "\tfield:char next_comm[16];\toffset:40;\tsize:16;\tsigned:0;",
            "\tfield:pid_t next_pid;\toffset:56;\tsize:4;\tsigned:1;",
            "\tfield:int next_prio;\toffset:60;\tsize:4;\tsigned:1;",
            "",
            "print fmt: \"prev_comm=%s prev_pid=%d\", REC->prev_comm, REC->prev_pid");

    @Test
    void fixedCharArraysAndSignedNumbers() {
        EventFormat f = FormatParser.event("sched", SCHED_SWITCH);
        assertEquals("sched:sched_switch", f.tracepoint());
        assertEquals(372, f.id());
        assertEquals(4, f.pidOffset());
        assertEquals(List.of(
                Field.at("prev_comm", FieldType.CHARS, 8, 16),
                Field.at("prev_pid", FieldType.S32, 24, 4),
                Field.at("prev_prio", FieldType.S32, 28, 4),
                Field.at("prev_state", FieldType.S64, 32, 8),
                Field.at("next_comm", FieldType.CHARS, 40, 16),
                Field.at("next_pid", FieldType.S32, 56, 4),
                Field.at("next_prio", FieldType.S32, 60, 4)), f.fields());
    }

    @Test
    void dataLocStringsArraysAndUnsigned() {
        EventFormat f = FormatParser.event("x", List.of(
                "name: e", "ID: 7",
                "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;",
                "\tfield:__data_loc char[] msg;\toffset:8;\tsize:4;\tsigned:0;",
                "\tfield:__data_loc u64[] ips;\toffset:12;\tsize:4;\tsigned:0;",
                "\tfield:unsigned long args[6];\toffset:16;\tsize:48;\tsigned:0;",
                "\tfield:u8 saddr[4];\toffset:64;\tsize:4;\tsigned:0;",
                "\tfield:unsigned char c;\toffset:68;\tsize:1;\tsigned:0;",
                "\tfield:short s;\toffset:70;\tsize:2;\tsigned:1;",
                "\tfield:unsigned int u;\toffset:72;\tsize:4;\tsigned:0;",
                "\tfield:void * p;\toffset:80;\tsize:8;\tsigned:0;"));
        assertEquals(List.of(
                Field.at("msg", FieldType.STRING, 8, 4),
                new Field("ips", FieldType.BYTES, 12, 4, FieldType.U64),
                new Field("args", FieldType.ARRAY, 16, 48, FieldType.U64),
                new Field("saddr", FieldType.ARRAY, 64, 4, FieldType.U8),
                Field.at("c", FieldType.U8, 68, 1),
                Field.at("s", FieldType.S16, 70, 2),
                Field.at("u", FieldType.U32, 72, 4),
                Field.at("p", FieldType.U64, 80, 8)), f.fields());
    }

    @Test
    void headerPageAndEventOfTheRunningKernel() throws IOException {
        Path root = KernelTesting.tracefs();
        assertEquals(PageLayout.linux64(), FormatParser.pageLayout(root));
    }

    /** Every format file of the running kernel parses, and every field lies inside the record after the header. */
    @Test
    void everyFormatOfTheRunningKernel() throws IOException {
        Path events = KernelTesting.tracefs().resolve("events");
        int parsed = 0;
        try (DirectoryStream<Path> systems = Files.newDirectoryStream(events, Files::isDirectory)) {
            for (Path sys : systems) {
                try (DirectoryStream<Path> evs = Files.newDirectoryStream(sys, Files::isDirectory)) {
                    for (Path ev : evs) {
                        if (!Files.exists(ev.resolve("format"))) continue;
                        EventFormat f = FormatParser.event(events, sys.getFileName().toString(), ev.getFileName().toString());
                        for (Field field : f.fields()) {
                            assertTrue(field.offset() >= 8, f.tracepoint() + " " + field);
                            if (field.type().isNumber()) assertEquals(field.type().size(), field.size(), f.tracepoint() + " " + field);
                            if (field.type() == FieldType.ARRAY) assertTrue(field.element() != null, f.tracepoint() + " " + field);
                        }
                        parsed++;
                    }
                }
            }
        }
        assertTrue(parsed > 1000, "parsed only " + parsed + " format files");
        EventFormat sw = FormatParser.event(events, "sched", "sched_switch");
        assertEquals(FormatParser.event("sched", SCHED_SWITCH).fields(), sw.fields());
        EventFormat console = FormatParser.event(events, "printk", "console");
        assertEquals(List.of(Field.at("msg", FieldType.STRING, 8, 4)), console.fields());
    }
}
