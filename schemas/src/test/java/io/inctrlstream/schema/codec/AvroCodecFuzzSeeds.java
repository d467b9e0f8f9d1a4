package io.inctrlstream.schema.codec;

import io.inctrlstream.schema.ControlCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * The seed corpus of {@link AvroCodecFuzzTest}: every {@link SampleRecords} sample, encoded. Run
 * {@link #main} to write it again after a schema change (see {@code docs/fuzzing.md}).
 */
public final class AvroCodecFuzzSeeds {
    /**
     * Where Jazzer looks for the seeds of {@code AvroCodecFuzzTest.decodesOrRefusesWithItsReason}.
     */
    static final String DIRECTORY =
            "src/test/resources/io/inctrlstream/schema/codec/AvroCodecFuzzTestInputs"
                    + "/decodesOrRefusesWithItsReason";

    private AvroCodecFuzzSeeds() {}

    /** The seeds by file name, each a valid single-object encoded record. */
    static Map<String, byte[]> seeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("valid-frame", encode(SampleRecords.frame()));
        seeds.put(
                "valid-frame-without-optional-parts",
                encode(SampleRecords.frameWithoutOptionalParts()));
        List<ControlCommand> commands = SampleRecords.commandsOfEveryAction();
        for (int i = 0; i < commands.size(); i++) {
            ControlCommand command = commands.get(i);
            String action = command.getAction().getClass().getSimpleName();
            seeds.put("valid-command-" + i + "-" + action, encode(command));
        }
        seeds.put("valid-score-scored", encode(SampleRecords.scoredScore()));
        seeds.put("valid-score-no-reference", encode(SampleRecords.noReferenceScore()));
        seeds.put("valid-score-failed", encode(SampleRecords.failedScore()));
        seeds.put("valid-alert", encode(SampleRecords.alert()));
        seeds.put("valid-event-applied", encode(SampleRecords.appliedEvent()));
        seeds.put("valid-event-rejected", encode(SampleRecords.rejectedEvent()));
        seeds.put("valid-dead-letter", encode(SampleRecords.deadLetter()));
        seeds.put("valid-dead-letter-without-key", encode(SampleRecords.deadLetterWithoutKey()));
        return seeds;
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> byte[] encode(T record) {
        return AvroCodec.forClass((Class<T>) record.getClass()).encode(record);
    }

    /**
     * Writes the seeds into {@link #DIRECTORY} under the module directory given as the only
     * argument (default: the working directory).
     */
    public static void main(String[] args) throws IOException {
        Path directory = Path.of(args.length > 0 ? args[0] : ".").resolve(DIRECTORY);
        Files.createDirectories(directory);
        for (Map.Entry<String, byte[]> seed : seeds().entrySet()) {
            Files.write(directory.resolve(seed.getKey()), seed.getValue());
        }
        System.out.println("wrote " + seeds().size() + " seeds to " + directory);
    }
}
