package io.processhub.strategy;

/**
 * The 64-bit hash used for ring points and partitions: FNV-1a over the UTF-16 code units, finished with
 * the MurmurHash3 64-bit mixer so nearby strings land far apart. Never {@link String#hashCode()}: its
 * 32 bits cluster on a ring.
 */
public final class RingHash {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private RingHash() {
    }

    public static long hash(String s) {
        long h = FNV_OFFSET;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= FNV_PRIME;
        }
        return mix(h);
    }

    public static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
