package io.inctrlstream.job.inference;

import java.util.Objects;

/**
 * Who wrote a command, as far as the job can tell, and whether that suffices to apply it. Set by
 * the decode stage from the command record's headers (docs/topics-and-schemas.md); echoed in the
 * command's {@link CommandOutcome}. A command with a {@link #refusal()} is answered REJECTED with
 * it, and its line is left unchanged.
 *
 * <p>What each field proves: the principal is the writer's own claim (its record's {@code
 * inctrl-principal} header); it can be trusted when signatures are required (it is signed) or when
 * Kafka ACLs restrict who may write the control topic. The signing key id names a key of the job's
 * keys file whose HMAC over the record's key, value and principal header the job verified.
 *
 * @param principal the principal the record's header names (e.g. {@code User:alice}), or null
 * @param signingKeyId the id of the key whose signature the job verified, or null when the record
 *     was not signed or signatures are not configured
 * @param refusal why the command must not be applied (unsigned while signatures are required,
 *     unknown key, signature not matching, ambiguous headers), or null when it may be
 */
public record CommandOrigin(String principal, String signingKeyId, String refusal) {
    /** A command whose record named no principal and was not checked: nothing refuses it. */
    public static final CommandOrigin UNATTRIBUTED = new CommandOrigin(null, null, null);

    /** A command that must not be applied, for {@code reason}. */
    public static CommandOrigin refused(String reason) {
        return new CommandOrigin(null, null, Objects.requireNonNull(reason, "reason"));
    }
}
