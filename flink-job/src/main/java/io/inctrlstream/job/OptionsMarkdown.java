package io.inctrlstream.job;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;
import org.apache.flink.util.TimeUtils;

/**
 * Writes the job's options as a Markdown table (key, type, default, description), the one in
 * docs/inspection-job.md. Run {@link #main} to print it; a test keeps the page current.
 */
public final class OptionsMarkdown {
    private OptionsMarkdown() {}

    /** Prints the table of {@link InspectionJobOptions}. */
    public static void main(String[] args) {
        System.out.print(table());
    }

    /** The table of {@link InspectionJobOptions}, in declaration order, ending with a newline. */
    public static String table() {
        StringBuilder table = new StringBuilder();
        table.append("| key | type | default | description |\n");
        table.append("|---|---|---|---|\n");
        for (Field field : InspectionJobOptions.class.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())
                    || !ConfigOption.class.isAssignableFrom(field.getType())) {
                continue;
            }
            ConfigOption<?> option = read(field);
            table.append("| `")
                    .append(option.key())
                    .append("`")
                    .append(fallbackKeysText(option))
                    .append(" | ")
                    .append(typeName(field))
                    .append(" | ")
                    .append(defaultText(option))
                    .append(" | ")
                    .append(escape(description(option)))
                    .append(" |\n");
        }
        return table.toString();
    }

    /** The option's description as plain text. */
    public static String description(ConfigOption<?> option) {
        StringBuilder text = new StringBuilder();
        for (BlockElement block : option.description().getBlocks()) {
            if (block instanceof TextElement element) {
                text.append(element.getFormat());
            }
        }
        return text.toString().trim();
    }

    private static ConfigOption<?> read(Field field) {
        try {
            return (ConfigOption<?>) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read option " + field.getName(), e);
        }
    }

    private static String typeName(Field field) {
        Type type = ((ParameterizedType) field.getGenericType()).getActualTypeArguments()[0];
        if (type instanceof Class<?> valueClass) {
            if (valueClass.isEnum()) {
                return Arrays.stream(valueClass.getEnumConstants())
                        .map(Object::toString)
                        .collect(Collectors.joining(" / "));
            }
            return valueClass.getSimpleName();
        }
        return "Map";
    }

    /** Flink's own keys an option also reads, e.g. " (or `execution.checkpointing.dir`)". */
    private static String fallbackKeysText(ConfigOption<?> option) {
        StringBuilder text = new StringBuilder();
        for (FallbackKey key : option.fallbackKeys()) {
            text.append(text.length() == 0 ? " (or " : ", ").append('`').append(key.getKey());
            text.append('`');
        }
        return text.length() == 0 ? "" : text.append(')').toString();
    }

    private static String defaultText(ConfigOption<?> option) {
        if (!option.hasDefaultValue()) {
            return description(option).contains("Required.") ? "(required)" : "(none)";
        }
        Object value = option.defaultValue();
        if (value instanceof Duration duration) {
            return "`" + TimeUtils.formatWithHighestUnit(duration) + "`";
        }
        if (value instanceof MemorySize size) {
            return "`" + size + "`";
        }
        if ((value instanceof Map<?, ?> map && map.isEmpty()) || "".equals(value)) {
            return "(none)";
        }
        return "`" + value + "`";
    }

    private static String escape(String text) {
        return text.replace("|", "\\|");
    }
}
