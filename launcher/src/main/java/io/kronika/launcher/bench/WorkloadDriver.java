package io.kronika.launcher.bench;

import java.util.concurrent.CompletableFuture;

/**
 * One store under test. Writer {@code i} owns object {@code i}; {@link #write} updates it on condition that it still
 * has the revision the previous accepted write of that writer returned. A writer never calls {@code write} again
 * before its previous future completed, so a driver may keep per-writer state without locks.
 */
interface WorkloadDriver {
    /** Name in the result table. */
    String system();

    /** Creates the objects of writers {@code 0 … writers-1} and remembers their revisions. */
    void prepare(int writers) throws Exception;

    /** One conditional write by {@code writer}; completes when the store answered. */
    CompletableFuture<WriteOutcome> write(int writer);
}
