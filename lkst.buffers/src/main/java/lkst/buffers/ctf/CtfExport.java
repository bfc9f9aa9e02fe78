package lkst.buffers.ctf;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.UUID;
import lkst.api.EventType;
import lkst.api.Field;
import lkst.api.FieldType;
import lkst.buffers.api.TraceRecord;
import lkst.buffers.files.IoErrors;
import lkst.buffers.ring.RecordCursor;
import lkst.buffers.trace.TraceLosses;
import lkst.buffers.trace.TraceReader;

/**
 * Writes a trace directory as a CTF 1.8 trace (the Common Trace Format of LTTng, read by babeltrace2 and Trace
 * Compass): a {@code metadata} file in TSDL and one stream file per CPU, {@code cpuN}.
 *
 * <p>The mapping: one CTF event class per event type of the trace's metadata (its catalog ID and name); the event
 * header holds the ID and the CLOCK_MONOTONIC time stamp (clock {@code monotonic}, 1 GHz, offset by CLOCK_REALTIME −
 * CLOCK_MONOTONIC as the trace recorded it when it was made, so readers show wall-clock times; 0 for a trace that
 * did not record it); the event context holds pid and tid; the fields keep their
 * names and their integer sizes and signedness; a fixed kernel array of numbers ({@code unsigned long args[6]}) is a
 * CTF array of such integers; text and byte fields become strings, as {@code print} shows them. The packet context carries {@code cpu_id}, so readers group streams by CPU. Field names are written with a
 * leading underscore, which CTF readers remove, so that a field may be named like a TSDL keyword.
 *
 * <p>Within a CPU, records reach a buffer in the order their writers claimed space, which may differ from the
 * order of their time stamps by a preempted writer's delay; CTF wants each stream in time order, so records are
 * re-ordered within a window of {@link #REORDER_NS}. A record older than what was already written (a writer
 * stalled longer than that) is written with the last time written and counted in {@link Result#retimed()}.
 *
 * <p>Events the trace lacks ({@code trace.lost}: dropped by the kernel, refused by full buffers) are the
 * {@code events_discarded} of an empty packet at the end of their CPU's stream, so CTF readers report them
 * (babeltrace2: "Tracer discarded N events"); when they were lost is not known, only that it was before the end.
 */
public final class CtfExport {
    /** How far back in time a record may arrive and still be put in its place. */
    public static final long REORDER_NS = 100_000_000L;
    /** Bytes of events per packet (a packet is the unit a CTF reader indexes and seeks). */
    static final int PACKET_EVENTS = 256 * 1024;
    static final int MAGIC = 0xC1FC1FC1;
    static final int PACKET_HEADER = 4 + 16 + 4;
    static final int PACKET_CONTEXT = 8 * 5 + 4;

    /** Events written per CPU, and records written with a later time than their own (see the class comment). */
    public record Result(Path out, Map<Integer, Long> events, long retimed) {}

    private CtfExport() {}

