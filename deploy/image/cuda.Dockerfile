# A Flink 2.2 image (Java 17) for the InCTRL inspection job with ONNX Runtime on CUDA: the job jar
# built with the gpu profile (onnxruntime_gpu 1.24, which links the CUDA 12 runtime, cuBLAS,
# cuFFT, cuRAND and cuDNN 9), those runtime libraries from NVIDIA's CUDA 12 image, and Flink's
# Prometheus reporter. The GPU itself and its driver (libcuda.so) come from the node through the
# NVIDIA container toolkit (the pod's nvidia.com/gpu limit). The model bundle is not in it: see
# README.md.
#
# Build context: the repository root, after `mvn -B -Pgpu -pl flink-job -am package -DskipTests`
# (the gpu profile puts onnxruntime_gpu into flink-job/target/inctrl-job.jar):
#   docker build -f deploy/image/cuda.Dockerfile -t registry.example.com/inctrl/flink-inctrl-cuda:0.1.0 .
ARG CUDA_IMAGE=nvidia/cuda:12.6.3-cudnn-runtime-ubuntu22.04
FROM ${CUDA_IMAGE} AS cuda

FROM flink:2.2.1-scala_2.12-java17
# CUDA 12 runtime libraries and cuDNN 9 (the libraries only: no toolkit, no driver).
COPY --from=cuda /usr/local/cuda/targets/x86_64-linux/lib/ /opt/cuda/lib/
COPY --from=cuda /usr/lib/x86_64-linux-gnu/libcudnn* /opt/cuda/lib/
ENV LD_LIBRARY_PATH=/opt/cuda/lib
ENV NVIDIA_VISIBLE_DEVICES=all
ENV NVIDIA_DRIVER_CAPABILITIES=compute,utility

RUN rm -rf /opt/flink/plugins/metrics-prometheus
COPY --chown=flink:flink flink-job/target/plugins/metrics-prometheus/flink-metrics-prometheus.jar /opt/flink/plugins/metrics-prometheus/flink-metrics-prometheus.jar
COPY --chown=flink:flink flink-job/target/inctrl-job.jar /opt/flink/usrlib/inctrl-job.jar

RUN mkdir -p /models/inctrl && chown flink:flink /models/inctrl
