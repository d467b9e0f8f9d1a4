package io.inctrlstream.job.inference;

import java.util.List;
import java.util.Objects;

/**
 * Asks the backend for a new shot bank for a line: the bank {@code baseBank} (null: start empty)
 * extended with {@code newShots} (may be empty), with the text prototypes of {@code category}.
 * Covers every bank change: set shots (no base), add shots (base + new shots) and set category
 * (base, no new shots, new category).
 *
 * @param lineId the production line
 * @param baseBank the current serialized bank to start from, or null
 * @param newShots shot images to encode and add; never null
 * @param category the product category, or null for the backend's default
 */
public record BankBuildRequest(
        String lineId, byte[] baseBank, List<ImagePayload> newShots, String category) {
    public BankBuildRequest {
        Objects.requireNonNull(lineId, "lineId");
        newShots = List.copyOf(Objects.requireNonNull(newShots, "newShots"));
        if (baseBank == null && newShots.isEmpty()) {
            throw new IllegalArgumentException(
                    "a bank build needs a base bank or new shots, found neither for line "
                            + lineId);
        }
    }
}
