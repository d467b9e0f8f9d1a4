package io.inctrlstream.launcher.internal.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MachineLoadTest {
    @Test
    void theFirstFieldOfLoadavgIsTheOneMinuteLoad() {
        assertThat(MachineLoad.parseLoadavg("1.52 0.80 0.44 2/301 4242\n")).isEqualTo(1.52);
    }

    @Test
    void aLineWithoutANumberIsAnError() {
        assertThatThrownBy(() -> MachineLoad.parseLoadavg("busy 0.8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "expected /proc/loadavg to start with the 1-minute load, found \"busy"
                                + " 0.8\"");
    }

    @Test
    void theMachinesLoadIsKnownOnLinux() {
        assertThat(MachineLoad.oneMinute()).isGreaterThanOrEqualTo(0);
    }
}
