package io.kronika.launcher.bench;

/** The answer to one conditional write: accepted, or rejected with the store's reason. */
record WriteOutcome(boolean accepted, String rejectReason) {
    static final WriteOutcome ACCEPTED = new WriteOutcome(true, null);

    static WriteOutcome rejected(String reason) {
        return new WriteOutcome(false, reason == null || reason.isEmpty() ? "rejected" : reason);
    }
}
