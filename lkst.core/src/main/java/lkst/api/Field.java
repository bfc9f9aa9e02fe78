package lkst.api;

import java.util.Objects;

/**
 * One field of an event type's schema.
 *
 * <p>JVM events ({@code offset == -1}) are encoded field after field: numbers little-endian at their size,
 * strings and bytes as a u16 length followed by the bytes. Kernel events keep the kernel's own layout
 * ({@code offset >= 0}, from the tracepoint's {@code format} file): numbers at their offset; STRING and BYTES
 * at a fixed offset are {@code __data_loc} words (u16 offset | u16 length &lt;&lt; 16, relative to the payload; a
 * BYTES field may name the type of its elements in {@code element}, for arrays such as {@code __data_loc u64[]});
 * CHARS and ARRAY are fixed-size arrays of {@code size} bytes whose elements are of type {@code element}. A kernel
 * payload starts with the kernel's common header (common_type, flags, preempt count, common_pid), which the schema
 * leaves out: offsets count from the start of the record.
 */
public record Field(String name, FieldType type, int offset, int size, FieldType element) {
    public Field {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isBlank() || !name.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
            throw new IllegalArgumentException("bad field name '" + name + "'");
        }
    }

    public static Field of(String name, FieldType type) { return new Field(name, type, -1, type.size(), null); }

    public static Field u32(String name) { return of(name, FieldType.U32); }
    public static Field s32(String name) { return of(name, FieldType.S32); }
    public static Field u64(String name) { return of(name, FieldType.U64); }
    public static Field s64(String name) { return of(name, FieldType.S64); }
    public static Field string(String name) { return of(name, FieldType.STRING); }

    /** A field at a fixed offset of a kernel payload. */
    public static Field at(String name, FieldType type, int offset, int size) {
        return new Field(name, type, offset, size, null);
    }

    /** Parses "name:type", as typed in the shell. */
    public static Field parse(String spec) {
        int colon = spec.indexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("bad field '" + spec + "' (expected name:type, e.g. bytes:u32)");
        FieldType type = FieldType.parse(spec.substring(colon + 1));
        if (type == FieldType.CHARS || type == FieldType.ARRAY) {
            throw new IllegalArgumentException("bad field '" + spec + "': " + type + " is for kernel layouts only");
        }
        return of(spec.substring(0, colon), type);
    }

    @Override
    public String toString() { return name + ":" + type; }
}
