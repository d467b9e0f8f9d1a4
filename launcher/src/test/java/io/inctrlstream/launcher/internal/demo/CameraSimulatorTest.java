package io.inctrlstream.launcher.internal.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.launcher.images.Defect;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CameraSimulatorTest {

    @Test
    void theSameSeedInjectsTheSameDefectsIntoTheSameFrames() {
        Defect[] first = CameraSimulator.defectSequence(7, 0, 0.3, 200);
        Defect[] second = CameraSimulator.defectSequence(7, 0, 0.3, 200);

        assertThat(second).containsExactly(first);
        assertThat(CameraSimulator.defectSequence(7, 1, 0.3, 200)).isNotEqualTo(first);
    }

    @Test
    void theDefectRateIsTheShareOfDefectiveFrames() {
        Defect[] frames = CameraSimulator.defectSequence(1, 0, 0.25, 4000);
        long defective = Arrays.stream(frames).filter(d -> d != Defect.NONE).count();

        assertThat(defective / 4000.0).isBetween(0.22, 0.28);
        assertThat(Arrays.stream(frames).distinct()).containsAll(Defect.anomalies());
        assertThat(CameraSimulator.defectSequence(1, 0, 0, 100)).containsOnly(Defect.NONE);
    }

    @Test
    void demoLinesCycleThroughTheProductsAndNeverRepeatAShot() {
        DemoLine first = DemoLine.create(0, 42);
        DemoLine fourth = DemoLine.create(3, 42);

        assertThat(first.lineId()).isEqualTo("line-1");
        assertThat(first.cameraId()).isEqualTo("cam-1");
        assertThat(fourth.product()).isEqualTo(first.product());
        assertThat(fourth.camera()).isNotSameAs(first.camera());
        assertThat(first.liveFrame(0, Defect.NONE)).isNotEqualTo(first.shots(1).get(0));
    }
}
