package io.inctrlstream.launcher.internal.command;

import io.inctrlstream.launcher.internal.ImageFiles;
import io.inctrlstream.schema.FrameImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Image files and folders given as arguments; a missing or wrong one is a usage error. */
final class ImageArguments {
    private ImageArguments() {}

    /** The files, folders expanded. */
    static List<Path> files(CommandSpec spec, List<Path> paths) throws IOException {
        try {
            return ImageFiles.expand(paths);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** The files as frame images. */
    static List<FrameImage> images(CommandSpec spec, List<Path> paths) throws IOException {
        List<FrameImage> images = new ArrayList<>();
        for (Path file : files(spec, paths)) {
            images.add(image(spec, file));
        }
        return images;
    }

    /** One file as a frame image. */
    static FrameImage image(CommandSpec spec, Path file) throws IOException {
        try {
            return ImageFiles.read(file);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