    /** Exports the trace in {@code dir} to {@code out} (created; must not exist or be empty). */
    public static Result export(Path dir, Path out) {
        TraceReader reader = TraceReader.open(dir);
        try {
            if (Files.exists(out) && (!Files.isDirectory(out) || !TraceReader.isEmpty(out))) {
                throw new IllegalArgumentException(out + " exists and is not an empty directory");
            }
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + out + ": " + IoErrors.text(e), e);
        }
        return export(reader, out);
    }

    /** Exports the trace {@code reader} reads into the directory {@code out}, which exists and is empty. */
    public static Result export(TraceReader reader, Path out) {
        try {
            UUID uuid = UUID.randomUUID();
            Map<String, EventType> byName = new HashMap<>();
            for (EventType t : reader.metadata().events()) byName.put(t.name(), t);
            Files.writeString(out.resolve("metadata"), metadata(uuid, reader.metadata().realtimeOffset(), reader.metadata().events()));
            Map<Integer, Stream> streams = new TreeMap<>();
            reader.forEach(RecordCursor.Torn.FAIL, r -> {
                Stream s = streams.computeIfAbsent(r.cpu(), c -> new Stream(out.resolve("cpu" + c), c, uuid));
                EventType t = byName.get(r.event());
                if (t == null) throw new IllegalStateException("record of event " + r.event() + " not in the metadata");
                s.add(r, t);
            });
            Map<Integer, Long> counts = new TreeMap<>();
            long retimed = 0;
            TraceLosses losses = reader.losses();
            for (Stream s : streams.values()) {
                s.close(losses == null ? 0 : losses.total(s.cpu));
                counts.put(s.cpu, s.events);
                retimed += s.retimed;
            }
            return new Result(out, counts, retimed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write CTF trace " + out + ": " + IoErrors.text(e), e);
        }
    }

    // ------------------------------------------------------------------ metadata (TSDL)

    static String metadata(UUID uuid, long realtimeOffset, List<EventType> events) {
        StringBuilder m = new StringBuilder(4096);
        m.append("/* CTF 1.8 */\n\n");
        m.append("typealias integer { size = 8; align = 8; signed = false; } := uint8_t;\n");
        m.append("typealias integer { size = 32; align = 8; signed = false; } := uint32_t;\n");
        m.append("typealias integer { size = 64; align = 8; signed = false; } := uint64_t;\n");
        m.append("typealias integer { size = 32; align = 8; signed = true; } := int32_t;\n\n");
        m.append("trace {\n\tmajor = 1;\n\tminor = 8;\n\tuuid = \"").append(uuid).append("\";\n\tbyte_order = le;\n");
        m.append("\tpacket.header := struct {\n\t\tuint32_t magic;\n\t\tuint8_t uuid[16];\n\t\tuint32_t stream_id;\n\t};\n};\n\n");
        m.append("env {\n\ttracer_name = \"lkst-j\";\n\tdomain = \"kernel+jvm\";\n};\n\n");
        m.append("clock {\n\tname = \"monotonic\";\n\tdescription = \"CLOCK_MONOTONIC (ftrace clock mono, System.nanoTime)\";\n");
        m.append("\tfreq = 1000000000;\n\toffset_s = ").append(Math.floorDiv(realtimeOffset, 1_000_000_000L))
                .append(";\n\toffset = ").append(Math.floorMod(realtimeOffset, 1_000_000_000L)).append(";\n};\n\n");
        m.append("typealias integer { size = 64; align = 8; signed = false; map = clock.monotonic.value; } := uint64_clock_t;\n\n");
        m.append("stream {\n\tid = 0;\n");
        m.append("\tpacket.context := struct {\n\t\tuint64_clock_t timestamp_begin;\n\t\tuint64_clock_t timestamp_end;\n");
        m.append("\t\tuint64_t content_size;\n\t\tuint64_t packet_size;\n\t\tuint64_t events_discarded;\n\t\tuint32_t cpu_id;\n\t};\n");
        m.append("\tevent.header := struct {\n\t\tuint32_t id;\n\t\tuint64_clock_t timestamp;\n\t};\n");
        m.append("\tevent.context := struct {\n\t\tint32_t _pid;\n\t\tint32_t _tid;\n\t};\n};\n");
        for (EventType t : events) {
            m.append("\nevent {\n\tname = ").append(quoted(t.name())).append(";\n\tid = ").append(t.id())
                    .append(";\n\tstream_id = 0;\n\tfields := struct {\n");
            for (Field f : t.fields()) {
                FieldType ft = f.type();
                m.append("\t\t");
                if (ft.isNumber()) {
                    m.append(integer(ft)).append(" _").append(identifier(f.name()));
                } else if (elements(f) > 0) {
                    m.append(integer(f.element())).append(" _").append(identifier(f.name())).append('[').append(elements(f)).append(']');
                } else {
                    m.append("string _").append(identifier(f.name()));
                }
                m.append(";\n");
            }
            m.append("\t};\n};\n");
        }
        return m.toString();
    }

    private static String integer(FieldType t) {
        return "integer { size = " + t.size() * 8 + "; align = 8; signed = " + t.signed() + "; }";
    }

    /** The element count of a fixed kernel array of numbers (unsigned long args[6]: 6), else 0. */
    static int elements(Field f) {
        return f.type() == FieldType.ARRAY && f.element() != null && f.element().isNumber() && f.size() > 0
                ? f.size() / f.element().size() : 0;
    }

    private static String quoted(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** A TSDL identifier for a field name (letters, digits and _ kept, anything else as _). */
    static String identifier(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            b.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_') ? c : '_');
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ one stream per CPU

    /** A CPU's stream file: records re-ordered by time within {@link #REORDER_NS}, written a packet at a time. */
    private static final class Stream {
        final int cpu;
        final OutputStream file;
        final byte[] uuid = new byte[16];
        final PriorityQueue<Pending> window = new PriorityQueue<>();
        final ByteBuffer packet = ByteBuffer.allocate(PACKET_EVENTS + 64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        long seq;
        long newest = Long.MIN_VALUE;
        long lastWritten = Long.MIN_VALUE;
        long begin = -1;
        long end;
        long events;
        long retimed;

        Stream(Path path, int cpu, UUID id) {
            this.cpu = cpu;
            ByteBuffer.wrap(uuid).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
            try {
                this.file = Files.newOutputStream(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + path + ": " + IoErrors.text(e), e);
            }
        }

        void add(TraceRecord r, EventType t) {
            window.add(new Pending(r.time(), seq++, encode(r, t)));
            newest = Math.max(newest, r.time());
            while (!window.isEmpty() && window.peek().time < newest - REORDER_NS) write(window.poll());
        }

        /** Event header (id, time: filled in when written), context (pid, tid), then the fields. */
        private static byte[] encode(TraceRecord r, EventType t) {
            ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(t.id()).putLong(0).putInt(r.pid()).putInt(r.tid());
            List<Field> fields = t.fields();
            List<Object> values = new ArrayList<>(r.fields().values());
            for (int i = 0; i < fields.size(); i++) {
                FieldType ft = fields.get(i).type();
                Object v = i < values.size() ? values.get(i) : null;
                if (ft.isNumber()) {
                    long n = v instanceof BigInteger big ? big.longValue() : v instanceof Number num ? num.longValue() : 0;
                    b = put(room(b, 8), ft, n);
                } else if (elements(fields.get(i)) > 0) {
                    // print's "{1,2,…}" (u64 elements in hex), back to numbers
                    FieldType el = fields.get(i).element();
                    String text = String.valueOf(v);
                    String[] items = text.length() > 2 ? text.substring(1, text.length() - 1).split(",") : new String[0];
                    for (int k = 0; k < elements(fields.get(i)); k++) {
                        String item = k < items.length ? items[k] : "0";
                        long n = item.startsWith("0x") ? Long.parseUnsignedLong(item.substring(2), 16) : Long.parseLong(item);
                        b = put(room(b, 8), el, n);
                    }
                } else {
                    byte[] s = String.valueOf(v == null ? "" : v).replace("\0", "").getBytes(StandardCharsets.UTF_8);
                    b = room(b, s.length + 1);
                    b.put(s).put((byte) 0);
                }
            }
            byte[] out = new byte[b.position()];
            b.flip().get(out);
            return out;
        }

        private static ByteBuffer put(ByteBuffer b, FieldType t, long n) {
            switch (t.size()) {
                case 1: return b.put((byte) n);
                case 2: return b.putShort((short) n);
                case 4: return b.putInt((int) n);
                default: return b.putLong(n);
            }
        }

        private static ByteBuffer room(ByteBuffer b, int n) {
            if (b.remaining() >= n) return b;
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n)).order(ByteOrder.LITTLE_ENDIAN);
            return bigger.put(b.flip());
        }

        private void write(Pending p) {
            long time = p.time;
            if (time < lastWritten) {
                time = lastWritten;
                retimed++;
            }
            lastWritten = time;
            if (packet.position() > 0 && packet.position() + p.event.length > PACKET_EVENTS) flushPacket(0);
            if (begin < 0) begin = time;
            end = time;
            int at = packet.position();
            packet.put(p.event);
            packet.putLong(at + 4, time);
            events++;
        }

        private void flushPacket(long discardedSoFar) {
            if (begin < 0) begin = end; // an empty packet (only losses to report): at the last time written
            int content = PACKET_HEADER + PACKET_CONTEXT + packet.position();
            ByteBuffer head = ByteBuffer.allocate(PACKET_HEADER + PACKET_CONTEXT).order(ByteOrder.LITTLE_ENDIAN);
            head.putInt(MAGIC).put(uuid).putInt(0);
            head.putLong(begin).putLong(end).putLong(content * 8L).putLong(content * 8L).putLong(discardedSoFar).putInt(cpu);
            try {
                file.write(head.array());
                file.write(packet.array(), 0, packet.position());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write CTF stream of cpu " + cpu + ": " + IoErrors.text(e), e);
            }
            packet.clear();
            begin = -1;
        }

        /** Writes what waits, then {@code discarded} (events the trace says this CPU lost), and closes the file. */
        void close(long discarded) throws IOException {
            while (!window.isEmpty()) write(window.poll());
            if (packet.position() > 0) flushPacket(0);
            // then an empty packet with the losses: a count after a packet with none is one readers can report
            if (discarded > 0) flushPacket(discarded);
            file.close();
        }
    }

    /** A record waiting in the re-order window; ties keep the order records were read in. */
    private record Pending(long time, long seq, byte[] event) implements Comparable<Pending> {
        @Override
        public int compareTo(Pending o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
