package lkst.api;

/** The type of one field of an event: fixed-size integers, or variable-length strings and byte arrays. */
public enum FieldType {
    U8(1, false), S8(1, true), U16(2, false), S16(2, true),
    U32(4, false), S32(4, true), U64(8, false), S64(8, true),
    /** UTF-8 text; in a JVM event's payload: u16 length, then the bytes. */
    STRING(-1, false),
    /** raw bytes; in a JVM event's payload: u16 length, then the bytes. */
    BYTES(-1, false),
    /** a fixed-size, NUL-padded char array at a fixed offset (kernel {@code char comm[16]}) */
    CHARS(-1, false),
    /** a fixed-size array of numbers at a fixed offset (kernel {@code unsigned long args[6]}); see Field.element */
    ARRAY(-1, false);

    private final int size;
    private final boolean signed;

    FieldType(int size, boolean signed) {
        this.size = size;
        this.signed = signed;
    }

    /** Size in bytes, or -1 for a variable-length type. */
    public int size() { return size; }

    public boolean signed() { return signed; }

    public boolean isNumber() { return size > 0; }

    /** The type named as in a schema ("u32", "s64", "string", "bytes"), case-insensitive. */
    public static FieldType parse(String name) {
        for (FieldType t : values()) {
            if (t.name().equalsIgnoreCase(name)) return t;
        }
        throw new IllegalArgumentException("unknown field type '" + name + "' (expected one of u8 s8 u16 s16 u32 s32 u64 s64 string bytes)");
    }

    @Override
    public String toString() { return name().toLowerCase(); }
}
