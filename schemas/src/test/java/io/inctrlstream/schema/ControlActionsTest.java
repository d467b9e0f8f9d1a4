package io.inctrlstream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ControlActionsTest {

    @Test
    void namesEveryAction() {
        AlertPolicy policy =
                AlertPolicy.newBuilder()
                        .setMinAnomalous(1)
                        .setWindow(1)
                        .setCooldownMillis(0L)
                        .build();

        assertThat(ControlActions.typeOf(new SetShots(List.of(), null)))
                .isEqualTo(ControlActionType.SET_SHOTS);
        assertThat(ControlActions.typeOf(new AddShots(List.of())))
                .isEqualTo(ControlActionType.ADD_SHOTS);
        assertThat(ControlActions.typeOf(new ClearShots()))
                .isEqualTo(ControlActionType.CLEAR_SHOTS);
        assertThat(ControlActions.typeOf(new SetThreshold(0.5)))
                .isEqualTo(ControlActionType.SET_THRESHOLD);
        assertThat(ControlActions.typeOf(new SetCategory("pcb")))
                .isEqualTo(ControlActionType.SET_CATEGORY);
        assertThat(ControlActions.typeOf(new SetAlertPolicy(policy)))
                .isEqualTo(ControlActionType.SET_ALERT_POLICY);
    }

    @Test
    void anythingElseIsUnknown() {
        assertThat(ControlActions.typeOf(null)).isEqualTo(ControlActionType.UNKNOWN);
        assertThat(ControlActions.typeOf("set shots")).isEqualTo(ControlActionType.UNKNOWN);
    }

    @Test
    void everyActionTypeButUnknownHasAUnionBranch() {
        int branches =
                ControlCommand.getClassSchema().getField("action").schema().getTypes().size();

        assertThat(ControlActionType.values())
                .hasSize(branches + 1)
                .endsWith(ControlActionType.UNKNOWN);
    }
}
