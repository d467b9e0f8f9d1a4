package io.inctrlstream.job;

import io.inctrlstream.job.engine.EngineBackendSettings;
import io.inctrlstream.job.engine.EngineInferenceBackendFactory;
import io.inctrlstream.job.inference.InferenceBackendFactory;
import io.inctrlstream.model.ModelException;
import java.util.Objects;

/**
 * The model the job scores with: its id ({@code name@version}, written into every score) and the
 * factory of the per-subtask inference backends.
 *
 * @param modelId the model id
 * @param backendFactory creates the inference backends
 */
public record InspectionModel(String modelId, InferenceBackendFactory backendFactory) {
    public InspectionModel {
        if (modelId == null || modelId.isBlank()) {
            throw new IllegalArgumentException("the model id must not be empty, found none");
        }
        Objects.requireNonNull(backendFactory, "backendFactory");
    }

    /**
     * The InCTRL engine on the bundle of {@code settings}; reads the bundle's manifest for its id.
     *
     * @throws ModelException if the bundle's manifest is missing or invalid
     */
    public static InspectionModel engine(EngineBackendSettings settings) throws ModelException {
        EngineInferenceBackendFactory factory = new EngineInferenceBackendFactory(settings);
        return new InspectionModel(factory.modelId(), factory);
    }
}
