package io.inctrlstream.launcher.internal.kafka;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * How the launcher's own Kafka clients connect: bootstrap servers plus pass-through client
 * properties (security, tuning), the same ones the job gets.
 */
public record KafkaClientSettings(String bootstrapServers, Map<String, String> properties) {
    /** Largest record the launcher produces (shots travel inline in commands). */
    static final int MAX_REQUEST_BYTES = 64 * 1024 * 1024;

    public KafkaClientSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers must not be empty");
        }
        properties = Map.copyOf(Objects.requireNonNull(properties, "properties"));
    }

    /** The username option of a PLAIN or SCRAM login module, quoted or not. */
    private static final Pattern JAAS_USERNAME =
            Pattern.compile("\\busername\\s*=\\s*(?:\"([^\"]*)\"|([^\\s;\"]+))");

    /**
     * The Kafka principal the brokers authenticate these clients as, when the settings tell it:
     * {@code User:<username>} for SASL PLAIN or SCRAM with a username in {@code sasl.jaas.config}
     * (what Kafka's default principal builder gives). Empty without SASL, and for mechanisms whose
     * principal the broker derives itself (GSSAPI, OAUTHBEARER).
     */
    public Optional<String> principal() {
        String protocol =
                properties.getOrDefault("security.protocol", "PLAINTEXT").toUpperCase(Locale.ROOT);
        String mechanism =
                properties.getOrDefault("sasl.mechanism", "GSSAPI").toUpperCase(Locale.ROOT);
        String jaas = properties.get("sasl.jaas.config");
        if (!protocol.startsWith("SASL_")
                || !(mechanism.equals("PLAIN") || mechanism.startsWith("SCRAM-"))
                || jaas == null) {
            return Optional.empty();
        }
        Matcher username = JAAS_USERNAME.matcher(jaas);
        if (!username.find()) {
            return Optional.empty();
        }
        String name = username.group(1) != null ? username.group(1) : username.group(2);
        return name.isEmpty() ? Optional.empty() : Optional.of("User:" + name);
    }

    /** Producer properties: byte[] keys and values, acks=all, idempotent. */
    public Properties producer(String clientId) {
        Properties p = base(clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(MAX_REQUEST_BYTES));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.putAll(properties);
        return p;
    }

    /**
     * Consumer properties for partitions assigned by hand: no group, no offset commits, byte[] keys
     * and values.
     */
    public Properties consumer(String clientId) {
        Properties p = base(clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        p.putAll(properties);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return p;
    }

    private Properties base(String clientId) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("client.id", clientId + "-" + UUID.randomUUID().toString().substring(0, 8));
        // Fail within seconds, not the clients' default minute, when Kafka cannot be reached.
        p.put("max.block.ms", "15000");
        p.put("default.api.timeout.ms", "15000");
        return p;
    }
}
