package lkst.buffers.ring;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import lkst.buffers.api.BufferMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Claim and commit on one buffer, step by step, as two writers would interleave them. */
class RecordBufferTest {
    @TempDir Path tmp;
    final ByteBuffer payload = ByteBuffer.allocate(64);

    RecordBuffer buffer(int size, BufferMode mode) {
        return RecordBuffer.create(tmp.resolve("b.lkst"), 0, 0, size, mode, -1);
    }

    long claimAndCommit(RecordBuffer b) {
        long p = b.claim(64);
        if (p >= 0) b.commit(p, 64, 1, 0, 0, 0, payload, 0, 32);
        return p;
    }

    @Test
    void overwriteModeNeverReusesAPageWhileAWriterOfThePreviousLapIsStillInIt() {
        RecordBuffer b = buffer(2 * 65536, BufferMode.OVERWRITE); // two 64 KiB pages
        long stalled = b.claim(64); // a writer claims, then stalls before committing
        assertEquals(0, stalled);
        long p;
        do {
            p = claimAndCommit(b); // another writer goes round the buffer
        } while (p >= 0 && p < 2 * 65536 - 64);
        assertEquals(2 * 65536 - 64, p, "the whole first lap was written");
        assertEquals(RecordBuffer.BUSY, b.claim(64), "page 0 still holds the stalled record");
        assertEquals(RecordBuffer.BUSY, b.claim(64));
        b.commit(stalled, 64, 1, 0, 0, 0, payload, 0, 32);
        assertEquals(2 * 65536, b.claim(64), "once committed, the page is reused");
    }

    @Test
    void aPayloadOutsideItsBufferIsRefusedAsLostAndThePageStaysReusable() {
        RecordBuffer b = buffer(2 * 65536, BufferMode.OVERWRITE);
        long p = b.claim(64);
        assertThrows(IndexOutOfBoundsException.class, () -> b.commit(p, 64, 1, 0, 0, 0, payload, 40, 32));
        assertEquals(1, b.lost());
        assertEquals(0, b.written());
        long q;
        int n = 0;
        do {
            q = claimAndCommit(b);
            n++;
        } while (q >= 0 && q < 3 * 65536); // round the buffer and on into page 0 and 1 of the next lap
        assertTrue(q >= 3 * 65536, "the refused record became padding: its page was reused, got " + q);
        assertEquals(n, b.written());
        assertEquals(1, b.lost());
    }

    @Test
    void theWriterWhosePaddingEndsTheLapOfAOnePageBufferCanStartTheNext() {
        RecordBuffer b = buffer(4096, BufferMode.OVERWRITE);
        long p = 0;
        for (int i = 0; i < 63; i++) p = claimAndCommit(b); // 63 * 64 = 4032: 64 bytes left
        assertEquals(62 * 64, p);
        long big = b.claim(128); // does not fit: pads the last 64 bytes, starts lap 1 at 4096
        assertEquals(4096, big);
        b.commit(big, 128, 1, 0, 0, 0, payload, 0, 64);
        assertEquals(4096 + 128, claimAndCommit(b));
    }

    @Test
    void discardModeRefusesOnceFullUntilDrained() {
        RecordBuffer b = buffer(4096, BufferMode.DISCARD);
        for (int i = 0; i < 64; i++) assertEquals(i * 64L, claimAndCommit(b));
        assertEquals(RecordBuffer.FULL, b.claim(64));
        b.soConsumed(128);
        assertEquals(4096, claimAndCommit(b));
        assertEquals(4096 + 64, claimAndCommit(b));
        assertEquals(RecordBuffer.FULL, b.claim(64));
    }

    @Test
    void aRecordThatWouldLeaveEightBytesTakesThemAsSlack() {
        RecordBuffer b = buffer(4096, BufferMode.DISCARD);
        long p = b.claim(4088);
        assertEquals(0, p);
        b.commit(p, 4088, 1, 0, 0, 0, payload, 0, 0);
        assertEquals(4096, b.lvPosition(), "no 8-byte hole that a padding record could not fill");
    }

    @Test
    void theHeaderFieldsStoredInPairsReadBackOneByOne() {
        RecordBuffer b = buffer(4096, BufferMode.DISCARD);
        for (int i = 0; i < 20; i++) payload.put(i, (byte) (i + 1));
        long p = b.claim(56);
        b.commit(p, 56, 0x7654321, 0x0123456789abcdefL, -1, -2, payload, 0, 20); // pid, tid -1, -2: sign bits
        ByteBuffer c = b.content();
        int at = BufferDescriptor.FILE_HEADER_LENGTH + (int) p;
        assertEquals(56, c.getInt(at));
        assertEquals(RecordDescriptor.stamp(p), c.getInt(at + 4));
        assertEquals(0x7654321, c.getInt(at + RecordDescriptor.EVENT_ID_OFFSET));
        assertEquals(20, c.getInt(at + RecordDescriptor.PAYLOAD_LENGTH_OFFSET));
        assertEquals(0x0123456789abcdefL, c.getLong(at + RecordDescriptor.TIMESTAMP_OFFSET));
        assertEquals(-1, c.getInt(at + RecordDescriptor.PID_OFFSET));
        assertEquals(-2, c.getInt(at + RecordDescriptor.TID_OFFSET));
        for (int i = 0; i < 20; i++) assertEquals(i + 1, c.get(at + RecordDescriptor.HEADER_LENGTH + i));
        assertEquals(1, b.written());
    }
}
