package io.inctrlstream.job.inference.internal;

import io.inctrlstream.job.inference.ImagePayload;
import io.inctrlstream.job.inference.LineCommand;
import io.inctrlstream.model.Categories;
import java.util.List;
import java.util.Optional;

/** Decides whether a command can be applied to its line, and if not, says why. */
final class CommandValidation {
    private CommandValidation() {}

    /**
     * Why {@code command} cannot be applied to a line in {@code settings}, or empty. A command the
     * decode stage refused (its origin's refusal: unsigned, forged, unknown key) is never applied.
     */
    static Optional<String> problem(LineCommand command, LineSettings settings, int maxShots) {
        if (command.origin().refusal() != null) {
            return Optional.of(command.origin().refusal());
        }
        switch (command.action()) {
            case SET_SHOTS:
                if (command.category() != null) {
                    Optional<String> category = Categories.problem(command.category());
                    if (category.isPresent()) {
                        return Optional.of("set shots: " + category.get());
                    }
                }
                return shotsProblem(command.shots(), 0, command.lineId(), maxShots, "set shots");
            case ADD_SHOTS:
                return shotsProblem(
                        command.shots(),
                        settings.shotCount(),
                        command.lineId(),
                        maxShots,
                        "add shots");
            case CLEAR_SHOTS:
                return Optional.empty();
            case SET_THRESHOLD:
                Double threshold = command.threshold();
                if (threshold == null || !(threshold >= 0.0 && threshold <= 1.0)) {
                    return Optional.of("threshold must be a number in [0, 1], found " + threshold);
                }
                return Optional.empty();
            case SET_CATEGORY:
                if (command.category() == null || command.category().isBlank()) {
                    return Optional.of("set category needs a category name, found none");
                }
                return Categories.problem(command.category()).map(p -> "set category: " + p);
            case SET_ALERT_POLICY:
                if (command.alertPolicy() == null) {
                    return Optional.of("set alert policy needs a policy, found none");
                }
                return command.alertPolicy().problem();
            default:
                throw new IllegalStateException("unknown command action " + command.action());
        }
    }

    private static Optional<String> shotsProblem(
            List<ImagePayload> shots, int existing, String lineId, int maxShots, String what) {
        if (shots.isEmpty()) {
            return Optional.of(what + " needs at least one shot image, found none");
        }
        for (int i = 0; i < shots.size(); i++) {
            if (shots.get(i).data().length == 0) {
                return Optional.of("shot image " + i + " has no data");
            }
        }
        int total = existing + shots.size();
        if (total > maxShots) {
            return Optional.of(
                    "line "
                            + lineId
                            + " would have "
                            + total
                            + " shots, more than the maximum of "
                            + maxShots
                            + " per line");
        }
        return Optional.empty();
    }
}
