package io.inctrlstream.job.engine;

import io.inctrlstream.job.inference.InferenceBackend;
import io.inctrlstream.job.inference.InferenceBackendContext;
import io.inctrlstream.job.inference.InferenceBackendFactory;
import io.inctrlstream.job.inference.InferenceBackends;
import io.inctrlstream.model.BundleManifest;
import io.inctrlstream.model.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Opens an {@link EngineInferenceBackend} per operator subtask (on the TaskManager, when the
 * operator opens) and runs it on a dedicated thread, off the task thread. Serializable and light:
 * it carries only the settings.
 */
public final class EngineInferenceBackendFactory implements InferenceBackendFactory {
    private static final long serialVersionUID = 1L;

    /** How long closing waits for a running model call before leaving the engine open. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(30);

    private final EngineBackendSettings settings;

    public EngineInferenceBackendFactory(EngineBackendSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * The model id ({@code name@version}) named by the bundle's manifest, read without loading the
     * graphs: for the job's score records, on the client.
     *
     * @throws ModelException if the manifest is missing or not a valid manifest
     */
    public String modelId() throws ModelException {
        Path manifest = Path.of(settings.bundleDirectory()).resolve("manifest.json");
        if (!Files.isRegularFile(manifest)) {
            throw new ModelException(
                    ModelException.Reason.BUNDLE_FILE_MISSING,
                    "manifest.json is missing in "
                            + Path.of(settings.bundleDirectory()).toAbsolutePath());
        }
        byte[] json;
        try {
            json = Files.readAllBytes(manifest);
        } catch (IOException e) {
            throw new ModelException(
                    ModelException.Reason.BUNDLE_CORRUPT,
                    manifest.toAbsolutePath() + " is not readable: " + e.getMessage(),
                    e);
        }
        return BundleManifest.parse(json).modelId();
    }

    @Override
    public InferenceBackend create(InferenceBackendContext context) throws ModelException {
        EngineInferenceBackend backend =
                EngineInferenceBackend.open(settings, context.metricGroup());
        return InferenceBackends.onDedicatedThread(
                backend, "inctrl-inference-" + context.subtaskIndex(), CLOSE_GRACE);
    }

    @Override
    public String toString() {
        return "EngineInferenceBackendFactory[" + settings + "]";
    }
}
