package io.inctrlstream.model;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** Collects what one logger writes at WARN and above, while open. */
final class CapturedLogs extends AbstractAppender implements AutoCloseable {
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final String loggerName;
    private final LoggerContext context;

    private CapturedLogs(String loggerName) {
        super("captured-" + loggerName, null, null, true, Property.EMPTY_ARRAY);
        this.loggerName = loggerName;
        this.context = (LoggerContext) LogManager.getContext(false);
    }

    static CapturedLogs of(Class<?> type) {
        CapturedLogs logs = new CapturedLogs(type.getName());
        logs.start();
        Configuration configuration = logs.context.getConfiguration();
        LoggerConfig logger = new LoggerConfig(type.getName(), Level.WARN, false);
        logger.addAppender(logs, Level.WARN, null);
        configuration.addLogger(type.getName(), logger);
        logs.context.updateLoggers();
        return logs;
    }

    @Override
    public void append(LogEvent event) {
        messages.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
    }

    List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void close() {
        context.getConfiguration().removeLogger(loggerName);
        context.updateLoggers();
        stop();
    }
}
