package io.inctrlstream.model;

/** Where the engine runs its graphs: ONNX Runtime's CPU provider, or its CUDA provider. */
public enum Device {
    CPU,
    CUDA
}
