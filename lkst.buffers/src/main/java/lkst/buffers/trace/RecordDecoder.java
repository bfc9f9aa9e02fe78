package lkst.buffers.trace;

import static lkst.buffers.ring.RecordDescriptor.HEADER_LENGTH;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lkst.api.EventType;
import lkst.api.Field;
import lkst.api.FieldType;
import lkst.api.Payload;
import lkst.buffers.api.TraceRecord;
import lkst.buffers.files.TraceFormatException;
import lkst.buffers.ring.RecordCursor;

/** Turns the cursor's current record into a {@link TraceRecord}, with the catalog of the trace. */
public final class RecordDecoder {
    private final Map<Integer, EventType> catalog = new HashMap<>();

    public RecordDecoder(Collection<EventType> events) {
        for (EventType t : events) catalog.put(t.id(), t);
    }

    public EventType type(int id) { return catalog.get(id); }

    /**
     * @throws TraceFormatException when the event ID is not in the catalog or the fields do not fit the payload
     */
    public TraceRecord decode(RecordCursor c, int cpu, int buffer, long fileOffset) {
        EventType t = catalog.get(c.eventId());
        if (t == null) throw new TraceFormatException(c.file(), fileOffset, "unknown event id " + c.eventId());
        ByteBuffer r = c.record();
        Map<String, Object> fields = new LinkedHashMap<>();
        List<Field> schema = t.fields();
        try {
            for (int i = 0; i < schema.size(); i++) {
                Field f = schema.get(i);
                FieldType ft = f.type();
                Object v;
                if (ft.isNumber()) {
                    long n = Payload.number(schema, r, HEADER_LENGTH, i);
                    v = ft == FieldType.U64 && n < 0 ? new BigInteger(Long.toUnsignedString(n)) : (Object) n;
                } else {
                    v = Payload.text(schema, r, HEADER_LENGTH, i);
                }
                fields.put(f.name(), v);
            }
        } catch (IndexOutOfBoundsException e) {
            throw new TraceFormatException(c.file(), fileOffset, "fields of " + t.name() + " do not fit its payload of " + c.payloadLength() + " bytes");
        }
        return new TraceRecord(c.timestamp(), cpu, buffer, c.pid(), c.tid(), t.name(), fields, t.groups(), null);
    }
}
