package lkst.buffers.view;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import lkst.buffers.report.Json;

/**
 * The HTML page of a {@link Timeline}: {@code view.html} with {@code view.css} and {@code view.js} inlined, the
 * header (what the arrays are, types, tasks, strings, losses, clock) as JSON, and the {@link PageData} gzipped and
 * base64-encoded in a script element, which the page decompresses with the browser's own DecompressionStream.
 * Nothing is fetched at view time.
 */
final class Page {
    private Page() {}

    /** What the page shows of the trace's losses: per CPU and source, or why not known. */
    record Loss(int cpu, String source, long count) {}

    static void write(Timeline t, String trace, String clock, long realtimeOffset, List<Loss> losses, String lossNote, OutputStream file) throws IOException {
        PageData data = data(t);
        StringBuilder header = header(t, trace, clock, realtimeOffset, losses, lossNote, data);
        String html = resource("view.html");
        String style = resource("view.css");
        String script = resource("view.js");
        int h = html.indexOf("{{HEADER}}");
        int d = html.indexOf("{{DATA}}");
        OutputStream out = new BufferedOutputStream(file, 1 << 16);
        out.write(html.substring(0, h).replace("{{STYLE}}", style).replace("{{TITLE}}", escape(trace)).getBytes(StandardCharsets.UTF_8));
        out.write(header.toString().getBytes(StandardCharsets.UTF_8));
        out.write(html.substring(h + "{{HEADER}}".length(), d).getBytes(StandardCharsets.UTF_8));
        OutputStream base64 = Base64.getEncoder().wrap(new NotClosing(out));
        GZIPOutputStream gzip = new GZIPOutputStream(base64, 1 << 16) {
            { def.setLevel(Deflater.DEFAULT_COMPRESSION); }
        };
        data.write(gzip);
        gzip.close(); // closes base64, which writes its last bytes; out stays open
        out.write(html.substring(d + "{{DATA}}".length()).replace("{{SCRIPT}}", script).getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static PageData data(Timeline t) {
        PageData d = new PageData();
        EventTable e = t.events;
        List<Long> far = new java.util.ArrayList<>();
        d.add("time.step", e.timeSteps(far));
        d.add("time.far", far.stream().mapToDouble(Long::doubleValue).toArray());
        d.add("cpu", e.cpus.toArray());
        d.add("task", e.tasks.toArray());
        d.add("type", e.typeOf.toArray());
        spans(d, "slice", t.slices.spans.byLane(t.cpus));
        spans(d, "state", t.states.spans.byLane(t.tasks.size()));
        spans(d, "irq", t.interrupts.spans.byLane(t.cpus));
        d.endOfLanes(); // what the first paint needs is above; the fields and strings, for the tips, below
        for (int i = 0; i < e.types.size(); i++) {
            for (FieldColumn c : e.types.get(i).fields.values()) d.add("field." + i + "." + c.name, c.ints());
        }
        int[] offsets = new int[e.strings.values().size() + 1];
        d.add("string.bytes", e.strings.bytes(offsets));
        d.add("string.offset", offsets);
        return d;
    }

    private static void spans(PageData d, String name, Spans.Sorted s) {
        d.add(name + ".start", s.start());
        d.add(name + ".end", s.end());
        d.add(name + ".value", s.value());
        d.add(name + ".first", s.first());
    }

    private static StringBuilder header(Timeline t, String trace, String clock, long realtimeOffset, List<Loss> losses, String lossNote, PageData data) {
        EventTable e = t.events;
        StringBuilder j = new StringBuilder(1 << 16);
        j.append("{\"trace\":");
        Json.quote(j, trace);
        j.append(",\"clock\":\"").append(clock).append('"');
        j.append(",\"origin\":\"").append(e.size() == 0 ? 0 : e.time(0)).append('"');
        j.append(",\"realtimeOffset\":\"").append(realtimeOffset).append('"');
        j.append(",\"cpus\":").append(t.cpus).append(",\"events\":").append(e.size());
        j.append(",\"types\":[");
        for (int i = 0; i < e.types.size(); i++) {
            EventTable.Type type = e.types.get(i);
            if (i > 0) j.append(',');
            j.append("{\"name\":");
            Json.quote(j, type.name);
            j.append(",\"lkst\":");
            Json.quote(j, String.join(",", type.lkst));
            j.append(",\"jvm\":").append(type.jvm).append(",\"count\":").append(type.count).append(",\"fields\":[");
            boolean first = true;
            for (FieldColumn c : type.fields.values()) {
                if (!first) j.append(',');
                first = false;
                j.append('[');
                Json.quote(j, c.name);
                j.append(",\"").append(c.kind().name().toLowerCase()).append("\"]");
            }
            j.append("]}");
        }
        j.append("],\"tasks\":[");
        for (int i = 0; i < t.tasks.size(); i++) {
            Tasks.Task task = t.tasks.get(i);
            if (i > 0) j.append(',');
            j.append('[').append(task.tid).append(',').append(task.pid).append(',');
            Json.quote(j, task.comm);
            j.append(']');
        }
        j.append("],\"losses\":[");
        for (int i = 0; i < losses.size(); i++) {
            Loss l = losses.get(i);
            if (i > 0) j.append(',');
            j.append("{\"cpu\":").append(l.cpu()).append(",\"source\":");
            Json.quote(j, l.source());
            j.append(",\"count\":").append(l.count()).append('}');
        }
        j.append("],\"lossNote\":");
        Json.quote(j, lossNote);
        j.append(",\"size\":").append(data.size()).append(",\"lanes\":").append(data.lanes()).append(",\"arrays\":");
        data.index(j);
        j.append('}');
        // inside <script>: no "</script" or "<!--" may appear, whatever a task's name or a field holds
        for (int i = j.indexOf("<"); i >= 0; i = j.indexOf("<", i)) j.replace(i, i + 1, "\\u003c");
        return j;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String resource(String name) {
        try (InputStream in = Page.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("the page's " + name + " is missing from lkst.buffers");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lets the base64 encoder finish (close) without closing the file under it. */
    private static final class NotClosing extends java.io.FilterOutputStream {
        NotClosing(OutputStream out) { super(out); }

        @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }

        @Override public void close() throws IOException { out.flush(); }
    }

}
