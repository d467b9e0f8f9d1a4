package io.inctrlstream.job;

import io.inctrlstream.schema.signing.SigningKey;
import io.inctrlstream.schema.signing.SigningKeys;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Whether and how the job checks command signatures ({@code inctrl.control.signature.*}): the keys
 * file and whether a signature is required. Holds the file's path, never its keys: each task loads
 * them once when it starts ({@link #loadKeys()}), so secrets never travel in the job graph.
 *
 * @param keysFile the keys file, or null when signatures are not checked
 * @param required whether unsigned commands are rejected
 */
public record CommandSignatureSettings(String keysFile, boolean required) implements Serializable {
    /** Signatures not checked. */
    public static final CommandSignatureSettings NONE = new CommandSignatureSettings(null, false);

    public CommandSignatureSettings {
        if (required && keysFile == null) {
            throw new IllegalArgumentException(
                    InspectionJobOptions.SIGNATURE_REQUIRED.key()
                            + " is true, but "
                            + InspectionJobOptions.SIGNATURE_KEYS_FILE.key()
                            + " names no keys file to verify signatures with");
        }
    }

    /**
     * The settings of the job's options, with the keys file read once to check it.
     *
     * @throws IllegalArgumentException naming the option, when the keys file is missing, unreadable
     *     or malformed, or required without a keys file
     */
    public static CommandSignatureSettings from(ReadableConfig config) {
        CommandSignatureSettings settings =
                new CommandSignatureSettings(
                        config.get(InspectionJobOptions.SIGNATURE_KEYS_FILE).isBlank()
                                ? null
                                : config.get(InspectionJobOptions.SIGNATURE_KEYS_FILE),
                        config.get(InspectionJobOptions.SIGNATURE_REQUIRED));
        settings.loadKeys();
        return settings;
    }

    /**
     * The keys by id, read from the keys file now; empty when signatures are not checked.
     *
     * @throws IllegalArgumentException naming the option and the file, when it is missing,
     *     unreadable or malformed (the message never holds a secret)
     */
    public Optional<Map<String, SigningKey>> loadKeys() {
        if (keysFile == null) {
            return Optional.empty();
        }
        String option = InspectionJobOptions.SIGNATURE_KEYS_FILE.key();
        try {
            return Optional.of(SigningKeys.read(Path.of(keysFile)));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(
                    option + ": cannot read the keys file " + keysFile + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    option + ": cannot read the keys file " + keysFile + ": " + e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }
}
