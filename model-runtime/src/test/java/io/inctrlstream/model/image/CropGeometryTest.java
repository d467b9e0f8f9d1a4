package io.inctrlstream.model.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inctrlstream.model.image.internal.CropGeometry;
import org.junit.jupiter.api.Test;

class CropGeometryTest {

    @Test
    void shorterSideBecomesTheSizeAndTheLongerIsTruncated() {
        assertThat(CropGeometry.of(640, 480, 240))
                .isEqualTo(new CropGeometry(320, 240, 40, 0, 240));
        assertThat(CropGeometry.of(37, 1000, 240))
                .isEqualTo(new CropGeometry(240, 6486, 0, 3123, 240));
        // 240 * 241 / 239 = 242.008...: truncated, not rounded.
        assertThat(CropGeometry.of(241, 239, 240).resizedWidth()).isEqualTo(242);
    }

    @Test
    void cropOffsetRoundsHalvesToEvenLikePython() {
        assertThat(CropGeometry.of(241, 240, 240).left()).isZero(); // round(0.5) = 0
        assertThat(CropGeometry.of(243, 240, 240).left()).isEqualTo(2); // round(1.5) = 2
        assertThat(CropGeometry.of(245, 240, 240).left()).isEqualTo(2); // round(2.5) = 2
        assertThat(CropGeometry.of(240, 247, 240).top()).isEqualTo(4); // round(3.5) = 4
    }

    @Test
    void sizesMustBePositive() {
        assertThatThrownBy(() -> CropGeometry.of(0, 10, 240))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sizes must be positive, found 0x10 -> 240");
    }
}
