package io.kronika.eventstore.admission;

/** Names of the admission processor's state stores (their changelogs are internal topics of the application). */
final class AdmissionStores {
    /** Object key → the event that produced its current state. */
    static final String OBJECTS = "objects";
    /** "revision" → last assigned revision; "timestamp" → time of the last event (event time never goes back). */
    static final String SEQUENCE = "sequence";
    /** Command id → the answer it got, so a retried command is answered, not applied again. */
    static final String ANSWERED = "answered-commands";
    /** Zero-padded answer time + "|" + command id, to forget answers after the retry window in time order. */
    static final String ANSWERED_BY_TIME = "answered-commands-by-time";

    static final String REVISION = "revision";
    static final String TIMESTAMP = "timestamp";

    private AdmissionStores() {
    }
}
