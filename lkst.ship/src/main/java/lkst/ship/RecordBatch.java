package lkst.ship;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The records of one CPU that go to the topic in one message ({@link Frame} RECORDS body), with where they end in
 * the CPU's log segments: once the topic acknowledges the message, that is the CPU's shipped position.
 */
final class RecordBatch {
    private ByteBuffer body = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    int cpu;
    long firstSeq;
    int count;
    /** Where the CPU's next record starts, after this batch: segment, position in it, sequence number. */
    int endSegment;
    long endPosition;
    long endSeq;

    void reset(int cpu, long firstSeq) {
        body.clear();
        this.cpu = cpu;
        this.firstSeq = firstSeq;
        count = 0;
    }

    void add(int buffer, int event, long timestamp, int pid, int tid, ByteBuffer record, int payloadOffset, int length) {
        if (body.remaining() < Frame.RECORD_HEADER + length) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(body.capacity() * 2, body.position() + Frame.RECORD_HEADER + length)).order(ByteOrder.LITTLE_ENDIAN);
            body.flip();
            bigger.put(body);
            body = bigger;
        }
        body.putInt(buffer).putInt(event).putInt(length).putInt(pid).putInt(tid).putLong(timestamp);
        body.put(record.duplicate().position(payloadOffset).limit(payloadOffset + length));
        count++;
    }

    int bytes() { return body.position(); }

    ByteBuffer body() { return body.duplicate().flip(); }
}
