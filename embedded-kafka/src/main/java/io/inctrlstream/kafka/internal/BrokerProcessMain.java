package io.inctrlstream.kafka.internal;

import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.InputStream;

/**
 * The main class of a {@link io.inctrlstream.kafka.KafkaBrokerProcess}: starts an {@link
 * EmbeddedKafkaBroker} whose log directory is its first argument (kept: the parent deletes it) and
 * whose broker settings are the {@code key=value} arguments that follow, prints {@link #READY} and
 * the bootstrap servers on a line of standard output, and stops the broker when its standard input
 * ends (the parent closed it, or died).
 */
public final class BrokerProcessMain {
    /** What the ready line starts with; the bootstrap servers follow it. */
    public static final String READY = "inctrl-broker-ready ";

    private BrokerProcessMain() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("expected a log directory and broker settings, found no arguments");
            System.exit(2);
        }
        EmbeddedKafkaBroker.Builder builder =
                EmbeddedKafkaBroker.builder().logDirectory(java.nio.file.Path.of(args[0]));
        for (String arg : java.util.Arrays.asList(args).subList(1, args.length)) {
            int equals = arg.indexOf('=');
            if (equals <= 0) {
                System.err.println("expected a broker setting key=value, found '" + arg + "'");
                System.exit(2);
            }
            builder.brokerProperty(arg.substring(0, equals), arg.substring(equals + 1));
        }
        try (EmbeddedKafkaBroker broker = builder.build()) {
            broker.start();
            System.out.println(READY + broker.bootstrapServers());
            System.out.flush();
            InputStream in = System.in;
            while (in.read() >= 0) {
                // anything the parent writes is ignored; the end of the stream stops the broker
            }
        }
        System.exit(0);
    }
}
