package io.inctrlstream.launcher.internal.command;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Whether standard output is a terminal, and a PrintStream over the command's output. */
final class Terminal {
    private Terminal() {}

    /**
     * Whether stdout is an interactive terminal: the {@code inctrl.tty} property (bin/inctrl sets
     * it from {@code [ -t 1 ]}) if given, else whether the JVM has a console.
     */
    static boolean isInteractive() {
        String tty = System.getProperty("inctrl.tty");
        if (tty != null) {
            return Boolean.parseBoolean(tty);
        }
        return System.console() != null;
    }

    /** A PrintStream writing to the command's output writer. */
    static PrintStream stdout(PrintWriter writer) {
        OutputStream bytes =
                new OutputStream() {
                    @Override
                    public void write(int b) {
                        writer.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        writer.write(new String(b, off, len, StandardCharsets.UTF_8));
                    }

                    @Override
                    public void flush() {
                        writer.flush();
                    }
                };
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
