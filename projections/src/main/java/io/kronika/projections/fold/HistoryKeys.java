package io.kronika.projections.fold;

/**
 * Keys of the history store: object key, a NUL separator, the revision zero-padded to 19 digits. NUL sorts before
 * every character a key may hold, so one object's versions are contiguous and in revision order, and never
 * interleave with a key that merely starts with the same characters.
 */
public final class HistoryKeys {
    static final char SEPARATOR = '\0';
    static final int DIGITS = 19;

    private HistoryKeys() {
    }

    public static String of(String objectKey, long revision) {
        String digits = Long.toString(revision);
        StringBuilder key = new StringBuilder(objectKey.length() + 1 + DIGITS).append(objectKey).append(SEPARATOR);
        for (int i = digits.length(); i < DIGITS; i++) {
            key.append('0');
        }
        return key.append(digits).toString();
    }

    /** The first history key of an object (below every revision). */
    public static String first(String objectKey) {
        return of(objectKey, 0);
    }

    public static long revisionOf(String historyKey) {
        return Long.parseLong(historyKey.substring(historyKey.length() - DIGITS));
    }
}
