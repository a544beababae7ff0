package io.kronika.projections.fold;

/**
 * Keys of the history store: object key, a NUL separator, then {@code Long.MAX_VALUE - revision} zero-padded to 19
 * digits. NUL sorts before every character a key may hold, so one object's versions are contiguous and never
 * interleave with a key that merely starts with the same characters; the inverted revision puts them newest first,
 * so a forward seek to {@code of(key, R)} lands on the version at or before R (RocksDB seeks forwards faster than
 * it seeks backwards).
 */
public final class HistoryKeys {
    static final char SEPARATOR = '\0';
    static final int DIGITS = 19;

    private HistoryKeys() {
    }

    public static String of(String objectKey, long revision) {
        if (revision < 0) {
            throw new IllegalArgumentException("negative revision " + revision);
        }
        String digits = Long.toString(Long.MAX_VALUE - revision);
        StringBuilder key = new StringBuilder(objectKey.length() + 1 + DIGITS).append(objectKey).append(SEPARATOR);
        for (int i = digits.length(); i < DIGITS; i++) {
            key.append('0');
        }
        return key.append(digits).toString();
    }

    public static long revisionOf(String historyKey) {
        return Long.MAX_VALUE - Long.parseLong(historyKey.substring(historyKey.length() - DIGITS));
    }
}
