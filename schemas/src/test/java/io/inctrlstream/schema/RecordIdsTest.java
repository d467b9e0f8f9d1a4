package io.inctrlstream.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordIdsTest {

    @Test
    void lineKeyIsTheLineIdInUtf8() {
        assertThat(RecordIds.lineKey("Linie-Größe"))
                .isEqualTo("Linie-Größe".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void idsJoinTheirParts() {
        assertThat(RecordIds.scoreId("line-7", "f-1")).isEqualTo("line-7/f-1");
        assertThat(RecordIds.alertId("line-7", "f-1")).isEqualTo("line-7/f-1/alert");
        assertThat(RecordIds.controlEventId("cmd-9")).isEqualTo("cmd-9/event");
    }

    @Test
    void idsAreDeterministic() {
        assertThat(RecordIds.scoreId("a", "b")).isEqualTo(RecordIds.scoreId("a", "b"));
        assertThat(RecordIds.alertId("a", "b")).isEqualTo(RecordIds.alertId("a", "b"));
        assertThat(RecordIds.controlEventId("c")).isEqualTo(RecordIds.controlEventId("c"));
    }

    @Test
    void slashesInsidePartsCannotMakeTwoFramesShareAnId() {
        String first = RecordIds.scoreId("a/b", "c");
        String second = RecordIds.scoreId("a", "b/c");

        assertThat(first).isEqualTo("a%2Fb/c").isNotEqualTo(second);
        assertThat(second).isEqualTo("a/b%2Fc");
        assertThat(RecordIds.scoreId("a%2Fb", "c")).isEqualTo("a%252Fb/c").isNotEqualTo(first);
    }

    @Test
    void emptyOrMissingIdsAreRejected() {
        assertThatThrownBy(() -> RecordIds.scoreId("", "f"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lineId must not be empty");
        assertThatThrownBy(() -> RecordIds.alertId("l", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("frameId");
        assertThatThrownBy(() -> RecordIds.lineKey(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lineId must not be empty");
    }

    @Test
    void inputIdsUpToTheLimitPassAndLongerOnesAreExplained() {
        assertThat(RecordIds.inputIdProblem("f".repeat(RecordIds.MAX_INPUT_ID_LENGTH), "frame id"))
                .isEmpty();
        assertThat(RecordIds.inputIdProblem(null, "camera id")).as("null: the caller's").isEmpty();
        assertThat(RecordIds.inputIdProblem("", "camera id")).as("empty: the caller's").isEmpty();
        assertThat(RecordIds.inputIdProblem("ab".repeat(200), "command id"))
                .hasValue(
                        "command id is too long: expected at most 256 characters, found 400 (\""
                                + "ab".repeat(60)
                                + "...\" (400 chars))");
    }
}
