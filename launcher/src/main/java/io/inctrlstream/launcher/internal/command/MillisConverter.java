package io.inctrlstream.launcher.internal.command;

import io.inctrlstream.launcher.internal.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a plain number as milliseconds, or a duration with a unit ({@code 10s}). */
public final class MillisConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            if (value.trim().matches("\\d+")) {
                return Duration.ofMillis(Long.parseLong(value.trim()));
            }
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
