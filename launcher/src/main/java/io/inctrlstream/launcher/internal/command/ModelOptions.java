package io.inctrlstream.launcher.internal.command;

import io.inctrlstream.launcher.internal.BundleLocator;
import io.inctrlstream.model.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Which model bundle, on which device. */
public final class ModelOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--model",
            paramLabel = "DIR",
            description = "Model bundle folder (default: the committed tiny bundle).")
    Path model;

    @Option(names = "--cpu", description = "Run the model on the CPU (the default).")
    boolean cpu;

    @Option(
            names = "--gpu",
            description = "Run the model on CUDA (falls back to the CPU with a warning).")
    boolean gpu;

    /**
     * The bundle folder.
     *
     * @throws ParameterException if --model is not a bundle folder
     */
    public Path bundle() {
        if (model == null) {
            return BundleLocator.tinyBundle();
        }
        if (!Files.isRegularFile(model.resolve("manifest.json"))) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--model must be a model bundle folder with a manifest.json, found " + model);
        }
        return model.toAbsolutePath().normalize();
    }

    /**
     * The device.
     *
     * @throws ParameterException if both --cpu and --gpu are given
     */
    public Device device() {
        if (cpu && gpu) {
            throw new ParameterException(
                    spec.commandLine(), "--cpu and --gpu exclude each other: give one");
        }
        return gpu ? Device.CUDA : Device.CPU;
    }
}
