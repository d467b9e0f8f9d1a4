package io.inctrlstream.schema.codec.internal;

import io.inctrlstream.schema.AnomalyAlert;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.ControlCommand;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.DeadLetter;
import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.LineState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The records that travel on our topics, and every fingerprint they have had: used to tell a user
 * that an unknown fingerprint is in fact another topic's record.
 */
public final class KnownRecords {
    /** The record types a codec can be built for: one per topic. */
    public static final List<Class<? extends SpecificRecord>> TYPES =
            List.of(
                    Frame.class,
                    ControlCommand.class,
                    AnomalyScore.class,
                    AnomalyAlert.class,
                    ControlEvent.class,
                    DeadLetter.class,
                    LineState.class);

    private KnownRecords() {}

    /** The schema of a generated record class. */
    public static Schema schemaOf(Class<? extends SpecificRecord> type) {
        return SpecificData.getForClass(type).getSchema(type);
    }

    /** Which record and version has this fingerprint, among all our released and current ones. */
    public static Optional<String> describe(long fingerprint) {
        return Optional.ofNullable(AllFingerprints.BY_FINGERPRINT.get(fingerprint));
    }

    /** Built on first use only. */
    private static final class AllFingerprints {
        static final Map<Long, String> BY_FINGERPRINT = build();

        private static Map<Long, String> build() {
            Map<Long, String> byFingerprint = new HashMap<>();
            ClassLoader loader = KnownRecords.class.getClassLoader();
            for (Class<? extends SpecificRecord> type : TYPES) {
                Schema current = schemaOf(type);
                byFingerprint.put(
                        SchemaVersion.fingerprintOf(current), current.getName() + " (current)");
                for (SchemaVersion version :
                        SchemaHistory.load(SchemaHistory.DEFAULT_ROOT, current.getName(), loader)) {
                    byFingerprint.put(
                            version.fingerprint(), version.recordName() + " " + version.label());
                }
            }
            return Map.copyOf(byFingerprint);
        }
    }
}
