package io.inctrlstream.launcher.eval.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void estimatesTheTimeLeftFromTheRateSoFar() {
        AtomicLong now = new AtomicLong();
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), "eval", false, now::get);
        bar.planned(100);
        now.set(30_000_000_000L);
        bar.advanced(40);
        assertThat(bar.line(now.get()))
                .isEqualTo("eval [############------------------]  40%  40/100  45s left");
        now.set(75_000_000_000L);
        bar.advanced(60);
        assertThat(text.toString().lines())
                .containsExactly(
                        "eval [------------------------------]   0%  0/100  time left unknown",
                        "eval [############------------------]  40%  40/100  45s left",
                        "eval [##############################] 100%  100/100  done in 1m15s");
    }

    @Test
    void withoutATerminalALineEveryTenth() {
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), "x", false, () -> 0L);
        bar.planned(1000);
        for (int i = 0; i < 1000; i++) {
            bar.advanced(1);
        }
        assertThat(text.toString().lines()).hasSize(11);
    }

    @Test
    void durations() {
        assertThat(ProgressBar.duration(59.4)).isEqualTo("59s");
        assertThat(ProgressBar.duration(125)).isEqualTo("2m05s");
        assertThat(ProgressBar.duration(7300)).isEqualTo("2h01m");
    }
}
