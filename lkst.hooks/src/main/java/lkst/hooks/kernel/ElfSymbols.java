package lkst.hooks.kernel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Finds a symbol's file offset in an ELF64 little-endian file, as a uprobe wants it ({@code PATH:0xOFFSET}).
 * Layouts (System V gABI, ELF64):
 * <pre>
 *   header:  e_ident[16] (7f 'E' 'L' 'F', class @4 = 2, data @5 = 1) | e_phoff u64 @0x20 | e_shoff u64 @0x28
 *            e_phentsize u16 @0x36 | e_phnum u16 @0x38 | e_shentsize u16 @0x3a | e_shnum u16 @0x3c
 *   section: sh_name u32 @0 | sh_type u32 @4 (2 symtab, 11 dynsym) | sh_offset u64 @24 | sh_size u64 @32
 *            sh_link u32 @40 (its string table) | sh_entsize u64 @56
 *   symbol:  st_name u32 @0 | st_info u8 @4 | st_shndx u16 @6 | st_value u64 @8   (24 bytes)
 *   program: p_type u32 @0 (1 = PT_LOAD, 4 = PT_NOTE) | p_offset u64 @8 | p_vaddr u64 @16 | p_filesz u64 @32
 *   note:    n_namesz u32 @0 | n_descsz u32 @4 | n_type u32 @8 (3 = NT_GNU_BUILD_ID) | name "GNU\0" @12, then desc,
 *            each padded to 4 bytes
 * </pre>
 * The offset is the symbol's address translated through the PT_LOAD segment that contains it.
 */
public final class ElfSymbols {
    private static final int SHT_SYMTAB = 2, SHT_DYNSYM = 11, PT_LOAD = 1, PT_NOTE = 4, NT_GNU_BUILD_ID = 3, SHN_UNDEF = 0;

    private ElfSymbols() {}

    /** The file offset of {@code symbol} in {@code file}; throws with a clear message when it cannot be found. */
    public static long offsetOf(Path file, String symbol) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            ByteBuffer b = map.order(ByteOrder.LITTLE_ENDIAN);
            if (b.limit() < 64 || b.getInt(0) != 0x464c457f) throw new IllegalArgumentException(file + " is not an ELF file");
            if (b.get(4) != 2 || b.get(5) != 1) {
                throw new IllegalArgumentException(file + " is not a 64-bit little-endian ELF file");
            }
            long vaddr = find(b, symbol, SHT_SYMTAB);
            if (vaddr < 0) vaddr = find(b, symbol, SHT_DYNSYM);
            if (vaddr < 0) throw new IllegalArgumentException("no symbol '" + symbol + "' defined in " + file);
            return toFileOffset(b, vaddr, file, symbol);
        }
    }

    /**
     * The GNU build-id of {@code file} in hex (the {@code .note.gnu.build-id} the linker writes, as {@code file} and
     * {@code readelf -n} show it), or null when it has none.
     */
    public static String buildId(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
            if (b.limit() < 64 || b.getInt(0) != 0x464c457f || b.get(4) != 2 || b.get(5) != 1) {
                throw new IllegalArgumentException(file + " is not a 64-bit little-endian ELF file");
            }
            long phoff = b.getLong(0x20);
            int phentsize = Short.toUnsignedInt(b.getShort(0x36));
            int phnum = Short.toUnsignedInt(b.getShort(0x38));
            for (int i = 0; i < phnum; i++) {
                int ph = (int) (phoff + (long) i * phentsize);
                if (b.getInt(ph) != PT_NOTE) continue;
                long at = b.getLong(ph + 8), end = at + b.getLong(ph + 32);
                while (at + 12 <= end) {
                    int namesz = b.getInt((int) at), descsz = b.getInt((int) at + 4), type = b.getInt((int) at + 8);
                    int desc = (int) (at + 12 + align4(namesz));
                    if (type == NT_GNU_BUILD_ID && namesz == 4 && b.getInt((int) at + 12) == 0x00554e47) { // "GNU\0"
                        StringBuilder hex = new StringBuilder();
                        for (int k = 0; k < descsz; k++) hex.append(String.format("%02x", b.get(desc + k)));
                        return hex.toString();
                    }
                    at = desc + align4(descsz);
                }
            }
            return null;
        }
    }

    private static long align4(int n) { return (Integer.toUnsignedLong(n) + 3) & ~3L; }

    private static long find(ByteBuffer b, String symbol, int type) {
        long shoff = b.getLong(0x28);
        int shentsize = Short.toUnsignedInt(b.getShort(0x3a));
        int shnum = Short.toUnsignedInt(b.getShort(0x3c));
        byte[] want = symbol.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < shnum; i++) {
            int sh = (int) (shoff + (long) i * shentsize);
            if (b.getInt(sh + 4) != type) continue;
            int off = (int) b.getLong(sh + 24);
            long size = b.getLong(sh + 32);
            long entsize = Math.max(24, b.getLong(sh + 56));
            int strtab = (int) (shoff + (long) b.getInt(sh + 40) * shentsize);
            int strOff = (int) b.getLong(strtab + 24);
            for (long s = 0; s + 24 <= size; s += entsize) {
                int sym = (int) (off + s);
                if (Short.toUnsignedInt(b.getShort(sym + 6)) == SHN_UNDEF) continue;
                long value = b.getLong(sym + 8);
                if (value == 0) continue;
                if (nameEquals(b, strOff + b.getInt(sym), want)) return value;
            }
        }
        return -1;
    }

    private static boolean nameEquals(ByteBuffer b, int at, byte[] want) {
        for (int i = 0; i < want.length; i++) if (b.get(at + i) != want[i]) return false;
        return b.get(at + want.length) == 0;
    }

    private static long toFileOffset(ByteBuffer b, long vaddr, Path file, String symbol) {
        long phoff = b.getLong(0x20);
        int phentsize = Short.toUnsignedInt(b.getShort(0x36));
        int phnum = Short.toUnsignedInt(b.getShort(0x38));
        for (int i = 0; i < phnum; i++) {
            int ph = (int) (phoff + (long) i * phentsize);
            if (b.getInt(ph) != PT_LOAD) continue;
            long off = b.getLong(ph + 8), va = b.getLong(ph + 16), filesz = b.getLong(ph + 32);
            if (vaddr >= va && vaddr < va + filesz) return vaddr - va + off;
        }
        throw new IllegalArgumentException("symbol '" + symbol + "' of " + file + " (0x" + Long.toHexString(vaddr)
                + ") lies in no loadable segment");
    }
}
