package io.inctrlstream.launcher.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShotSamplerTest {

    @Test
    void theSameSeedDrawsTheSameShots() {
        assertThat(ShotSampler.draw(1, "pcb", 4, 0, 50))
                .isEqualTo(ShotSampler.draw(1, "pcb", 4, 0, 50))
                .hasSize(4)
                .doesNotHaveDuplicates()
                .isSorted()
                .allSatisfy(i -> assertThat(i).isBetween(0, 49));
    }

    @Test
    void runsCategoriesAndSeedsDrawTheirOwnShots() {
        Set<List<Integer>> draws = new HashSet<>();
        for (int run = 0; run < 5; run++) {
            draws.add(ShotSampler.draw(1, "pcb", 4, run, 50));
        }
        assertThat(draws).hasSize(5);
        assertThat(ShotSampler.draw(1, "label", 4, 0, 50))
                .isNotEqualTo(ShotSampler.draw(1, "pcb", 4, 0, 50));
        assertThat(ShotSampler.draw(2, "pcb", 4, 0, 50))
                .isNotEqualTo(ShotSampler.draw(1, "pcb", 4, 0, 50));
    }

    @Test
    void allOfThePoolWhenKIsItsSize() {
        assertThat(ShotSampler.draw(1, "pcb", 3, 2, 3)).containsExactly(0, 1, 2);
    }

    @Test
    void refusesKOutsideThePool() {
        assertThatThrownBy(() -> ShotSampler.draw(1, "pcb", 4, 0, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("K = 4 shots cannot be drawn from 3 good images of category pcb");
        assertThatThrownBy(() -> ShotSampler.draw(1, "pcb", 0, 0, 3))
                .hasMessage("K = 0 shots cannot be drawn from 3 good images of category pcb");
    }
}
