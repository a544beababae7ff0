package io.kronika.projections;

import java.util.List;

/**
 * One page of a list taken at {@code revision}: every page of one list is cut from the same snapshot.
 * {@code continueAfterKey} is the last key of this page when more items may follow, else null.
 */
public record ListPage(long revision, List<StoredObject> items, String continueAfterKey) {
}
