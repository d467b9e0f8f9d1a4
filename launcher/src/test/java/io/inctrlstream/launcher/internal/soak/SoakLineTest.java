package io.inctrlstream.launcher.internal.soak;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SoakLineTest {
    @Test
    void frameIdsCarryTheirSequence() {
        assertThat(SoakLine.frameId(42)).isEqualTo("f-000000042");
        assertThat(SoakLine.sequence(SoakLine.frameId(42))).isEqualTo(42);
        assertThat(SoakLine.sequence(SoakLine.frameId(999_999_999))).isEqualTo(999_999_999);
    }

    @Test
    void otherFrameIdsHaveNoSequence() {
        assertThat(SoakLine.sequence("f-00000004x")).isEqualTo(-1);
        assertThat(SoakLine.sequence("frame-1")).isEqualTo(-1);
        assertThat(SoakLine.sequence("f-1")).isEqualTo(-1);
    }

    @Test
    void aLineHasItsShotsAndAPoolOfDistinctFrames() {
        SoakLine line = SoakLine.create(0, 3);

        assertThat(line.lineId()).isEqualTo("soak-001");
        assertThat(line.shots()).hasSize(3);
        assertThat(line.framePool()).hasSize(SoakLine.FRAME_POOL);
        assertThat(line.framePool().stream().map(java.util.Arrays::hashCode).distinct().count())
                .isEqualTo(SoakLine.FRAME_POOL);
    }
}
