package io.inctrlstream.it;

import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One embedded Kafka broker for all end-to-end tests of a JVM: started by the first test that asks
 * for an {@link EmbeddedKafkaBroker} parameter, closed (and its log directory deleted) when the
 * test run ends. Tests keep apart by using their own topics ({@link TestTopics}) and consumer
 * groups.
 */
public final class SharedKafka implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SharedKafka.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedKafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // The root store closes the broker (an AutoCloseable) at the end of the run.
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        EmbeddedKafkaBroker.class, type -> start(), EmbeddedKafkaBroker.class);
    }

    private static EmbeddedKafkaBroker start() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build();
        try {
            broker.start();
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded Kafka broker did not start", e);
        }
        return broker;
    }
}
