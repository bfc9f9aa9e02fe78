package lkst.hooks.ftrace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import lkst.api.Dispatcher;
import lkst.api.Event;
import lkst.api.EventHandler;
import lkst.api.EventSource;
import lkst.api.EventType;
import lkst.api.Field;
import lkst.api.FieldType;
import org.junit.jupiter.api.Test;

/** Pages built by hand as the kernel writes them, one case of the event header each. */
class PageDecoderTest {
    static final int KID = 42;
    final KernelTypes types = new KernelTypes();
    final List<String> seen = new ArrayList<>();
    final Dispatcher sink = new Dispatcher() {
        @Override public void dispatch(Event e) { seen.add(e.timestamp() + " " + e.pid() + " " + e.number(0) + " " + e.payloadLength()); }
        @Override public boolean enabled(int eventId) { return true; }
        @Override public EventHandler handlerFor(int eventId) { return null; }
        @Override public void addListener(Runnable r) { }
        @Override public void removeListener(Runnable r) { }
    };

    PageDecoderTest() {
        List<Field> fields = List.of(Field.at("value", FieldType.S32, 8, 4));
        types.put(new EventType(1000, "t:e", "other", EventSource.KERNEL, false, List.of(), List.of(), fields, null),
                new EventFormat("t", "e", KID, fields, 4, ""));
    }

    static ByteBuffer page() { return ByteBuffer.allocateDirect(4096).order(ByteOrder.LITTLE_ENDIAN); }

    /** Appends an event header + record (common header, value) with a small length; returns the new position. */
    static int small(ByteBuffer b, int at, int delta, int pid, int value) {
        b.putInt(at, (delta << 5) | 3); // 12 bytes of payload
        record(b, at + 4, pid, value);
        return at + 16;
    }

    static void record(ByteBuffer b, int at, int pid, int value) {
        b.putShort(at, (short) KID);
        b.putInt(at + 4, pid);
        b.putInt(at + 8, value);
    }

    static void commit(ByteBuffer b, int end, long flags) { b.putLong(8, (end - 16) | flags); }

    @Test
    void everyKindOfHeader() {
        ByteBuffer b = page();
        b.putLong(0, 1_000_000L);
        int at = 16;
        at = small(b, at, 5, 10, 1);                         // ts 1_000_005
        b.putInt(at, (7 << 5) | 30);                          // time extend: + (3 << 27) + 7
        b.putInt(at + 4, 3);
        at += 8;
        b.putInt(at, (2 << 5));                               // type_len 0: length word follows (counts itself)
        b.putInt(at + 4, 4 + 16);
        record(b, at + 8, 11, -2);
        at += 8 + 16;
        b.putInt(at, (9 << 5) | 29);                          // discarded event (padding with a delta): skipped
        b.putInt(at + 4, 12);
        at += 16;
        b.putInt(at, (1 << 5) | 31);                          // absolute time stamp 5 << 27 | 1
        b.putInt(at + 4, 5);
        at += 8;
        at = small(b, at, 4, 12, 3);
        commit(b, at, 0);
        b.putInt(at, 29);                                     // null padding would end the page anyway
        PageDecoder d = new PageDecoder(PageLayout.linux64(), types, 0, sink);
        assertEquals(at - 16, d.decode(b, 0, 0));
        long t1 = 1_000_005L;
        long t2 = t1 + (3L << 27) + 7 + 2;
        long t3 = (5L << 27) + 1 + 4;
        assertEquals(List.of(t1 + " 10 1 12", t2 + " 11 -2 16", t3 + " 12 3 12"), seen);
        assertEquals(3, d.events());
        assertEquals(0, d.missedEvents() + d.missedUnknown() + d.malformed() + d.unknownTypes());
    }

    @Test
    void missedEventsStoredAfterTheDataAndUnknownTypes() {
        ByteBuffer b = page();
        b.putLong(0, 500);
        int at = small(b, 16, 1, 1, 1);
        b.putInt(at, (1 << 5) | 3);                           // an event of a type never declared
        b.putShort(at + 4, (short) (KID + 1));
        at += 16;
        commit(b, at, PageLayout.MISSED_EVENTS | PageLayout.MISSED_STORED);
        b.putLong(at, 77);
        PageDecoder d = new PageDecoder(PageLayout.linux64(), types, 0, sink);
        d.decode(b, 0, 0);
        assertEquals(77, d.missedEvents());
        assertEquals(1, d.unknownTypes());
        ByteBuffer c = page();
        commit(c, small(c, 16, 1, 1, 1), PageLayout.MISSED_EVENTS);
        d.decode(c, 0, 0);
        assertEquals(1, d.missedUnknown());
        assertEquals(2, d.events());
    }

    /** The mmap reader decodes the page the kernel is still writing in steps: each step resumes where it stopped. */
    @Test
    void resumesAPageTheKernelIsStillWriting() {
        ByteBuffer b = page();
        b.putLong(0, 100);
        int at = small(b, 16, 1, 1, 1);
        commit(b, at, 0);
        PageDecoder d = new PageDecoder(PageLayout.linux64(), types, 0, sink);
        int pos = d.decode(b, 0, 0);
        at = small(b, at, 2, 2, 2);
        at = small(b, at, 3, 3, 3);
        commit(b, at, 0);
        pos = d.decode(b, 0, pos);
        assertEquals(at - 16, pos);
        assertEquals(pos, d.decode(b, 0, pos));
        assertEquals(List.of("101 1 1 12", "103 2 2 12", "106 3 3 12"), seen);
    }
}
