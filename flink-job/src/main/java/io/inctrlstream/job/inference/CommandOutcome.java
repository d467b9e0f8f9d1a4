package io.inctrlstream.job.inference;

/**
 * The acknowledgement of one command: applied or rejected (with the reason), and the line's shots
 * version and count after it. Emitted in the line's order, between the scores of the frames that
 * came before and after the command.
 *
 * @param commandId the command
 * @param lineId the production line
 * @param action what the command asked for
 * @param issuedBy who issued it
 * @param issuedAtMillis when it was issued
 * @param status applied or rejected
 * @param reason why it was rejected, or null
 * @param shotsVersion the line's shots version after the command
 * @param shotCount the line's shot count after the command
 * @param processedTimeMillis when the outcome was produced (the operator's processing time)
 * @param origin who wrote the command, as its {@link LineCommand#origin()} says
 */
public record CommandOutcome(
        String commandId,
        String lineId,
        CommandAction action,
        String issuedBy,
        long issuedAtMillis,
        CommandStatus status,
        String reason,
        long shotsVersion,
        int shotCount,
        long processedTimeMillis,
        CommandOrigin origin) {
    public CommandOutcome {
        origin = origin == null ? CommandOrigin.UNATTRIBUTED : origin;
    }
}
