package io.inctrlstream.job.internal;

import io.inctrlstream.job.inference.CommandOutcome;
import io.inctrlstream.job.inference.CommandStatus;
import io.inctrlstream.schema.ControlActionType;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.ControlOutcome;
import io.inctrlstream.schema.RecordIds;
import java.time.Instant;

/** The {@link ControlEvent} record of a command's outcome, with its deterministic event id. */
public final class ControlEventRecords {
    private ControlEventRecords() {}

    public static ControlEvent of(CommandOutcome outcome) {
        return ControlEvent.newBuilder()
                .setEventId(RecordIds.controlEventId(outcome.commandId()))
                .setCommandId(outcome.commandId())
                .setLineId(outcome.lineId())
                .setActionType(ControlActionType.valueOf(outcome.action().name()))
                .setOutcome(
                        outcome.status() == CommandStatus.APPLIED
                                ? ControlOutcome.APPLIED
                                : ControlOutcome.REJECTED)
                .setReason(outcome.reason())
                .setShotsVersion(outcome.shotsVersion())
                .setShotCount(outcome.shotCount())
                .setAppliedTime(Instant.ofEpochMilli(outcome.processedTimeMillis()))
                .setPrincipal(outcome.origin().principal())
                .setSigningKeyId(outcome.origin().signingKeyId())
                .build();
    }
}
