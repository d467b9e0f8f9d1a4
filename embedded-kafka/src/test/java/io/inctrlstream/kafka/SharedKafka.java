package io.inctrlstream.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One embedded Kafka broker for all integration tests of a JVM
 * ({@code @ExtendWith(SharedKafka.class)}): started by the first test that asks for an {@link
 * EmbeddedKafkaBroker} parameter, closed (and its log directory deleted) when the test run ends.
 * Tests keep apart by using their own topics and consumer groups. In the embedded-kafka test-jar,
 * for the other modules' tests.
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
