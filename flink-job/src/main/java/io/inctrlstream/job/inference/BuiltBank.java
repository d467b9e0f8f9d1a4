package io.inctrlstream.job.inference;

import java.util.Objects;

/**
 * A shot bank built by the backend, serialized (opaque to the operator, which stores it in keyed
 * state as one value per line and hands it back with every scoring request).
 *
 * @param bytes the serialized bank; not copied
 * @param shotCount how many shots the bank holds, at least 1
 */
public record BuiltBank(byte[] bytes, int shotCount) {
    public BuiltBank {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length == 0 || shotCount < 1) {
            throw new IllegalArgumentException(
                    "a built bank needs bytes and at least one shot, found "
                            + bytes.length
                            + " bytes and "
                            + shotCount
                            + " shots");
        }
    }
}
