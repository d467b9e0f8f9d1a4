package io.inctrlstream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The line id rule and the quoting of producer-given text in messages. */
class LineIdsTest {
    @Test
    void theRuleIsItsDocumentedPattern() {
        Pattern pattern = Pattern.compile(LineIds.PATTERN);
        Random random = new Random(7);
        String alphabet = "aZ09._- /:%\u00e9\n\u0000";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder id = new StringBuilder();
            int length = random.nextInt(LineIds.MAX_LENGTH + 3);
            for (int j = 0; j < length; j++) {
                id.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String candidate = id.toString();
            assertThat(LineIds.isValid(candidate))
                    .as(ProducerText.quote(candidate))
                    .isEqualTo(pattern.matcher(candidate).matches());
        }
    }

    @Test
    void theDemoAndTestIdsAreValid() {
        for (String id : List.of("line-1", "line-12", "line-a", "l1", "A.b_c-9", "x".repeat(64))) {
            assertThat(LineIds.problem(id)).as(id).isEmpty();
        }
    }

    @Test
    void aProblemSaysWhatWasExpectedAndWhatWasFound() {
        String expected =
                "expected 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"
                        + " ([A-Za-z0-9][A-Za-z0-9._-]{0,63}), found ";
        assertThat(LineIds.problem("bad id")).contains(expected + "\"bad id\"");
        assertThat(LineIds.problem("")).contains(expected + "\"\"");
        assertThat(LineIds.problem(null)).contains(expected + "null");
        assertThat(LineIds.problem("-lead")).contains(expected + "\"-lead\"");
        assertThat(LineIds.problem("x".repeat(65)))
                .contains(expected + "\"" + "x".repeat(65) + "\"");
        assertThat(LineIds.problem("line/1")).isPresent();
        assertThat(LineIds.problem("l\u00ednea")).isPresent();
    }

    @Test
    void producerTextIsEscapedAndCut() {
        assertThat(ProducerText.quote("a\"b\\c\n\r\t\u0000\u007f\u200b\u202e\u2028 \u00e9"))
                .isEqualTo("\"a\\\"b\\\\c\\n\\r\\t\\u0000\\u007f\\u200b\\u202e\\u2028 \u00e9\"");
        assertThat(ProducerText.quote("\ud800x")).isEqualTo("\"\\ud800x\"");
        assertThat(ProducerText.quote("\uDB40\uDC01")).isEqualTo("\"\\U000e0001\"");
        assertThat(ProducerText.quote("y".repeat(500)))
                .isEqualTo("\"" + "y".repeat(120) + "...\" (500 chars)");
        // A cut never splits a surrogate pair.
        String emoji = "y".repeat(119) + "\ud83d\ude00" + "z";
        assertThat(ProducerText.quote(emoji))
                .isEqualTo("\"" + "y".repeat(119) + "...\" (122 chars)");
        assertThat(ProducerText.quote(null)).isEqualTo("null");
    }
}
