package io.inctrlstream.launcher.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "500ms, 500",
        "40s, 40000",
        "40, 40000",
        "1.5m, 90000",
        "2min, 120000",
        "1h, 3600000",
        "PT40S, 40000",
        "pt1m, 60000",
        "' 10 s ', 10000"
    })
    void parsesWhatPeopleType(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "forever", "-5s", "10 parsecs", "PTxS"})
    void rejectsAnythingElse(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "expected a duration such as 500ms, 40s, 2m or PT40S, found \""
                                + text
                                + "\"");
    }

    @ParameterizedTest
    @CsvSource({"750, 750 ms", "40000, 40 s", "1500, 1.5 s", "120000, 2 min", "125000, 2 min 5 s"})
    void formatsShortly(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
    }
}
