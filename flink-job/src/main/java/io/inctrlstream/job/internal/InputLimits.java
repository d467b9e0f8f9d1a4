package io.inctrlstream.job.internal;

import java.io.Serializable;

/**
 * What the decode stage accepts, and how much of a refused record a dead letter keeps.
 *
 * @param framesTopic the topic whose records are frames
 * @param controlTopic the topic whose records are commands
 * @param frameMaxBytes largest frame record, in bytes
 * @param commandMaxBytes largest command record, in bytes
 * @param maxPixels largest declared width * height of an image
 * @param deadLetterMaxBytes most bytes of the original record kept in a dead letter
 */
public record InputLimits(
        String framesTopic,
        String controlTopic,
        long frameMaxBytes,
        long commandMaxBytes,
        long maxPixels,
        int deadLetterMaxBytes)
        implements Serializable {
    public InputLimits {
        if (framesTopic == null || framesTopic.isBlank()) {
            throw new IllegalArgumentException("the frames topic must be named, found none");
        }
        if (controlTopic == null || controlTopic.isBlank()) {
            throw new IllegalArgumentException("the control topic must be named, found none");
        }
        if (framesTopic.equals(controlTopic)) {
            throw new IllegalArgumentException(
                    "frames and commands need different topics, found both on " + framesTopic);
        }
        requirePositive("frameMaxBytes", frameMaxBytes);
        requirePositive("commandMaxBytes", commandMaxBytes);
        requirePositive("maxPixels", maxPixels);
        if (deadLetterMaxBytes < 0) {
            throw new IllegalArgumentException(
                    "deadLetterMaxBytes must not be negative, found " + deadLetterMaxBytes);
        }
    }

    private static void requirePositive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive, found " + value);
        }
    }
}
